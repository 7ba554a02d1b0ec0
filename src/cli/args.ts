/**
 * Command-line parsing for `health-anonymizer fhir` (node:util parseArgs, available in Node,
 * Deno and Bun), with the reference tool's flags accepted as aliases.
 * @module
 */
import { parseArgs } from 'node:util';
import { availableParallelism, cpus } from 'node:os';
import { UsageError } from '../errors.ts';

/** Parsed options of `health-anonymizer fhir`. */
export interface FhirCliOptions {
  readonly input: string;
  readonly output: string;
  readonly config?: string;
  readonly profile?: string;
  readonly fhirVersion?: 'R4' | 'Stu3';
  readonly bulk: boolean;
  readonly recursive: boolean;
  readonly skip: boolean;
  readonly validateInput: boolean;
  readonly validateOutput: boolean;
  readonly verbose: boolean;
  readonly referenceDate?: Date;
  readonly keyFile?: string;
  readonly workers: number;
  readonly report?: string;
}

/** Default worker count: the number of cores the process may use. */
export function defaultWorkers(): number {
  try {
    return Math.max(1, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
  } catch {
    return 1;
  }
}

function parseDate(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || date === undefined || date.toISOString().slice(0, 10) !== text) {
    throw new UsageError('--reference-date expects a calendar date YYYY-MM-DD');
  }
  return date;
}

function usageFrom(err: unknown): UsageError {
  // parseArgs messages name the option (typed by the operator), never data.
  const message = err instanceof Error ? err.message.split('\n')[0]! : 'invalid arguments';
  return new UsageError(message);
}

/**
 * Parses the arguments after `fhir`.
 * @param argv - Arguments.
 * @returns The options.
 * @throws {@link UsageError} on unknown flags, missing values or conflicts.
 */
export function parseFhirArgs(argv: readonly string[]): FhirCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        input: { type: 'string', short: 'i' },
        inputFolder: { type: 'string' },
        output: { type: 'string', short: 'o' },
        outputFolder: { type: 'string' },
        config: { type: 'string', short: 'c' },
        configFile: { type: 'string' },
        profile: { type: 'string' },
        'fhir-version': { type: 'string' },
        bulkData: { type: 'boolean', short: 'b' },
        recursive: { type: 'boolean', short: 'r' },
        skip: { type: 'boolean', short: 's' },
        validateInput: { type: 'boolean' },
        validateOutput: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        'reference-date': { type: 'string' },
        'key-file': { type: 'string' },
        workers: { type: 'string', short: 'w' },
        report: { type: 'string' },
      },
    });
  } catch (err) {
    throw usageFrom(err);
  }
  const v = parsed.values;
  const one = (a: string | undefined, b: string | undefined, name: string): string | undefined => {
    if (a !== undefined && b !== undefined && a !== b) throw new UsageError(`${name} given twice with different values`);
    return a ?? b;
  };
  const input = one(v.input, v.inputFolder, '-i/--inputFolder');
  const output = one(v.output, v.outputFolder, '-o/--outputFolder');
  const config = one(v.config, v.configFile, '-c/--configFile');
  if (input === undefined || input === '') throw new UsageError('missing -i/--input (a file, a folder or - for stdin)');
  if (output === undefined || output === '') throw new UsageError('missing -o/--output (a file, a folder or - for stdout)');
  if (config !== undefined && v.profile !== undefined) throw new UsageError('give either -c/--config or --profile, not both');
  if (v.report === '-' && output === '-') throw new UsageError('--report - (stdout) needs an output other than stdout');
  let fhirVersion: 'R4' | 'Stu3' | undefined;
  if (v['fhir-version'] !== undefined) {
    const f = v['fhir-version'].toLowerCase();
    if (f === 'r4') fhirVersion = 'R4';
    else if (f === 'stu3') fhirVersion = 'Stu3';
    else throw new UsageError('--fhir-version expects R4 or Stu3');
  }
  let workers = defaultWorkers();
  if (v.workers !== undefined) {
    if (!/^\d+$/.test(v.workers) || Number(v.workers) < 1 || Number(v.workers) > 256) throw new UsageError('--workers expects an integer from 1 to 256');
    workers = Number(v.workers);
  }
  const out: { -readonly [K in keyof FhirCliOptions]: FhirCliOptions[K] } = {
    input,
    output,
    bulk: v.bulkData === true,
    recursive: v.recursive === true,
    skip: v.skip === true,
    validateInput: v.validateInput === true,
    validateOutput: v.validateOutput === true,
    verbose: v.verbose === true,
    workers,
  };
  if (config !== undefined) out.config = config;
  if (v.profile !== undefined) out.profile = v.profile;
  if (fhirVersion !== undefined) out.fhirVersion = fhirVersion;
  if (v['reference-date'] !== undefined) out.referenceDate = parseDate(v['reference-date']);
  if (v['key-file'] !== undefined) out.keyFile = v['key-file'];
  if (v.report !== undefined) out.report = v.report;
  return out;
}

/**
 * Parses `decrypt` arguments.
 * @param argv - Arguments after `decrypt`.
 * @returns Key file (optional) and the values (empty: read lines from stdin).
 * @throws {@link UsageError} on unknown flags.
 */
export function parseDecryptArgs(argv: readonly string[]): { keyFile?: string; values: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { 'key-file': { type: 'string' } } });
    const keyFile = parsed.values['key-file'];
    return keyFile === undefined ? { values: parsed.positionals } : { keyFile, values: parsed.positionals };
  } catch (err) {
    throw usageFrom(err);
  }
}
