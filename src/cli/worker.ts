/**
 * Worker thread of the CLI's pool: builds one engine from the configuration it is given and
 * anonymizes NDJSON chunks and JSON documents sent by the main thread.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createFhirAnonymizer } from '../fhir/anonymizer.ts';
import type { FhirAnonymizer } from '../fhir/anonymizer.ts';
import { decodeLines } from '../fhir/io/decode.ts';
import { anonymizeJsonDocument } from '../fhir/io/json-document.ts';
import { anonymizeNdjsonText } from '../fhir/io/ndjson.ts';
import { createSchemaValidator } from '../fhir/io/schema-validator.ts';
import type { ResourceValidator } from '../fhir/io/types.ts';
import type { StatsSnapshot, WorkerInit, WorkerReady, WorkerReply, WorkerTask } from './protocol.ts';
import { toWire, wholeBuffer } from './protocol.ts';
import { decodeDocument, snapshotStats } from './engine-run.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const encoder = new TextEncoder();

interface Engine {
  readonly anonymizer: FhirAnonymizer;
  readonly validateInput?: ResourceValidator;
  readonly validateOutput?: ResourceValidator;
}

const ready: Promise<Engine> = (async () => {
  const anonymizer = createFhirAnonymizer(init.config, init.referenceDate !== undefined ? { referenceDate: init.referenceDate } : {});
  const engine: { anonymizer: FhirAnonymizer; validateInput?: ResourceValidator; validateOutput?: ResourceValidator } = { anonymizer };
  if (init.validateInput) engine.validateInput = await createSchemaValidator(init.validateInput);
  if (init.validateOutput) engine.validateOutput = await createSchemaValidator(init.validateOutput);
  return engine;
})();

function handle(engine: Engine, task: WorkerTask): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  if (task.kind === 'stats') {
    const stats: StatsSnapshot = snapshotStats(engine.anonymizer);
    return { reply: { id: task.id, ok: true, stats }, transfer: [] };
  }
  const ctx = task.context;
  const common = {
    file: ctx.file,
    displayName: ctx.displayName,
    ...(ctx.folder !== undefined ? { folder: ctx.folder } : {}),
    ...(engine.validateInput ? { validateInput: engine.validateInput } : {}),
    ...(engine.validateOutput ? { validateOutput: engine.validateOutput } : {}),
  };
  if (task.kind === 'ndjson') {
    const text = decodeLines(new Uint8Array(task.bytes), ctx.displayName);
    const result = anonymizeNdjsonText(engine.anonymizer, text, { ...common, firstLine: 1, atStart: task.first });
    const bytes = wholeBuffer(encoder.encode(result.output));
    return { reply: { id: task.id, ok: true, bytes, lines: result.lines, resources: result.resources }, transfer: [bytes] };
  }
  const before = engine.anonymizer.stats.resources;
  const out = anonymizeJsonDocument(engine.anonymizer, decodeDocument(new Uint8Array(task.bytes), ctx.displayName), common);
  const bytes = wholeBuffer(encoder.encode(out));
  const resources = Math.max(1, engine.anonymizer.stats.resources - before);
  return { reply: { id: task.id, ok: true, bytes, lines: 0, resources }, transfer: [bytes] };
}

ready.then(
  () => port.postMessage({ ready: true } satisfies WorkerReady),
  (err: unknown) => port.postMessage({ ready: false, error: toWire(err) } satisfies WorkerReady),
);

port.on('message', (task: WorkerTask) => {
  ready.then(
    (engine) => {
      let answer: { reply: WorkerReply; transfer: ArrayBuffer[] };
      try {
        answer = handle(engine, task);
      } catch (err) {
        answer = { reply: { id: task.id, ok: false, error: toWire(err) }, transfer: [] };
      }
      port.postMessage(answer.reply, answer.transfer);
    },
    (err: unknown) => port.postMessage({ id: task.id, ok: false, error: toWire(err) } satisfies WorkerReply),
  );
});
