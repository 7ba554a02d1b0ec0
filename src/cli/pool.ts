/**
 * The worker threads of the CLI's FHIR pool (node:worker_threads, available in Node, Deno and
 * Bun). They help the main thread, which runs an engine of its own: the main thread loads the
 * configuration once and sends the normalized result (same rules, same keys) to every worker;
 * each worker joins when its engine is built. Tasks go to a chosen worker and queue there, up to
 * a depth the caller sets, so a worker never waits for the busy main thread to feed it; an NDJSON
 * chunk queued on a worker that has not started it can be claimed back by the main thread
 * ({@link WorkerPool.offer}), so it never waits for a busy or still-starting worker either.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { ProcessingError } from '../errors.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import type { WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { CLAIM_MAIN, CLAIM_OPEN, CLAIM_RING, fromWire } from './protocol.ts';

type Pending = { readonly resolve: (r: WorkerReply) => void; readonly reject: (e: unknown) => void };

/** Default old-generation limit of each worker's heap (MB); V8 sizes its heap growth by it. */
export const DEFAULT_WORKER_HEAP_MB = 512;

/**
 * Young-generation limit of each worker (MB). Measured on the Synthea benchmark with two workers:
 * 8 MB costs ~35 % more CPU in scavenges, 32 MB adds ~30 MB of RSS per worker for ~5 % speed.
 */
const YOUNG_GENERATION_MB = 16;

/** How long after a worker's error the pool waits for its exit before it fails anyway (ms). */
const WORKER_EXIT_GRACE_MS = 1000;

