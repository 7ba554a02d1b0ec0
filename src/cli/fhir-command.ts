/**
 * `health-anonymizer fhir`: anonymizes FHIR JSON and NDJSON files, folders or stdin, with
 * atomic outputs, an optional worker pool, schema validation and a run report.
 * @module
 */
import { concatBytes } from '../util/bytes.ts';
import { readEnv } from '../util/env.ts';
import process from 'node:process';
import { basename, dirname, join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { AnonymizerError, IoError, ProcessingError, UsageError } from '../errors.ts';
import type { ErrorLocation } from '../errors.ts';
import { RunReportBuilder, singleDateShiftOffsetWarning } from '../audit/report.ts';
import type { ReportFile, ReportRule, ReportWarning } from '../audit/report.ts';
import type { FhirAnonymizer } from '../fhir/anonymizer.ts';
import type { SchemaVersion } from '../fhir/io/schema-validator.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import { parseFhirArgs } from './args.ts';
import type { FhirCliOptions } from './args.ts';
import { readConfigRequest } from './config-request.ts';
import type { LoadedConfig } from './config-source.ts';
import { anonymizePiece, createValidators, emptyStats, type EngineCache, fhirEngineCache, mergeStats, type PieceResult } from './engine-run.ts';
import { randomDefaultKey } from '../config/fhir-keys.ts';
import { hasRandomDateShiftKey } from '../config/fresh-keys.ts';
import type { InputFile, LineChunk } from './files.ts';
import { discoverInputs, exists, ioReason, formatOf, isDirectory, isInside, lineChunks, readPieces, readWhole } from './files.ts';
import { DEFAULT_WORKER_HEAP_MB, WorkerPool } from './pool.ts';
import type { StatsSnapshot, TaskContext, WorkerInit, WorkerReply } from './protocol.ts';
import { fromWire, toWire, wholeBuffer } from './protocol.ts';
import { relocate } from '../fhir/io/locate.ts';
import { fileSink, stdoutSink } from './sinks.ts';
import type { Sink } from './sinks.ts';
import { EXIT, TOOL, wasmSha256 } from './meta.ts';
import { createProgress } from './progress.ts';

const CHUNK_BYTES = 1 << 20;
const MAX_LINE_BYTES = 256 * 1024 * 1024;
const encoder = new TextEncoder();

/** One unit of work: an input and where its output goes. */
interface Job {
  readonly input: InputFile | 'stdin';
  readonly format: 'json' | 'ndjson';
  readonly output: string; // path or '-'
  readonly reportInput: string;
  readonly context: TaskContext;
}

interface Runner {
  json(bytes: Uint8Array, ctx: TaskContext): Promise<{ bytes: Uint8Array; resources: number }>;
  ndjson(source: AsyncIterable<Uint8Array>, sink: Sink, ctx: TaskContext, onBytes?: (inputBytes: number) => void): Promise<number>;
  stats(): Promise<StatsSnapshot>;
  /** Whether a worker of the pool failed during the run (the main thread took over its work). */
  workerFailed(): boolean;
  close(): Promise<void>;
  readonly parallel: number;
}

/**
 * Runs the `fhir` subcommand.
 * @param argv - Arguments after `fhir`.
 * @returns The exit code (0 ok, 1 an input failed, 2 usage/configuration, 3 I/O).
 * @throws {@link UsageError}, configuration errors and {@link IoError} before any output is written.
 */
export async function runFhirCommand(argv: readonly string[]): Promise<number> {
  const startedAt = new Date();
  const opts = parseFhirArgs(argv);
  const request = await readConfigRequest(opts);
  const jobs = await planJobs(opts);
  const progress = createProgress(jobs.length);
  const threads = Math.min(opts.workers, await usefulParallelism(jobs));
  const init: WorkerInit = {
    validateInput: opts.validateInput,
    validateOutput: opts.validateOutput,
    ...(opts.referenceDate !== undefined ? { referenceDate: opts.referenceDate } : {}),
    ...(opts.fhirVersion !== undefined ? { fhirVersion: opts.fhirVersion } : {}),
  };
  // The configuration is loaded and the engines built before any output is opened: a bad
  // configuration stops the run with exit 2. `--workers N` counts the threads that anonymize,
  // this one included: N − 1 workers start first and load the engine's code while this thread
  // loads the configuration once (random keys are drawn once) and sends the normalized result to
  // them; this thread then anonymizes too, and each worker joins when its engine is built.
  const pool = threads > 1 ? new WorkerPool(threads - 1, init, workerHeapMb()) : undefined;
  let loaded: LoadedConfig;
  let runner: Runner;
  try {
    const { loadConfigRequest } = await import('./config-source.ts');
    loaded = loadConfigRequest(request);
    pool?.configure(loaded.config);
    const { createFhirAnonymizer } = await import('../fhir/anonymizer.ts');
    const options = opts.referenceDate !== undefined ? { referenceDate: opts.referenceDate } : {};
    const engines = fhirEngineCache(createFhirAnonymizer, loaded.config, options);
    runner = await createRunner(engines, validationOf(init, loaded.config), pool);
  } catch (err) {
    await pool?.close();
    throw err;
  }
  const config = loaded.config;
  // No supplied dateShiftKey: each input gets its own random key, drawn here once per file and
  // sent with every chunk (the reference tool loads its configuration, so draws a key, per file).
  // Not with dateShiftScope "patient", whose point is one offset per patient across files.
  const freshKeyPerFile = hasRandomDateShiftKey(config) && config.parameters.dateShiftScope !== 'patient';
  const report = new RunReportBuilder({ tool: TOOL, wasmSha256: wasmSha256(), engine: 'fhir', configFingerprint: loaded.fingerprint, startedAt });

  let ioFailed = false;
  let dataFailed = false;
  const fail = (job: Job, err: unknown): ReportFile => {
    const e = err instanceof AnonymizerError ? err : toWireError(err);
    if (e.code === 'ERR_IO') ioFailed = true;
    else dataFailed = true;
    const location: ErrorLocation = e.location ?? { file: job.reportInput };
    report.addError({ code: e.code, message: e.message, location });
    process.stderr.write(`${progress.clear()}error: ${e.message}\n`);
    return { input: job.reportInput, status: 'error', resources: 0, error: { code: e.code, message: e.message } };
  };

  const runJob = async (plain: Job): Promise<ReportFile> => {
    const job: Job = freshKeyPerFile ? { ...plain, context: { ...plain.context, dateShiftKey: randomDefaultKey('dateShiftKey') } } : plain;
    let sink: Sink | undefined;
    try {
      if (opts.skip && job.output !== '-' && (await exists(job.output))) {
        if (opts.verbose) process.stderr.write(`${progress.clear()}skip ${job.reportInput}: output exists\n`);
        return { input: job.reportInput, output: job.output, status: 'skipped', resources: 0 };
      }
      let resources: number;
      if (job.format === 'json') {
        const bytes = job.input === 'stdin' ? await readStdin() : await readWhole(job.input.path);
        const result = await runner.json(bytes, job.context);
        sink = job.output === '-' ? stdoutSink() : await fileSink(job.output);
        await sink.write(result.bytes);
        resources = result.resources;
      } else {
        sink = job.output === '-' ? stdoutSink() : await fileSink(job.output);
        const source = job.input === 'stdin' ? stdinPieces() : readPieces(job.input.path, CHUNK_BYTES);
        resources = await runner.ndjson(source, sink, job.context, (n) => progress.bytes(job.reportInput, n));
      }
      await sink.commit();
      if (opts.verbose) process.stderr.write(`${progress.clear()}ok ${job.reportInput} -> ${job.output} (${resources} resources)\n`);
      return { input: job.reportInput, output: job.output, status: 'ok', resources };
    } catch (err) {
      await sink?.abort();
      return fail(job, err);
    } finally {
      progress.tick(job.reportInput);
    }
  };

  const results: ReportFile[] = new Array(jobs.length);
  try {
    // JSON files run `parallel` at a time; an NDJSON file spreads its chunks over the pool.
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      if (job.format === 'ndjson') {
        await Promise.all(inFlight);
        results[i] = await runJob(job);
        continue;
      }
      const index = i;
      const p: Promise<void> = runJob(job).then((r) => {
        results[index] = r;
        inFlight.delete(p);
      });
      inFlight.add(p);
      if (inFlight.size >= runner.parallel) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    // Counters are for the report; a pool that failed has none to give.
    const stats = await runner.stats().catch(() => emptyStats());
    for (const r of results) report.addFile(r);
    for (const w of randomKeyWarnings(config)) report.addWarning(w);
    const warnings = [singleDateShiftOffsetWarning(new Map(stats.dateShiftOffsets))];
    // A worker that failed (one that could not start, say) cost speed and the counts it held: say so.
    if (runner.workerFailed()) {
      warnings.push({
        code: 'WARN_WORKER_FAILED',
        message: 'a worker thread failed; the main thread did its work (an input it was anonymizing is reported as failed; the rule and method counts of this report miss what that worker had counted)',
      });
    }
    for (const warning of warnings) {
      if (warning === undefined) continue;
      report.addWarning(warning);
      process.stderr.write(`${progress.clear()}warning: ${warning.message}\n`);
    }
    progress.done();
    if (opts.report !== undefined) {
      const text = JSON.stringify(report.finish(ruleCounts(config, stats)), null, 2) + '\n';
      if (opts.report === '-') process.stdout.write(text);
      else await writeReport(opts.report, text);
    }
  } finally {
    await runner.close();
  }
  if (jobs.length === 0) process.stderr.write('warning: no input files found\n');
  return ioFailed ? EXIT.io : dataFailed ? EXIT.inputFailed : EXIT.ok;
}

/** Report warnings for keys that were drawn at random although a rule uses them (names and sources only). */
function randomKeyWarnings(config: FhirConfig): ReportWarning[] {
  const used = new Set(config.fhirPathRules.map((r) => r.method));
  const out: ReportWarning[] = [];
  const sources = config.keySources;
  if (sources === undefined) return out;
  if (used.has('cryptoHash') && sources.cryptoHashKey === 'random') {
    out.push({ code: 'WARN_RANDOM_KEY', message: 'cryptoHashKey was not supplied: a random key was used, so hashed ids differ from those of any other run' });
  }
  if (used.has('encrypt') && sources.encryptKey === 'random') {
    out.push({ code: 'WARN_RANDOM_KEY', message: 'encryptKey was not supplied: a random key was used and is lost, so encrypted values can never be decrypted' });
  }
  if (used.has('dateShift') && sources.dateShiftKey === 'random' && config.parameters.dateShiftFixedOffsetInDays === undefined) {
    out.push({ code: 'WARN_RANDOM_KEY', message: 'dateShiftKey was not supplied: random keys were used (one per input file, or per run with dateShiftScope "patient")' });
  }
  return out;
}

function workerHeapMb(): number {
  const v = readEnv('HEALTH_ANONYMIZER_WORKER_HEAP_MB');
  if (v === undefined || v === '') return DEFAULT_WORKER_HEAP_MB;
  if (!/^\d+$/.test(v) || Number(v) < 64) throw new UsageError('HEALTH_ANONYMIZER_WORKER_HEAP_MB expects an integer ≥ 64');
  return Number(v);
}

/** How many workers the inputs can keep busy: JSON files run side by side, NDJSON by 1 MiB chunks. */
async function usefulParallelism(jobs: readonly Job[]): Promise<number> {
  let json = 0;
  let chunks = 0;
  for (const job of jobs) {
    if (job.format === 'json') json++;
    else if (job.input === 'stdin') chunks = Number.POSITIVE_INFINITY;
    else chunks = Math.max(chunks, Math.ceil((await stat(job.input.path).then((s) => s.size, () => 0)) / CHUNK_BYTES));
  }
  return Math.max(1, json, chunks);
}

function toWireError(err: unknown): AnonymizerError {
  return fromWire(toWire(err));
}

function ruleCounts(config: FhirConfig, stats: StatsSnapshot): { rules: ReportRule[]; methods: Record<string, number> } {
  return {
    rules: config.fhirPathRules.map((r, i) => ({ index: r.index, path: r.path, method: r.method, count: stats.byRule[i] ?? 0 })),
    methods: stats.byMethod,
  };
}

async function writeReport(path: string, text: string): Promise<void> {
  const sink = await fileSink(path);
  try {
    await sink.write(encoder.encode(text));
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err instanceof AnonymizerError ? err : new IoError('cannot write the report', { location: { file: path }, cause: err });
  }
}

async function planJobs(opts: FhirCliOptions): Promise<Job[]> {
  if (opts.input === '-') {
    if (opts.output !== '-' && (await isDirectory(opts.output))) throw new UsageError('with -i - (stdin), -o must be a file or - (stdout)');
    return [{ input: 'stdin', format: opts.bulk ? 'ndjson' : 'json', output: opts.output, reportInput: '-', context: { file: 'stdin', displayName: '-' } }];
  }
  let info;
  try {
    info = await stat(opts.input);
  } catch (err) {
    throw new IoError(`cannot open input (${ioReason(err)})`, { location: { file: opts.input }, cause: err });
  }
  if (info.isDirectory()) {
    if (opts.output === '-') throw new UsageError('a folder input needs an output folder, not -');
    const inRoot = resolve(opts.input);
    const outRoot = resolve(opts.output);
    if (inRoot.toLowerCase() === outRoot.toLowerCase()) throw new UsageError('the output folder must differ from the input folder');
    if (await exists(outRoot) && !(await isDirectory(outRoot))) throw new UsageError('the output for a folder input must be a folder');
    const exclude = isInside(outRoot, inRoot) ? outRoot : undefined;
    const inputs = await discoverInputs(inRoot, { recursive: opts.recursive, bulk: opts.bulk, ...(exclude ? { exclude } : {}) });
    const folder = basename(inRoot);
    return inputs.map((f) => ({
      input: f,
      format: f.format,
      output: join(opts.output, f.relative),
      reportInput: f.relative,
      context: { file: basename(f.path), folder, displayName: join(opts.input, f.relative) },
    }));
  }
  const abs = resolve(opts.input);
  const format = formatOf(abs, opts.bulk);
  let output = opts.output;
  if (output !== '-' && (await isDirectory(output))) output = join(output, basename(abs));
  if (output !== '-' && resolve(output) === abs) throw new UsageError('the output file must differ from the input file');
  const file: InputFile = { path: abs, relative: basename(abs), format };
  return [{ input: file, format, output, reportInput: opts.input, context: { file: basename(abs), folder: basename(dirname(abs)), displayName: opts.input } }];
}

async function* stdinPieces(): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const piece of process.stdin as AsyncIterable<Uint8Array | string>) {
    yield typeof piece === 'string' ? encoder.encode(piece) : piece;
  }
}

