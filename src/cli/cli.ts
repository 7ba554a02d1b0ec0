/**
 * The `health-anonymizer` command logic: dispatches to the `fhir`, `dicom`, `config` and `decrypt`
 * subcommands and maps errors to the documented exit codes (docs/cli.md).
 * Error messages name where a problem is, never a value from the data or a key.
 * @module
 */
import { readEnv } from '../util/env.ts';
import process from 'node:process';
import { AnonymizerError, ConfigError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import { removeTempFilesSync } from './files.ts';
import { FHIR_HELP, MAIN_HELP } from './help.ts';
import { EXIT, TOOL } from './meta.ts';
import { CORE_ENV_VAR } from '../core/select.ts';

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_USAGE', 'ERR_CONFIG_INVALID', 'ERR_CONFIG_PARSE', 'ERR_RULE_COMPILE', 'ERR_KEY_SIZE', 'ERR_INVALID_ARGUMENT', 'ERR_UNSUPPORTED',
]);

/**
 * The exit code for an error that stopped the whole run.
 * @param err - What was thrown.
 * @returns 2 for usage and configuration errors, 3 for I/O, 1 for input errors, 70 otherwise.
 */
export function exitCodeFor(err: unknown): number {
  if (!(err instanceof AnonymizerError)) return EXIT.internal;
  if (USAGE_CODES.has(err.code)) return EXIT.usage;
  if (err.code === 'ERR_IO') return EXIT.io;
  if (err.code === 'ERR_INPUT_PARSE' || err.code === 'ERR_INPUT_INVALID' || err.code === 'ERR_PROCESSING' || err.code === 'ERR_CIPHERTEXT_INVALID') return EXIT.inputFailed;
  return EXIT.internal;
}

function printError(err: unknown): void {
  if (err instanceof AnonymizerError) {
    process.stderr.write(`error [${err.code}]: ${err.message}\n`);
    if (err instanceof ConfigError) {
      for (const d of err.diagnostics) process.stderr.write(`  ${d.pointer === '' ? '/' : d.pointer}: ${d.message} [${d.code}]\n`);
    }
  } else {
    // A foreign error's message could quote input; print its class only.
    process.stderr.write(`internal error (${err instanceof Error ? err.name : typeof err}); please report it\n`);
    // HEALTH_ANONYMIZER_DEBUG=1 prints the stack frames (code locations only, not the message).
    if (readEnv('HEALTH_ANONYMIZER_DEBUG') === '1' && err instanceof Error && err.stack !== undefined) {
      process.stderr.write(err.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') + '\n');
    }
  }
}

/**
 * Runs the CLI.
 * @param argv - Arguments after the program name.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // The pure-JS crypto core is loaded only when asked for (WASM runs never pay its start-up).
    if (readEnv(CORE_ENV_VAR) === 'js') await import('../core/index.ts');
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(MAIN_HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-V') {
      process.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
      return EXIT.ok;
    }
    if (command === 'fhir') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(FHIR_HELP);
        return EXIT.ok;
      }
      const { runFhirCommand } = await import('./fhir-command.ts');
      return await runFhirCommand(rest);
    }
    // Subcommands load on demand: `fhir` with workers never loads FHIRPath on this thread.
    if (command === 'config') return await (await import('./config-command.ts')).runConfigCommand(rest);
    if (command === 'dicom') return await (await import('./dicom.ts')).runDicomCommand(rest);
    if (command === 'decrypt') return await (await import('./decrypt-command.ts')).runDecryptCommand(rest);
    process.stderr.write(`unknown command; try --help\n`);
    return EXIT.usage;
  } catch (err) {
    removeTempFilesSync();
    printError(err);
    return exitCodeFor(err);
  }
}

