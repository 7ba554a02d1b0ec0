/**
 * Helper thread of `health-anonymizer dicom` on folders (`--workers N`, or `auto`): builds the same
 * anonymizer as the main thread from the job settings, then takes jobs from the counter it shares
 * with the main thread and the other helpers until none is left, and reports the outcomes in
 * small batches by job index.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  createJobAnonymizer, HELPER_BATCH, processDicomFileSync, type DicomFileOutcome, type DicomHelperData, type DicomHelperReport,
} from './dicom.ts';
import { CORE_ENV_VAR } from '../core/select.ts';
import { readEnv } from '../util/env.ts';
import { installDeflateCodec } from '../dicom/deflate-codec.ts';
import { FFLATE_CODEC } from '../dicom/deflate.ts';

// Workers process files synchronously, so the deflate codec is installed up front.
installDeflateCodec(FFLATE_CODEC);

// Like the main thread, load the pure-JS crypto core only when it is selected.
if (readEnv(CORE_ENV_VAR) === 'js') await import('../core/index.ts');

const port = parentPort!;
const { settings, jobs, next } = workerData as DicomHelperData;
const anonymizer = createJobAnonymizer(settings);
const counter = new Int32Array(next);
let outcomes: [number, DicomFileOutcome][] = [];
for (;;) {
  const at = Atomics.add(counter, 0, 1);
  if (at >= jobs.length) break;
  const [input, output] = jobs[at]!;
  outcomes.push([at, processDicomFileSync(anonymizer, input, output, settings.validateOutput === true)]);
  if (outcomes.length >= HELPER_BATCH) {
    port.postMessage({ outcomes, final: false } satisfies DicomHelperReport);
    outcomes = [];
  }
}
port.postMessage({ outcomes, final: true } satisfies DicomHelperReport);
