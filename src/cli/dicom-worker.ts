/**
 * Worker thread of `health-anonymizer dicom --workers N`: builds the same anonymizer as the main
 * thread from the job settings, then anonymizes the files it is sent, one message per file.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createJobAnonymizer, processDicomFileSync, type DicomJobSettings } from './dicom.ts';

const port = parentPort!;
const settings = workerData as DicomJobSettings;
const anonymizer = createJobAnonymizer(settings);
port.on('message', (batch: readonly (readonly [string, string])[]) => {
  port.postMessage(batch.map(([input, output]) => processDicomFileSync(anonymizer, input, output, settings.validateOutput === true)));
});
port.postMessage({ ready: true });