async function readStdin(): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stdinPieces()) parts.push(p);
  return concatBytes(parts);
}


/** Which schema checks run, and for which release. */
interface Validation {
  readonly input?: SchemaVersion;
  readonly output?: SchemaVersion;
}

function validationOf(init: WorkerInit, config: FhirConfig): Validation {
  const version = init.fhirVersion ?? config.fhirVersion ?? 'R4';
  return { ...(init.validateInput ? { input: version } : {}), ...(init.validateOutput ? { output: version } : {}) };
}

/**
 * Most NDJSON chunks a worker holds (one running, the next queued): it finds its next chunk
 * waiting while this thread is busy with one of its own (~20 ms per 1 MiB chunk).
 */
const NDJSON_DEPTH = 2;
/** Chunks this thread may finish ahead of the oldest one still out, on top of the workers'. */
const NDJSON_AHEAD = 3;
/** Output writes queued before this thread waits for them. */
const WRITES_QUEUED = 4;

/** A piece of work in output order: done at once when this thread ran it, later when a worker did. */
interface Slot {
  readonly size: number;
  readonly result: Promise<PieceResult>;
  done: boolean;
  /** For a chunk offered to a worker: claims it back if the worker has not started it. */
  readonly claim?: () => boolean;
  /** Runs the chunk on this thread (after a successful claim). */
  readonly run?: () => PieceResult;
}

