/**
 * `health-anonymizer config validate FILE`: checks a FHIR configuration (and optionally a key
 * file) and prints every problem with its line, column and JSON pointer, never a key.
 * @module
 */
import { parseArgs } from 'node:util';
import process from 'node:process';
import { UsageError } from '../errors.ts';
import { validateConfigCommand } from '../config/index.ts';
import { envLookup, readTextFile } from './config-request.ts';
import { EXIT } from './meta.ts';

/**
 * Runs `config …`.
 * @param argv - Arguments after `config`.
 * @returns 0 when the configuration is valid, 2 when it is not.
 * @throws {@link UsageError} for a missing or unknown subcommand or flag; `IoError` when a file cannot be read.
 */
export async function runConfigCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'validate') throw new UsageError('usage: health-anonymizer config validate FILE [--fhir-version R4|Stu3] [--key-file FILE] [--strict]');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { 'fhir-version': { type: 'string' }, 'key-file': { type: 'string' }, strict: { type: 'boolean' } },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]! : 'invalid arguments');
  }
  if (parsed.positionals.length !== 1) throw new UsageError('config validate expects exactly one FILE');
  const file = parsed.positionals[0]!;
  const v = parsed.values['fhir-version']?.toLowerCase();
  if (v !== undefined && v !== 'r4' && v !== 'stu3') throw new UsageError('--fhir-version expects R4 or Stu3');
  const keyFilePath = parsed.values['key-file'];
  const text = await readTextFile(file, 'configuration file');
  const result = validateConfigCommand(text, file, {
    strict: parsed.values.strict === true,
    env: envLookup,
    ...(v === undefined ? {} : { fhirVersion: v === 'r4' ? 'R4' : 'Stu3' }),
    ...(keyFilePath === undefined ? {} : { keyFile: { text: await readTextFile(keyFilePath, 'key file'), file: keyFilePath } }),
  });
  (result.ok ? process.stdout : process.stderr).write(result.report);
  return result.ok ? EXIT.ok : EXIT.usage;
}
