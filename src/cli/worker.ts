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
import { anonymizeJsonDocument } from '../fhir/io/json-document.ts';
import { anonymizeNdjsonBytes } from '../fhir/io/ndjson-bytes.ts';
import { createSchemaValidator } from '../fhir/io/schema-validator.ts';
import type { ResourceValidator } from '../fhir/io/types.ts';
import type { WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { CLAIM_OPEN, CLAIM_WORKER, toWire, wholeBuffer } from './protocol.ts';
import { decodeDocument, type EngineCache, fhirEngineCache } from './engine-run.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const encoder = new TextEncoder();
const claims = init.claims !== undefined ? new Int32Array(init.claims) : undefined;

interface Engine {
  readonly engines: EngineCache<FhirAnonymizer>;
  readonly validateInput?: ResourceValidator;
  readonly validateOutput?: ResourceValidator;
}

let engine: Engine | undefined;

async function build(config: FhirConfig): Promise<Engine> {
  const options = init.referenceDate !== undefined ? { referenceDate: init.referenceDate } : {};
  const engines = fhirEngineCache(createFhirAnonymizer, config, options);
  const version = init.fhirVersion ?? config.fhirVersion ?? 'R4';
  const built: { engines: EngineCache<FhirAnonymizer>; validateInput?: ResourceValidator; validateOutput?: ResourceValidator } = { engines };
  if (init.validateInput) built.validateInput = await createSchemaValidator(version);
  if (init.validateOutput) built.validateOutput = await createSchemaValidator(version);
  return built;
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
  const ctx = task.context;
  const anonymizer = engine.engines.get(ctx.dateShiftKey);
  const common = {
    file: ctx.file,
    displayName: ctx.displayName,
    ...(ctx.folder !== undefined ? { folder: ctx.folder } : {}),
    ...(engine.validateInput ? { validateInput: engine.validateInput } : {}),
    ...(engine.validateOutput ? { validateOutput: engine.validateOutput } : {}),
  };
  if (task.kind === 'ndjson') {
    const result = anonymizeNdjsonBytes(anonymizer, new Uint8Array(task.bytes), { ...common, firstLine: 1, atStart: task.first });
    const bytes = wholeBuffer(result.output);
    return { reply: { id: task.id, ok: true, bytes, lines: result.lines, resources: result.resources }, transfer: [bytes] };
  }
  const before = anonymizer.stats.resources;
  const out = anonymizeJsonDocument(anonymizer, decodeDocument(new Uint8Array(task.bytes), ctx.displayName), common);
  const bytes = wholeBuffer(encoder.encode(out));
  const resources = Math.max(1, anonymizer.stats.resources - before);
  return { reply: { id: task.id, ok: true, bytes, lines: 0, resources }, transfer: [bytes] };
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
