/**
 * `health-anonymizer dicom`: anonymizes DICOM files or folders (the reference tool's flags are
 * accepted), writes outputs atomically, and can leave a JSON run report.
 *
 * Exit codes: 0 all files done; 1 at least one input failed; 2 usage or configuration error;
 * 3 I/O error; 70 internal error.
 * @module
 */
import { parseArgs } from 'node:util';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AnonymizerError, ConfigError, UsageError } from '../errors.ts';
import { getCore } from '../core/select.ts';
import { readEnv } from '../util/env.ts';
import { createDicomAnonymizer, type DicomAnonymizeResult, type DicomAnonymizer, type DicomWarning } from '../dicom/anonymizer.ts';
import { hasDeflateCodec, installDeflateCodec } from '../dicom/deflate-codec.ts';
import { parseDicom } from '../dicom/parse.ts';
import { parseDicomOption, type DicomOption } from '../dicom/rules/options.ts';
import { DICOM_SCANNER_WASM_SHA256 } from '../dicom/wasm-scanner.ts';
import type { ReportRule } from '../audit/report.ts';
import { TOOL, wasmSha256 } from './meta.ts';
import type { DicomRuleSet } from '../dicom/rules/reference-config.ts';

/** Exit codes of the dicom command. */
export const DICOM_EXIT: Readonly<{ ok: 0; inputFailed: 1; usage: 2; io: 3; internal: 70 }> = Object.freeze({ ok: 0, inputFailed: 1, usage: 2, io: 3, internal: 70 });

/** Environment variable holding the UID/date key when `--key-file` is not given. */
export const DICOM_KEY_ENV = 'HEALTH_ANONYMIZER_DICOM_KEY';

/** Where the command writes text. */
export interface DicomCommandIo {
  /** Standard output. */
  readonly stdout: (text: string) => void;
  /** Standard error. */
  readonly stderr: (text: string) => void;
  /** Whether standard error is a terminal (progress is shown only then). */
  readonly stderrIsTty: boolean;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The report's per-rule counts: with `-c`, one line per configuration rule (its index, tag
 * selector and method); with the profile, one line per Table E.1-1 outcome.
 */
function reportRules(counts: Readonly<Record<string, number>>, ruleSet: DicomRuleSet | undefined): ReportRule[] {
  return Object.entries(counts).map(([key, count], i) => {
    const rule = ruleSet?.rules[Number(key)];
    return rule !== undefined && /^\d+$/.test(key)
      ? { index: rule.index, path: rule.tagSpec, method: rule.method, count }
      : { index: i, path: `ps3.15:${key}`, method: key, count };
  });
}

/** One file's line in the run report. */
export interface DicomFileReport {
  /** Input path as given or found. */
  input: string;
  /** Output path (written only when `status` is `ok`). */
  output: string;
  /** `ok` or `error` (the run report's file statuses). */
  status: 'ok' | 'error';
  /** Elements seen, at every depth. */
  elements: number;
  /** The error, when failed. */
  error?: { code: string; message: string };
}

/** Settings a worker needs to build the same anonymizer as the main thread. */
export interface DicomJobSettings {
  /** PS3.15 options. */
  readonly options: readonly DicomOption[];
  /** Configuration text, when `-c` is used. */
  readonly configText?: string;
  /** Configuration file name. */
  readonly configFile?: string;
  /** Key bytes. */
  readonly key: Uint8Array;
  /** Date shift range in days. */
  readonly dateShiftRange: number;
  /** Data set scanner: `js` or `wasm`. */
  readonly scanner?: 'js' | 'wasm';
  /** Parse every output back before writing it (`--validateOutput`). */
  readonly validateOutput?: boolean;
}

/** The outcome of one file, as computed by {@link processDicomFile}. */
export interface DicomFileOutcome {
  /** Report line. */
  readonly file: DicomFileReport;
  /** Counts by method. */
  readonly methods: Readonly<Record<string, number>>;
  /** Counts by rule. */
  readonly rules: Readonly<Record<string, number>>;
  /** Warnings. */
  readonly warnings: readonly DicomWarning[];
  /** Input and output sizes. */
  readonly inputBytes: number;
  /** Output size (0 when failed). */
  readonly outputBytes: number;
  /** Whether the failure was an I/O error. */
  readonly ioError: boolean;
  /** Whether the failure was unexpected (a bug). */
  readonly internal: boolean;
}