/** Runs a piece of work on this thread now, as a settled promise. */
function runHere(run: () => PieceResult): Promise<PieceResult> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    const failed = Promise.reject(err);
    // Awaited later, in order; mark it handled now so a failure is not an unhandled rejection.
    failed.catch(() => undefined);
    return failed;
  }
}

/**
 * The engine runner. This thread always has an engine. With a pool, a JSON document goes to a
 * ready worker that is idle, else runs here at once; an NDJSON chunk is offered to a worker that
 * holds fewer than {@link NDJSON_DEPTH} (even one still building its engine), else runs here at
 * once, and when the output waits for an offered chunk that its worker has not started, this
 * thread claims it back and runs it. Every engine makes the same call on the same chunk
 * boundaries with the same configuration and keys, so the output bytes do not depend on where a
 * chunk ran. Errors carry chunk-relative line numbers until shifted here.
 */
async function createRunner(engines: EngineCache<FhirAnonymizer>, validation: Validation, pool: WorkerPool | undefined): Promise<Runner> {
  const validators = await createValidators(validation.input, validation.output);
  const fromReply = (reply: WorkerReply): PieceResult => {
    if (!reply.ok) throw fromWire(reply.error);
    if (!('bytes' in reply)) throw new ProcessingError('unexpected worker reply');
    return { bytes: new Uint8Array(reply.bytes), lines: reply.lines, resources: reply.resources };
  };
  const pending = (result: Promise<PieceResult>, size: number, claim?: () => boolean, run?: () => PieceResult): Slot => {
    const slot: Slot = { size, result, done: false, ...(claim !== undefined && run !== undefined ? { claim, run } : {}) };
    // Awaited later, in order (or replaced by a claim); handled now so a failure is not an unhandled rejection.
    result.then(() => (slot.done = true), () => (slot.done = true));
    return slot;
  };
  const jsonSlot = (bytes: Uint8Array, ctx: TaskContext): Slot => {
    const worker = pool?.pick(1) ?? -1;
    if (pool === undefined || worker === -1) return { size: bytes.length, result: runHere(() => anonymizePiece(engines, validators, ctx, { kind: 'json', bytes })), done: true };
    const own = wholeBuffer(bytes);
    return pending(pool.send(worker, { kind: 'json', bytes: own, context: ctx }, [own]).then(fromReply), bytes.length);
  };
  const ndjsonSlot = (chunk: LineChunk, ctx: TaskContext): Slot => {
    const run = (): PieceResult => anonymizePiece(engines, validators, ctx, { kind: 'ndjson', bytes: chunk.bytes, first: chunk.first });
    const worker = pool?.pick(NDJSON_DEPTH, true) ?? -1;
    if (pool === undefined || worker === -1) return { size: chunk.bytes.length, result: runHere(run), done: true };
    // A copy goes to the worker (the typed-array constructor copies; a Node Buffer's `slice` would
    // not); this thread keeps the chunk in case it claims it back.
    const own = new Uint8Array(chunk.bytes).buffer;
    const offer = pool.offer(worker, { kind: 'ndjson', bytes: own, first: chunk.first, context: ctx }, [own]);
    return pending(offer.reply.then(fromReply), chunk.bytes.length, offer.claim, run);
  };
  // Shift a chunk-relative line; name the input when the error has no file (a worker that died).
  const located = (err: unknown, ctx: TaskContext, base: number): AnonymizerError => {
    const e = fromWire(toWire(err), base);
    return e.location?.file !== undefined ? e : relocate(e, { file: ctx.displayName });
  };

  return {
    parallel: pool !== undefined ? pool.size + 2 : 1,
    async json(bytes, ctx) {
      try {
        return await jsonSlot(bytes, ctx).result;
      } catch (err) {
        throw located(err, ctx, 0);
      }
    },
    async ndjson(source, sink, ctx, onBytes) {
      const window = pool !== undefined ? pool.size * NDJSON_DEPTH + NDJSON_AHEAD : 1;
      const slots: Slot[] = [];
      const writer = orderedWriter(sink);
      let done = 0;
      let base = 0;
      let resources = 0;
      const consume = async (slot: Slot): Promise<void> => {
        // Rather than wait for a chunk its worker has not started, run it here.
        const result = !slot.done && slot.claim !== undefined && slot.run !== undefined && slot.claim() ? runHere(slot.run) : slot.result;
        let r: PieceResult;
        try {
          r = await result;
        } catch (err) {
          // The pool failed while the chunk waited for its worker (one that could not start, say):
          // unless that worker had started it, the chunk is still this thread's to run. Only for the
          // pool's failure: its ticket cannot have been reused, as no chunk is offered after it.
          if (!(pool?.failedWith(err) === true && slot.run !== undefined && slot.claim?.() === true)) throw located(err, ctx, base);
          try {
            r = slot.run();
          } catch (own) {
            throw located(own, ctx, base);
          }
        }
        await writer.write(r.bytes);
        base += r.lines;
        resources += r.resources;
        done += slot.size;
        onBytes?.(done);
      };
      // The next chunk is read while this one is anonymized.
      const chunks = lineChunks(source, { size: CHUNK_BYTES, maxLineBytes: MAX_LINE_BYTES, name: ctx.displayName })[Symbol.asyncIterator]();
      let next = chunks.next();
      try {
        // A read error (an over-long line) comes after the chunks already read: those are settled
        // first, so that an error in one of them wins, as with one thread.
        let readFailure: { error: unknown } | undefined;
        for (;;) {
          let step: Awaited<typeof next>;
          try {
            step = await next;
          } catch (error) {
            readFailure = { error };
            break;
          }
          if (step.done === true) break;
          next = chunks.next();
          next.catch(() => undefined);
          slots.push(ndjsonSlot(step.value, ctx));
          while (slots.length > 0 && (slots[0]!.done || slots.length >= window)) await consume(slots.shift()!);
        }
        while (slots.length > 0) await consume(slots.shift()!);
        if (readFailure !== undefined) throw readFailure.error;
        await writer.flush();
      } catch (err) {
        await writer.settle();
        void chunks.return(undefined).catch(() => undefined);
        throw err instanceof AnonymizerError && err.location?.file !== undefined ? err : located(err, ctx, base);
      }
      return resources;
    },
    async stats() {
      const total = engines.stats();
      if (pool !== undefined) {
        for (const reply of await pool.broadcast({ kind: 'stats' })) {
          if (reply.ok && 'stats' in reply) mergeStats(total, reply.stats);
        }
      }
      return total;
    },
    workerFailed: () => pool?.failed === true,
    close: async () => {
      await pool?.close();
    },
  };
}

/**
 * Writes to a sink in order without waiting for each write, up to {@link WRITES_QUEUED} at a
 * time. A failed write fails the next `write` or `flush`.
 */
function orderedWriter(sink: Sink): { write(bytes: Uint8Array): Promise<void>; flush(): Promise<void>; settle(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  return {
    async write(bytes) {
      if (queued >= WRITES_QUEUED) await chain;
      queued++;
      chain = chain.then(() => sink.write(bytes)).finally(() => queued--);
      chain.catch(() => undefined);
    },
    flush: () => chain,
    settle: () => chain.catch(() => undefined),
  };
}
