/**
 * A fixed pool of worker threads (node:worker_threads, available in Node, Deno and Bun).
 * Tasks are queued FIFO and handed to idle workers; each task's promise settles with its reply.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { ProcessingError } from '../errors.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import type { ConfigRequest } from './config-request.ts';
import type { WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { fromWire } from './protocol.ts';

type Pending = { task: WorkerTask; transfer: ArrayBuffer[]; resolve: (r: WorkerReply) => void; reject: (e: unknown) => void };

/** Default old-generation limit of each worker's heap (MB); V8 sizes its heap growth by it. */
export const DEFAULT_WORKER_HEAP_MB = 512;

/**
 * Young-generation limit of each worker (MB). Measured on the Synthea benchmark with two workers:
 * 8 MB costs ~35 % more CPU in scavenges, 32 MB adds ~30 MB of RSS per worker for ~5 % speed.
 */
const YOUNG_GENERATION_MB = 16;

function workerUrl(): URL {
  // Sources run as .ts (Deno, Bun); the build runs as .js.
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/** A pool of engine workers. */
export class WorkerPool {
  /** Number of workers. */
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 1;
  private failure: unknown;

  /**
   * @param size - Number of workers (≥ 1).
   * @param init - Configuration and options every worker builds its engine from.
   * @param heapMb - Old-generation heap limit of each worker in MB (Node honours it).
   */
  constructor(size: number, init: WorkerInit, heapMb: number = DEFAULT_WORKER_HEAP_MB) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerUrl(), { workerData: init, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      worker.on('message', (msg: WorkerReply) => this.settle(worker, msg));
      worker.on('error', (err: unknown) => {
        const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        this.crash(new ProcessingError(oom
          ? `a worker ran out of memory (its heap limit is ${heapMb} MB: set HEALTH_ANONYMIZER_WORKER_HEAP_MB higher, or use --workers 1)`
          : 'a worker thread failed'));
      });
      worker.on('exit', (code) => {
        if (this.running.has(worker) || (code !== 0 && this.workers.includes(worker))) this.crash(new ProcessingError('a worker thread exited unexpectedly'));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /**
   * Loads the configuration in the first worker and configures the others with the result,
   * so that every worker runs the same normalized rules with the same keys.
   * @param request - Configuration texts and key variables.
   * @returns The loaded configuration and its fingerprint.
   * @throws The loader's or an engine's error (for example `ConfigError`), rebuilt on this thread.
   */
  async start(request: ConfigRequest): Promise<{ config: FhirConfig; fingerprint: string }> {
    const first = await this.runOn(0, { kind: 'load', request });
    if (!first.ok) throw fromWire(first.error);
    if (!('loaded' in first)) throw new ProcessingError('unexpected worker reply');
    const loaded = first.loaded;
    const rest = await Promise.all(this.workers.slice(1).map((_, i) => this.runOn(i + 1, { kind: 'configure', config: loaded.config })));
    for (const r of rest) if (!r.ok) throw fromWire(r.error);
    return loaded;
  }

  /** Sends a task to one given (idle) worker. */
  private runOn(index: number, task: DistributiveOmit<WorkerTask, 'id'>): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const worker = this.workers[index]!;
    return new Promise((resolve, reject) => {
      const pending: Pending = { task: { ...task, id: this.nextId++ } as WorkerTask, transfer: [], resolve, reject };
      const at = this.idle.indexOf(worker);
      if (at !== -1) this.idle.splice(at, 1);
      this.running.set(worker, pending);
      worker.postMessage(pending.task);
    });
  }

  /** Whether a task sent now would start at once (a worker is idle, nothing is queued, no failure). */
  hasIdle(): boolean {
    return this.failure === undefined && this.idle.length > 0 && this.queue.length === 0;
  }

  /**
   * Queues a task.
   * @param task - The task without its id.
   * @param transfer - Buffers to move to the worker.
   * @returns The worker's reply.
   */
  run(task: DistributiveOmit<WorkerTask, 'id'>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { ...task, id: this.nextId++ } as WorkerTask, transfer, resolve, reject });
      this.pump();
    });
  }

  /**
   * Sends one task to every worker (used to collect counters).
   * @param task - The task without its id.
   * @returns One reply per worker.
   */
  broadcast(task: DistributiveOmit<WorkerTask, 'id'>): Promise<WorkerReply[]> {
    // Called when every worker is idle (all chunks answered).
    return Promise.all(this.workers.map((_, i) => this.runOn(i, task)));
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
    this.workers.length = 0;
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const pending = this.queue.shift()!;
      this.running.set(worker, pending);
      worker.postMessage(pending.task, pending.transfer);
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const pending = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    pending?.resolve(reply);
    this.pump();
  }

  private crash(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const p of this.running.values()) p.reject(error);
    for (const p of this.queue) p.reject(error);
    this.running.clear();
    this.queue.length = 0;
  }
}

/** `Omit` applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