const USAGE = `Usage:
  health-anonymizer dicom -i FILE -o FILE [options]
  health-anonymizer dicom -I DIR -O DIR [options]

Options:
  -i, --input, --inputFile FILE      input file
  -o, --output, --outputFile FILE    output file
  -I, --inputFolder DIR              input folder (recursive; *.dcm unless --all-files)
  -O, --outputFolder DIR             output folder (mirrors the input tree)
      --all-files                    in folder mode, take every file, not only *.dcm
      --profile NAME                 ps3.15-basic (default)
      --option NAME                  PS3.15 option, repeatable (e.g. retain-safe-private)
  -c, --config, --configFile FILE    the reference tool's DICOM configuration (replaces the profile)
      --key-file FILE                secret key for UIDs and dates (else $${DICOM_KEY_ENV}; else random)
      --date-shift-range DAYS        largest date shift with retain-longitudinal-modified-dates (365)
      --report FILE                  write a JSON run report
      --workers N                    threads that anonymize a folder's files, the main one included
                                     (default 1; helpers pay off on large files, not on small ones)
      --scanner js|wasm              data set scanner (default js; wasm is the AssemblyScript twin)
      --validateInput                accepted for compatibility (inputs are always parsed strictly)
      --validateOutput               parse every output back before writing it; a file whose
                                     output does not parse fails with ERR_INTERNAL (exit 70)
  -h, --help                         this text

Exit codes: 0 ok, 1 an input failed, 2 usage/configuration error, 3 I/O error, 70 internal error.
`;

function defaultIo(): DicomCommandIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTty: process.stderr.isTTY === true,
    // Only the one variable, read without a permission prompt under Deno.
    env: { [DICOM_KEY_ENV]: readEnv(DICOM_KEY_ENV) },
  };
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof AnonymizerError) return { code: err.code, message: err.message };
  return { code: 'ERR_INTERNAL', message: 'internal error' };
}

/**
 * Builds the anonymizer of a job (main thread and workers alike).
 * @param settings - Job settings.
 * @returns The anonymizer.
 * @throws {@link ConfigError} when the configuration is invalid.
 */
export function createJobAnonymizer(settings: DicomJobSettings): DicomAnonymizer {
  return createDicomAnonymizer({
    options: settings.options,
    key: settings.key,
    dateShiftRange: settings.dateShiftRange,
    core: getCore(),
    ...(settings.scanner !== undefined ? { scanner: settings.scanner } : {}),
    ...(settings.configText !== undefined ? { config: settings.configText } : {}),
    ...(settings.configFile !== undefined ? { configFile: settings.configFile } : {}),
  });
}

/**
 * Anonymizes one file and writes the output atomically (temporary file, then rename). On any
 * failure nothing is left at the output path.
 * @param anonymizer - The job's anonymizer.
 * @param input - Input path.
 * @param output - Output path.
 * @returns The outcome.
 */
export async function processDicomFile(anonymizer: DicomAnonymizer, input: string, output: string): Promise<DicomFileOutcome> {
  return processDicomFileSync(anonymizer, input, output);
}

const createdDirs = new Set<string>();
/** Reused input buffer: files are read into it, so small files allocate nothing large. */
let inputPool = new Uint8Array(1 << 20);
const INPUT_POOL_LIMIT = 64 << 20;

/** A plain Uint8Array over memory that is not zero-filled (every byte used is read first). */
function uninitialised(length: number): Uint8Array<ArrayBuffer> {
  const b = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, length);
}