function workerUrl(): URL {
  // Sources run as .ts (Deno, Bun); the build runs as .js.
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/** One worker and the tasks it has been given. */
interface Slot {
  readonly worker: Worker;
  /** Replies awaited, by task id. */
  readonly pending: Map<number, Pending>;
  /** Whether its engine is built (the `configure` task answered). */
  ready: boolean;
  /** Claim flags of its chunk tasks, by ticket (shared with the worker). */
  readonly claims: Int32Array;
  /** Tickets handed out so far. */
  tickets: number;
}

/** A chunk sent to a worker that the main thread may still take back. */
export interface Offer {
  /** The worker's reply (`skipped` when the main thread claimed the chunk first). */
  readonly reply: Promise<WorkerReply>;
  /**
   * Claims the chunk for the main thread if the worker has not started it.
   * @returns Whether the main thread now owns it (the worker will skip it).
   */
  claim(): boolean;
}

/** The helper workers of a run (the main thread is the other engine). */
export class WorkerPool {
  /** Number of workers. */
  readonly size: number;
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private failure: unknown;
  private closing = false;

  /**
   * Starts the workers; they load the engine's code at once, before any configuration exists,
   * so their start-up overlaps the main thread's loading of the configuration.
   * @param size - Number of workers (≥ 1).
   * @param init - Options every worker builds its engine with.
   * @param heapMb - Old-generation heap limit of each worker in MB (Node honours it).
   */
  constructor(size: number, init: WorkerInit, heapMb: number = DEFAULT_WORKER_HEAP_MB) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const claims = new SharedArrayBuffer(CLAIM_RING * Int32Array.BYTES_PER_ELEMENT);
      const worker = new Worker(workerUrl(), { workerData: { ...init, claims }, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      const slot: Slot = { worker, pending: new Map(), ready: false, claims: new Int32Array(claims), tickets: 0 };
      worker.on('message', (msg: WorkerReply) => this.settle(slot, msg));
      // The pool fails when the worker's exit is reported, not at its error: Node can report the
      // error before the replies the worker had already sent, and a chunk it finished must not fail
      // with it. A runtime that does not report the exit fails the pool a second later.
      let failure: ProcessingError | undefined;
      let grace: ReturnType<typeof setTimeout> | undefined;
      worker.on('error', (err: unknown) => {
        const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        failure ??= new ProcessingError(oom
          ? `a worker ran out of memory (its heap limit is ${heapMb} MB: set HEALTH_ANONYMIZER_WORKER_HEAP_MB higher, or use --workers 1)`
          : 'a worker thread failed');
        grace ??= setTimeout(() => this.crash(failure), WORKER_EXIT_GRACE_MS);
      });
      worker.on('exit', () => {
        if (grace !== undefined) clearTimeout(grace);
        if (failure !== undefined) this.crash(failure);
        else if (!this.closing) this.crash(new ProcessingError('a worker thread exited unexpectedly'));
      });
      this.slots.push(slot);
    }
  }

  /**
   * Sends the normalized configuration to every worker; each becomes available to
   * {@link WorkerPool.pick} once its engine is built. Does not wait.
   * @param config - The configuration the main thread loaded (with its keys).
   */
  configure(config: FhirConfig): void {
    for (const slot of this.slots) {
      this.post(slot, { kind: 'configure', config }, []).then(
        (reply) => {
          if (!reply.ok) this.crash(fromWire(reply.error));
          else slot.ready = true;
        },
        () => undefined, // the pool's failure is already recorded
      );
    }
  }

  /**
   * The worker with the fewest tasks, if it has fewer than `depth`.
   * @param depth - Most tasks a worker may hold (running and queued, at most {@link CLAIM_RING} − 1).
   * @param starting - Whether a worker still building its engine counts (its tasks wait behind
   *   the build: only for tasks the main thread can claim back, see {@link WorkerPool.offer}).
   * @returns Its index, or -1 (none ready, all full, or the pool failed).
   */
  pick(depth: number, starting = false): number {
    if (this.failure !== undefined) return -1;
    let best = -1;
    let least = Math.min(depth, CLAIM_RING - 1);
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if ((s.ready || starting) && s.pending.size < least) {
        best = i;
        least = s.pending.size;
      }
    }
    return best;
  }

  /**
   * Sends a task to one worker, where it queues behind that worker's earlier tasks.
   * @param index - The worker (from {@link WorkerPool.pick}).
   * @param task - The task without its id.
   * @param transfer - Buffers to move to the worker.
   * @returns The worker's reply; rejected if the pool fails first.
   */
  send(index: number, task: DistributiveOmit<WorkerTask, 'id'>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    return this.post(this.slots[index]!, task, transfer);
  }

  /**
   * Sends an NDJSON chunk to one worker with a claim ticket: the chunk runs on that worker unless
   * the main thread claims it first ({@link Offer.claim}), in which case the worker skips it.
   * @param index - The worker (from {@link WorkerPool.pick}).
   * @param task - The chunk task without its id and ticket.
   * @param transfer - Buffers to move to the worker (the main thread keeps its own copy to claim it).
   * @returns The reply and the claim.
   */
  offer(index: number, task: DistributiveOmit<Extract<WorkerTask, { kind: 'ndjson' }>, 'id' | 'ticket'>, transfer: ArrayBuffer[] = []): Offer {
    const slot = this.slots[index]!;
    const ticket = slot.tickets++ % CLAIM_RING;
    Atomics.store(slot.claims, ticket, CLAIM_OPEN);
    const reply = this.post(slot, { ...task, ticket }, transfer);
    return { reply, claim: () => Atomics.compareExchange(slot.claims, ticket, CLAIM_OPEN, CLAIM_MAIN) === CLAIM_OPEN };
  }

  /**
   * Sends one task to every ready worker (used to collect counters once all chunks are answered).
   * Workers that never became ready did no work and are left out.
   * @param task - The task without its id.
   * @returns One reply per ready worker.
   */
  broadcast(task: DistributiveOmit<WorkerTask, 'id'>): Promise<WorkerReply[]> {
    return Promise.all(this.slots.filter((s) => s.ready).map((s) => this.post(s, task, [])));
  }

  /**
   * Whether a worker failed (it could not start, ran out of memory or crashed); from then on the
   * main thread does all the work. Known as soon as the failure is reported, not waited for.
   */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Whether an error is the pool's failure, with which every reply still awaited was rejected.
   * @param error - A rejection of {@link WorkerPool.send} or an {@link Offer}'s reply.
   * @returns `true` when the task was not answered because a worker failed.
   */
  failedWith(error: unknown): boolean {
    return this.failure !== undefined && error === this.failure;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
    this.slots.length = 0;
  }

  private post(slot: Slot, task: DistributiveOmit<WorkerTask, 'id'>, transfer: ArrayBuffer[]): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...task, id } as WorkerTask, transfer);
    });
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const pending = slot.pending.get(reply.id);
    slot.pending.delete(reply.id);
    pending?.resolve(reply);
  }

  private crash(error: unknown): void {
    if (this.failure !== undefined || this.closing) return;
    this.failure = error;
    for (const slot of this.slots) {
      slot.ready = false;
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    }
  }
}

/** `Omit` applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
