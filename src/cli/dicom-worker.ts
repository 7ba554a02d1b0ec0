/**
 * Worker thread of `health-anonymizer dicom --workers N`: builds the same anonymizer as the main
 * thread from the job settings, then anonymizes the files it is sent, one message per file.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createJobAnonymizer, processDicomFileSync, type DicomJobSettings } from './dicom.ts';
import { CORE_ENV_VAR } from '../core/select.ts';
import { readEnv } from '../util/env.ts';
import { installDeflateCodec } from '../dicom/deflate-codec.ts';
import { FFLATE_CODEC } from '../dicom/deflate.ts';

// Workers process files synchronously, so the deflate codec is installed up front.
installDeflateCodec(FFLATE_CODEC);

// Like the main thread, load the pure-JS crypto core only when it is selected.
if (readEnv(CORE_ENV_VAR) === 'js') await import('../core/index.ts');

const port = parentPort!;
const settings = workerData as DicomJobSettings;
const anonymizer = createJobAnonymizer(settings);
port.on('message', (batch: readonly (readonly [string, string])[]) => {
  port.postMessage(batch.map(([input, output]) => processDicomFileSync(anonymizer, input, output, settings.validateOutput === true)));
});
port.postMessage({ ready: true });