function readInto(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    // Read until end of file into the pool (no fstat call); grow it when a file is larger.
    let target = inputPool;
    let done = 0;
    for (;;) {
      if (done === target.length) {
        // Larger than the pool: one fstat for the size, then an uninitialised buffer of that size
        // (+1 byte to see the end of file), so a big file is neither zero-filled nor re-copied by
        // repeated doubling.
        const size = fstatSync(fd).size;
        const bigger = uninitialised(Math.max(size + 1, target.length * 2));
        bigger.set(target.subarray(0, done));
        target = bigger;
        if (target.length <= INPUT_POOL_LIMIT) inputPool = target;
      }
      const n = readSync(fd, target, done, target.length - done, null);
      if (n === 0) break;
      done += n;
    }
    return target.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

type Prepared =
  | { readonly ok: true; readonly inputBytes: number; readonly result: DicomAnonymizeResult }
  | { readonly ok: false; readonly outcome: DicomFileOutcome };

function failed(file: DicomFileReport, error: { code: string; message: string }, inputBytes: number, kind: 'io' | 'input' | 'internal'): DicomFileOutcome {
  file.status = 'error';
  file.elements = 0;
  file.error = error;
  return { file, methods: {}, rules: {}, warnings: [], inputBytes, outputBytes: 0, ioError: kind === 'io', internal: kind === 'internal' };
}

/** Reads and anonymizes one file (and parses the output back with `validateOutput`); writes nothing. */
function prepareFile(anonymizer: DicomAnonymizer, file: DicomFileReport, validateOutput: boolean): Prepared {
  let bytes: Uint8Array;
  try {
    bytes = readInto(file.input);
  } catch {
    return { ok: false, outcome: failed(file, { code: 'ERR_IO', message: `cannot read input (${file.input})` }, 0, 'io') };
  }
  let result: DicomAnonymizeResult;
  try {
    result = anonymizer.anonymizeWithStats(bytes, { file: file.input, transient: true });
  } catch (err) {
    return { ok: false, outcome: failed(file, errorOf(err), bytes.length, err instanceof AnonymizerError ? 'input' : 'internal') };
  }
  if (validateOutput) {
    try {
      parseDicom(result.bytes, { file: file.output });
    } catch {
      return { ok: false, outcome: failed(file, { code: 'ERR_INTERNAL', message: 'the output does not parse back: not written' }, bytes.length, 'internal') };
    }
  }
  return { ok: true, inputBytes: bytes.length, result };
}

function succeeded(file: DicomFileReport, prepared: Prepared & { ok: true }): DicomFileOutcome {
  const { result } = prepared;
  file.status = 'ok';
  file.elements = result.elements;
  return {
    file, methods: result.methods, rules: result.rules, warnings: result.warnings,
    inputBytes: prepared.inputBytes, outputBytes: result.length, ioError: false, internal: false,
  };
}

function writeParts(fd: number, parts: readonly Uint8Array[]): void {
  // Parts are written in order, with one system call when the file system takes them all at once;
  // pixel data goes from the input buffer to the file, copied once.
  let total = 0;
  for (const part of parts) total += part.length;
  let skip = parts.length > 1 ? writevSync(fd, parts as Uint8Array[]) : 0;
  if (skip === total) return;
  // A short write: the rest part by part, from where it stopped.
  for (const part of parts) {
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    let done = skip;
    skip = 0;
    while (done < part.length) done += writeSync(fd, part, done, part.length - done);
  }
}

function tempNameFor(output: string): string {
  return `${output}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

function ensureDir(dir: string): void {
  if (!createdDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    createdDirs.add(dir);
  }
}

/**
 * Synchronous twin of {@link processDicomFile}, used by the worker threads.
 * @param anonymizer - The job's anonymizer.
 * @param input - Input path.
 * @param output - Output path.
 * @param validateOutput - Parse the output back before writing it; when that fails, nothing is
 *   written and the file fails with `ERR_INTERNAL`.
 * @returns The outcome.
 */
export function processDicomFileSync(anonymizer: DicomAnonymizer, input: string, output: string, validateOutput = false): DicomFileOutcome {
  const file: DicomFileReport = { input, output, status: 'error', elements: 0 };
  const prepared = prepareFile(anonymizer, file, validateOutput);
  if (!prepared.ok) return prepared.outcome;
  const temp = tempNameFor(output);
  let fd: number | undefined;
  try {
    ensureDir(dirname(output));
    fd = openSync(temp, 'wx');
    writeParts(fd, prepared.result.parts);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, output);
  } catch {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      unlinkSync(temp);
    } catch {
      // nothing to remove
    }
    return failed(file, { code: 'ERR_IO', message: `cannot write output (${output})` }, prepared.inputBytes, 'io');
  }
  return succeeded(file, prepared);
}

/** What the helper threads of a folder run get (dicom-worker.ts). */
export interface DicomHelperData {
  /** Settings to build the anonymizer. */
  readonly settings: DicomJobSettings;
  /** Every job of the run: input and output paths. */
  readonly jobs: readonly (readonly [string, string])[];
  /** One Int32: the index of the next job nobody has taken (taken with `Atomics.add`). */
  readonly next: SharedArrayBuffer;
}

/** One message from a helper: outcomes by job index; `final` once it found no job left. */
export interface DicomHelperReport {
  /** Finished jobs. */
  readonly outcomes: readonly (readonly [number, DicomFileOutcome])[];
  /** No further message follows. */
  readonly final: boolean;
}

/** Outcomes a helper collects before it sends them. */
export const HELPER_BATCH = 16;

/**
 * Anonymizes the jobs on this thread with direct system calls (on small files they beat the I/O
 * thread pool), sharing them with `threads - 1` helper threads: every thread takes the next job
 * from one shared counter, so none waits for another and a helper that is still starting costs
 * nothing. This thread finishes the jobs the helpers have not taken. The first deflated file seen
 * here loads the deflate codec and is tried again (nothing was written for it).
 * @throws Error when a helper stopped before it reported every job it took (the caller sweeps
 *   their temporary files and reports them as not completed).
 */
async function runJobs(
  anonymizer: DicomAnonymizer, settings: DicomJobSettings, jobs: readonly (readonly [string, string])[], threads: number,
  onDone: (o: DicomFileOutcome, at: number) => void,
): Promise<void> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const validateOutput = settings.validateOutput === true;
  let fromHelpers = 0;
  let mine = 0;
  let running = 0;
  let lost = false;
  let wake: (() => void) | undefined;
  const check = (): void => {
    if (wake !== undefined && (mine + fromHelpers === jobs.length || running === 0)) wake();
  };
  const helpers: Worker[] = [];
  if (threads > 1) {
    const { Worker: WorkerThread } = await import('node:worker_threads');
    const data: DicomHelperData = { settings, jobs, next: next.buffer as SharedArrayBuffer };
    for (let h = 1; h < threads; h++) {
      const helper = new WorkerThread(workerUrl(), { workerData: data });
      helpers.push(helper);
      running++;
      let settled = false;
      const settle = (finished: boolean): void => {
        if (settled) return;
        settled = true;
        if (!finished) lost = true;
        running--;
        check();
      };
      helper.on('message', (msg: DicomHelperReport) => {
        for (const [at, outcome] of msg.outcomes) {
          onDone(outcome, at);
          fromHelpers++;
        }
        if (msg.final) settle(true);
        else check();
      });
      helper.on('error', () => settle(false));
      helper.on('exit', () => settle(false));
    }
  }
  let complete = false;
  try {
    for (;;) {
      const at = Atomics.add(next, 0, 1);
      if (at >= jobs.length) break;
      const [input, output] = jobs[at]!;
      let outcome = processDicomFileSync(anonymizer, input, output, validateOutput);
      if (outcome.file.error?.code === 'ERR_UNSUPPORTED' && !hasDeflateCodec()) {
        installDeflateCodec((await import('../dicom/deflate.ts')).FFLATE_CODEC);
        outcome = processDicomFileSync(anonymizer, input, output, validateOutput);
      }
      onDone(outcome, at);
      mine++;
    }
    // Wait for the jobs the helpers took, unless they took none (a helper still starting is not waited for).
    if (mine + fromHelpers < jobs.length && running > 0) await new Promise<void>((resolveWait) => { wake = resolveWait; check(); });
    complete = mine + fromHelpers === jobs.length;
  } finally {
    // Helpers are idle (or still starting) once every job is reported; otherwise they are stopped
    // before the caller sweeps the temporary files of the jobs they did not report.
    if (complete) for (const helper of helpers) void helper.terminate();
    else await Promise.all(helpers.map((helper) => helper.terminate()));
  }
  if (!complete) throw new Error(lost ? 'a helper thread stopped early' : 'jobs not completed');
}

/**
 * Removes the temporary files of one output (`<output>.tmp-*`) that a worker stopped in the middle
 * of a write left behind. Other files are not touched.
 * @param output - The output path.
 * @returns How many files were removed.
 */
export async function sweepTempFiles(output: string): Promise<number> {
  const dir = dirname(output);
  const prefix = `${basename(output)}.tmp-`;
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    try {
      await unlink(join(dir, name));
      removed++;
    } catch {
      // gone already
    }
  }
  return removed;
}

/** The files to process under `root`, sorted, each with its path relative to `root`. */
async function listFiles(root: string, allFiles: boolean): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, join(rel, entry.name));
      else if (entry.isFile() && (allFiles || entry.name.toLowerCase().endsWith('.dcm'))) out.push([path, join(rel, entry.name)]);
    }
  };
  await walk(root, '');
  return out;
}

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./dicom-worker${ext}`, import.meta.url);
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Runs `health-anonymizer dicom` with the given arguments (without the command name).
 * @param argv - Arguments, e.g. `['-i', 'in.dcm', '-o', 'out.dcm']`.
 * @param io - Output streams and environment (defaults to the process's).
 * @returns The exit code (see {@link DICOM_EXIT}).
 * @example
 * ```ts
 * import { runDicomCommand } from './dicom.ts';
 * process.exitCode = await runDicomCommand(['-I', 'in', '-O', 'out', '--option', 'retain-uids']);
 * ```
 */
export async function runDicomCommand(argv: string[], io: DicomCommandIo = defaultIo()): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: 'string', short: 'i' }, inputFile: { type: 'string' },
        output: { type: 'string', short: 'o' }, outputFile: { type: 'string' },
        inputFolder: { type: 'string', short: 'I' }, outputFolder: { type: 'string', short: 'O' },
        'all-files': { type: 'boolean' },
        profile: { type: 'string' }, option: { type: 'string', multiple: true },
        config: { type: 'string', short: 'c' }, configFile: { type: 'string' },
        'key-file': { type: 'string' }, 'date-shift-range': { type: 'string' },
        report: { type: 'string' }, workers: { type: 'string' },
        validateInput: { type: 'boolean' }, validateOutput: { type: 'boolean' },
        scanner: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n\n${USAGE}`);
    return DICOM_EXIT.usage;
  }
  if (values['help'] === true) {
    io.stdout(USAGE);
    return DICOM_EXIT.ok;
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const inputFile = str('input') ?? str('inputFile');
  const outputFile = str('output') ?? str('outputFile');
  const inputFolder = str('inputFolder');
  const outputFolder = str('outputFolder');
  const configPath = str('config') ?? str('configFile');
  const warnings: { code: string; message: string; location?: { file: string } }[] = [];
  let settings: DicomJobSettings;
  let ruleSet: DicomRuleSet | undefined;
  let workers = 1;
  try {
    const fileMode = inputFile !== undefined || outputFile !== undefined;
    const folderMode = inputFolder !== undefined || outputFolder !== undefined;
    if (fileMode === folderMode || (fileMode && (inputFile === undefined || outputFile === undefined)) || (folderMode && (inputFolder === undefined || outputFolder === undefined))) {
      throw new UsageError('give either -i FILE and -o FILE, or -I DIR and -O DIR');
    }
    if (fileMode && resolve(inputFile!) === resolve(outputFile!)) throw new UsageError('input and output are the same file');
    if (folderMode && resolve(inputFolder!) === resolve(outputFolder!)) throw new UsageError('input and output are the same folder');
    const profile = str('profile');
    if (profile !== undefined && profile !== 'ps3.15-basic') throw new UsageError('unknown profile; expected ps3.15-basic');
    const options = ((values['option'] as string[] | undefined) ?? []).map(parseDicomOption);
    if (options.includes('retainLongitudinalFullDates') && options.includes('retainLongitudinalModifiedDates')) {
      throw new UsageError('retain-longitudinal-full-dates and retain-longitudinal-modified-dates exclude each other');
    }
    if (configPath !== undefined && (options.length > 0 || profile !== undefined)) {
      throw new UsageError('-c CONFIG replaces the profile; do not combine it with --profile or --option');
    }
    const rangeText = str('date-shift-range');
    const dateShiftRange = rangeText === undefined ? 365 : Number(rangeText);
    if (!Number.isInteger(dateShiftRange) || dateShiftRange < 1 || dateShiftRange > 36500) throw new UsageError('--date-shift-range expected an integer in [1, 36500]');
    const workersText = str('workers');
    workers = workersText === undefined ? 1 : Number(workersText);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new UsageError('--workers expected an integer in [1, 256]');
    let keyText: string | undefined;
    const keyFile = str('key-file');
    if (keyFile !== undefined) {
      try {
        keyText = await readFile(keyFile, 'utf8');
      } catch {
        io.stderr(`error: cannot read key file (${keyFile})\n`);
        return DICOM_EXIT.io;
      }
    } else {
      keyText = io.env[DICOM_KEY_ENV];
    }
    let key: Uint8Array;
    if (keyText !== undefined && keyText.trim() !== '') {
      key = new TextEncoder().encode(keyText.trim());
      if (key.length < 16) throw new UsageError('the key must be at least 16 bytes');
    } else {
      key = crypto.getRandomValues(new Uint8Array(32));
      warnings.push({ code: 'W_DICOM_RANDOM_KEY', message: 'no key given: a random key was used, so UIDs and date shifts are not consistent with other runs' });
    }
    let configText: string | undefined;
    if (configPath !== undefined) {
      try {
        configText = await readFile(configPath, 'utf8');
      } catch {
        io.stderr(`error: cannot read configuration (${configPath})\n`);
        return DICOM_EXIT.io;
      }
    }
    const scanner = str('scanner');
    if (scanner !== undefined && scanner !== 'js' && scanner !== 'wasm') throw new UsageError('--scanner expected js or wasm');
    settings = {
      options, key, dateShiftRange,
      ...(values['validateOutput'] === true ? { validateOutput: true } : {}),
      ...(scanner !== undefined ? { scanner } : {}),
      ...(configText !== undefined ? { configText, configFile: configPath! } : {}),
    };
    if (configText !== undefined) {
      const { dateShiftWarnings, loadDicomConfig } = await import('../dicom/rules/reference-config.ts');
      const rules: DicomRuleSet = loadDicomConfig(configText, { file: configPath! });
      ruleSet = rules;
      for (const w of dateShiftWarnings(rules)) warnings.push({ code: w.code, message: w.message });
      if (workers > 1 && rules.rules.some((r) => r.method === 'refreshUID')) {
        workers = 1;
        warnings.push({ code: 'W_DICOM_WORKERS_REFRESHUID', message: 'refreshUID keeps its UID map per process: ran with one worker so UIDs stay consistent' });
      }
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`error: ${err.message}\n`);
      for (const d of err.diagnostics) io.stderr(`  ${d.pointer || '/'}: ${d.message}\n`);
      return DICOM_EXIT.usage;
    }
    if (err instanceof AnonymizerError) {
      io.stderr(`error: ${err.message}\n${err instanceof UsageError ? `\n${USAGE}` : ''}`);
      return DICOM_EXIT.usage;
    }
    io.stderr('error: internal error\n');
    return DICOM_EXIT.internal;
  }

  let anonymizer: DicomAnonymizer;
  try {
    anonymizer = createJobAnonymizer(settings);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`error: ${err.message}\n`);
      for (const d of err.diagnostics) io.stderr(`  ${d.pointer || '/'}: ${d.message}\n`);
    } else {
      io.stderr(`error: ${errorOf(err).message}\n`);
    }
    return err instanceof AnonymizerError ? DICOM_EXIT.usage : DICOM_EXIT.internal;
  }

  let jobs: [string, string][];
  if (inputFile !== undefined) {
    jobs = [[inputFile, outputFile!]];
  } else {
    try {
      if (!(await stat(inputFolder!)).isDirectory()) throw new Error('not a folder');
      jobs = (await listFiles(inputFolder!, values['all-files'] === true)).map(([p, rel]) => [p, join(outputFolder!, rel)]);
    } catch {
      io.stderr(`error: cannot read input folder (${inputFolder})\n`);
      return DICOM_EXIT.io;
    }
  }

  // Counts are summed as files finish; only the small per-file report lines are kept.
  const files: DicomFileReport[] = new Array(jobs.length);
  const fileWarnings: (readonly DicomWarning[] | undefined)[] = new Array(jobs.length);
  const methods: Record<string, number> = {};
  const rules: Record<string, number> = {};
  let elements = 0;
  let inputBytes = 0;
  let outputBytes = 0;
  let ioErrors = 0;
  let internal = 0;
  // Workers report by input path; the sequential loop by position.
  let index: Map<string, number> | undefined;
  let done = 0;
  const onDone = (o: DicomFileOutcome, position?: number): void => {
    const at = position ?? (index ??= new Map(jobs.map(([i], n) => [i, n]))).get(o.file.input)!;
    files[at] = o.file;
    if (o.warnings.length > 0) fileWarnings[at] = o.warnings;
    addCounts(methods, o.methods);
    addCounts(rules, o.rules);
    if (o.ioError) ioErrors++;
    if (o.internal) internal++;
    elements += o.file.elements;
    inputBytes += o.inputBytes;
    outputBytes += o.outputBytes;
    done++;
    if (io.stderrIsTty) io.stderr(`\r${done}/${jobs.length} files`);
  };
  try {
    await runJobs(anonymizer, settings, jobs, Math.min(workers, jobs.length), onDone);
  } catch {
    io.stderr('\nerror: internal error in a worker\n');
    // The other workers were stopped, maybe in the middle of a write: remove their temporary files
    // and report the files that did not complete (the report still says which outputs are whole).
    for (let i = 0; i < jobs.length; i++) {
      if (files[i] !== undefined) continue;
      const [input, output] = jobs[i]!;
      await sweepTempFiles(output);
      files[i] = { input, output, status: 'error', elements: 0, error: { code: 'ERR_INTERNAL', message: 'not completed: a worker failed' } };
      internal++;
    }
  }
  if (io.stderrIsTty && jobs.length > 0) io.stderr('\n');

  const errors: { code: string; message: string; location: { file: string } }[] = [];
  let ok = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    for (const w of fileWarnings[i] ?? []) warnings.push({ ...w, location: { file: file.input } });
    if (file.status === 'ok') ok++;
    else {
      errors.push({ code: file.error!.code, message: file.error!.message, location: { file: file.input } });
      io.stderr(`failed: ${file.error!.message}\n`);
    }
  }
  for (const w of warnings.filter((w) => w.location === undefined)) io.stderr(`warning: ${w.message}\n`);
  const failed = jobs.length - ok;
  const exit = internal > 0 ? DICOM_EXIT.internal : ioErrors > 0 ? DICOM_EXIT.io : failed > 0 ? DICOM_EXIT.inputFailed : DICOM_EXIT.ok;
  const reportPath = str('report');
  if (reportPath !== undefined) {
    const { RunReportBuilder } = await import('../audit/report.ts');
    const builder = new RunReportBuilder({
      tool: TOOL,
      wasmSha256: wasmSha256(),
      engine: 'dicom',
      configFingerprint: anonymizer.configFingerprint,
      details: {
        scanner: { kind: anonymizer.scanner, wasmSha256: anonymizer.scanner === 'wasm' ? DICOM_SCANNER_WASM_SHA256 : null },
        profile: anonymizer.mode === 'profile' ? { name: 'ps3.15-basic', table: '2024b', options: settings.options } : null,
        keyIsRandom: warnings.some((w) => w.code === 'W_DICOM_RANDOM_KEY'),
        inputBytes,
        outputBytes,
      },
      startedAt,
    });
    for (const f of files) builder.addFile({ ...f, resources: f.status === 'ok' ? 1 : 0 });
    for (const w of warnings) builder.addWarning({ code: w.code, message: w.location === undefined ? w.message : `${w.message} (${w.location.file})` });
    for (const e of errors) builder.addError(e);
    const report = builder.finish({ rules: reportRules(rules, ruleSet), methods });
    const temp = `${reportPath}.tmp-${process.pid}`;
    try {
      await mkdir(dirname(resolve(reportPath)), { recursive: true });
      await writeFile(temp, JSON.stringify(report, null, 2) + '\n');
      await rename(temp, reportPath);
    } catch {
      await unlink(temp).catch(() => undefined);
      io.stderr(`error: cannot write report (${reportPath})\n`);
      return DICOM_EXIT.io;
    }
  }
  io.stdout(`${ok} of ${jobs.length} files anonymized${failed > 0 ? `, ${failed} failed` : ''}\n`);
  return exit;
}
