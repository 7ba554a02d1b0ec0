/**
 * Worker thread of the CLI's pool. It loads the engine's code as soon as it starts, then builds
 * its engine from the normalized configuration the main thread loaded (`configure`), so every
 * engine runs the same rules with the same keys; then it anonymizes the NDJSON chunks and JSON
 * documents the main thread sends, one at a time, in the order they arrive — except a chunk the
 * main thread has claimed in the meantime (see `CLAIM_OPEN`), which it skips.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ProcessingError } from '../errors.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import { createFhirAnonymizer } from '../fhir/anonymizer.ts';
import type { FhirAnonymizer } from '../fhir/anonymizer.ts';
import type { WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { CLAIM_OPEN, CLAIM_WORKER, toWire, wholeBuffer } from './protocol.ts';
import { anonymizePiece, createValidators, type EngineCache, fhirEngineCache, type Validators } from './engine-run.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const claims = init.claims !== undefined ? new Int32Array(init.claims) : undefined;

interface Engine extends Validators {
  readonly engines: EngineCache<FhirAnonymizer>;
}

let engine: Engine | undefined;

async function build(config: FhirConfig): Promise<Engine> {
  const options = init.referenceDate !== undefined ? { referenceDate: init.referenceDate } : {};
  const engines = fhirEngineCache(createFhirAnonymizer, config, options);
  const version = init.fhirVersion ?? config.fhirVersion ?? 'R4';
  return { engines, ...(await createValidators(init.validateInput ? version : undefined, init.validateOutput ? version : undefined)) };
}

async function handle(task: WorkerTask): Promise<{ reply: WorkerReply; transfer: ArrayBuffer[] }> {
  if (task.kind === 'configure') {
    engine = await build(task.config);
    return { reply: { id: task.id, ok: true, configured: true }, transfer: [] };
  }
  // Without an engine (its build failed: the pool has failed) a chunk is not claimed, so the main
  // thread can still take it back and run it.
  if (engine === undefined) throw new ProcessingError('worker used before it was configured');
  // A chunk the main thread has claimed is left to it.
  if (task.kind === 'ndjson' && task.ticket !== undefined && claims !== undefined && Atomics.compareExchange(claims, task.ticket, CLAIM_OPEN, CLAIM_WORKER) !== CLAIM_OPEN) {
    return { reply: { id: task.id, ok: true, skipped: true }, transfer: [] };
  }
  if (task.kind === 'stats') return { reply: { id: task.id, ok: true, stats: engine.engines.stats() }, transfer: [] };
  const r = anonymizePiece(engine.engines, engine, task.context, task.kind === 'ndjson'
    ? { kind: 'ndjson', bytes: new Uint8Array(task.bytes), first: task.first }
    : { kind: 'json', bytes: new Uint8Array(task.bytes) });
  const bytes = wholeBuffer(r.bytes);
  return { reply: { id: task.id, ok: true, bytes, lines: r.lines, resources: r.resources }, transfer: [bytes] };
}

// Tasks are handled one at a time, in the order they arrive.
let queue: Promise<void> = Promise.resolve();
port.on('message', (task: WorkerTask) => {
  queue = queue.then(async () => {
    let answer: { reply: WorkerReply; transfer: ArrayBuffer[] };
    try {
      answer = await handle(task);
    } catch (err) {
      answer = { reply: { id: task.id, ok: false, error: toWire(err) }, transfer: [] };
    }
    port.postMessage(answer.reply, answer.transfer);
  });
});
