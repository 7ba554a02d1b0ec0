#!/usr/bin/env node
/**
 * Entry point of the `health-anonymizer` executable (package.json `bin`). Installs signal
 * handlers that delete temporary outputs, runs {@link runCli}, and sets the exit code.
 * @module
 */
import process from 'node:process';
import { runCli } from './cli.ts';
import { removeTempFilesSync } from './files.ts';
import { EXIT } from './meta.ts';

function onSignal(signal: 'SIGINT' | 'SIGTERM', code: number): void {
  process.on(signal, () => {
    removeTempFilesSync();
    process.stderr.write(`\ninterrupted (${signal}); temporary outputs removed\n`);
    process.exit(code);
  });
}

// Until the run completes, an unexpected early exit reports an internal error, and any
// temporary output still open is deleted.
process.exitCode = EXIT.internal;
process.on('exit', removeTempFilesSync);
// A crash must not print a message or stack that could quote data, nor leave temporary files.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    removeTempFilesSync();
    process.stderr.write(`internal error (${err instanceof Error ? err.name : typeof err}); please report it\n`);
    process.exit(EXIT.internal);
  });
}
onSignal('SIGINT', 130);
onSignal('SIGTERM', 143);
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    removeTempFilesSync();
    process.stderr.write('internal error; please report it\n');
    process.exitCode = EXIT.internal;
  },
);
