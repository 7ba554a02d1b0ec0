/**
 * Stand-alone entry of the dicom command (`node dist/cli/dicom-main.js -i in.dcm -o out.dcm`),
 * used by the tests until the main CLI dispatches `health-anonymizer dicom` to it.
 * @module
 */
import { runDicomCommand } from './dicom.ts';

process.exitCode = await runDicomCommand(process.argv.slice(2));
