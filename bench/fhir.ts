/**
 * FHIR NDJSON benchmark (run by bench/fhir-run.mjs under Node, Deno and Bun).
 *
 * Data: the Synthea R4 Bundles of shared/fixtures/synthea/r4 flattened to one resource per line,
 * replicated to ≥ 100 MB with every UUID (ids and the references to them) rewritten per copy.
 * Measures, with the built-in HIPAA Safe Harbor profile (fixed keys, fixed reference date):
 * - in-process throughput through the same chunk path the CLI uses (MB/s, resources/s);
 * - JSON.parse + JSON.stringify of the same lines (the floor any JSON tool pays), and the ratio;
 * - the CLI's worker pool: wall time with --workers 2 against --workers 1 on the 100 MB file, and
 *   what bounds it on this machine: the cores a one-thread run already keeps busy (the runtime's
 *   compiler, garbage collector and I/O threads), and two one-thread processes run side by side;
 * - peak RSS (VmHWM) of the CLI processing a 1 GB NDJSON file, with the pool's speedup there.
 * Prints figures, then one JSON object as the last line.
 * Env: BENCH_SYNTHEA (source folder), BENCH_DIR (scratch folder), BENCH_SKIP_1GB=1.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { getFhirProfile } from '../src/config/index.ts';
import { createFhirAnonymizer } from '../src/fhir/anonymizer.ts';
import { decodeLines } from '../src/fhir/io/decode.ts';
import { anonymizeNdjsonBytes } from '../src/fhir/io/ndjson-bytes.ts';

const MB = 1e6;
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const synthea = process.env['BENCH_SYNTHEA'] ?? join(root, '..', 'shared', 'fixtures', 'synthea', 'r4');
const scratch = process.env['BENCH_DIR'] ?? join(tmpdir(), 'health-anonymizer-bench');
const keys = { cryptoHashKey: 'bench-hash-key', dateShiftKey: 'bench-date-key', encryptKey: '0123456789abcdef0123456789abcdef' };
const env = {
  HEALTH_ANONYMIZER_CRYPTOHASH_KEY: keys.cryptoHashKey,
  HEALTH_ANONYMIZER_DATESHIFT_KEY: keys.dateShiftKey,
  HEALTH_ANONYMIZER_ENCRYPT_KEY: keys.encryptKey,
};

function runtime(): string {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${process.version.slice(1)}`;
}

function baseLines(): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(synthea).filter((f) => f.endsWith('.json')).sort()) {
    const bundle = JSON.parse(readFileSync(join(synthea, name), 'utf8')) as { entry?: Array<{ resource?: unknown }> };
    for (const e of bundle.entry ?? []) if (e.resource) lines.push(JSON.stringify(e.resource));
  }
  return lines;
}

const UUID = /[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;

/** Writes `copies` copies of the lines, each with its own UUIDs (first group = copy number). Deterministic. */
function generate(path: string, lines: string[], targetBytes: number): void {
  if (existsSync(path) && statSync(path).size >= targetBytes) return;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path + '.part', 'w');
  const encoder = new TextEncoder();
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    const prefix = copy.toString(16).padStart(8, '0');
    const text = lines.map((l) => l.replace(UUID, `${prefix}$1`)).join('\n') + '\n';
    const bytes = encoder.encode(text);
    writeSync(fd, bytes);
    written += bytes.length;
  }
  closeSync(fd);
  // Rename only when complete, so a cached file is never partial.
  renameSync(path + '.part', path);
}

function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + size);
    if (end < bytes.length) {
      const nl = bytes.lastIndexOf(0x0a, end - 1);
      end = nl >= start ? nl + 1 : bytes.length;
    }
    yield bytes.subarray(start, end);
    start = end;
  }
}

function cliCommand(): { cmd: string; args: string[] } {
  const g = globalThis as { Deno?: { execPath(): string } };
  // The CLI as shipped: the package's bin (the compiled modules bundled by tools/bundle-cli.mjs).
  const main = join(root, 'dist', 'bin', 'main.js');
  if (!existsSync(main)) throw new Error('dist/bin/main.js missing: run npm run build');
  return g.Deno ? { cmd: g.Deno.execPath(), args: ['run', '-A', '--quiet', main] } : { cmd: process.execPath, args: [main] };
}

/**
 * CPU seconds used by this process's finished children (user + system, from /proc/self/stat;
 * `NaN` without /proc). The difference across one awaited CLI run is that run's CPU time.
 */
function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5) (cutime, cstime), counted from the state field (3).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Runs the CLI; returns wall seconds and the highest VmHWM seen (MB; 0 without /proc). */
function runCli(args: string[]): Promise<{ seconds: number; peakMb: number }> {
  const { cmd, args: pre } = cliCommand();
  const started = performance.now();
  const child = spawn(cmd, [...pre, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  let peakKb = 0;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // process gone or no /proc
    }
  };
  const timer = setInterval(sample, 50);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`CLI exited with ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024 });
    });
  });
}

/**
 * What two threads can get on this machine right now: a pure CPU loop on the main thread and a
 * worker at once, against one alone. On a shared or hyper-threaded machine this is well below 2,
 * and the pool's speedup cannot exceed it.
 */
async function parallelismProbe(): Promise<number> {
  const loop = 'let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003;';
  const work = new Function(loop + ' return x;') as () => number;
  let t = performance.now();
  work();
  const one = performance.now() - t;
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.once('message', () => { ${loop} parentPort.postMessage(x); });`, { eval: true });
  await new Promise((r) => setTimeout(r, 200));
  t = performance.now();
  const done = new Promise((r) => worker.once('message', r));
  worker.postMessage('go');
  work();
  await done;
  const two = performance.now() - t;
  await worker.terminate();
  return (2 * one) / two;
}

const results: Record<string, unknown> = { bench: 'fhir', runtime: runtime() };
const lines = baseLines();
const file100 = join(scratch, 'synthea-r4-100mb.ndjson');
generate(file100, lines, 100 * MB);
const bytes = new Uint8Array(readFileSync(file100));
const resourcesTotal = bytes.reduce((n, b) => (b === 0x0a ? n + 1 : n), 0);
console.log(`${runtime()}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
console.log(`input: ${(bytes.length / MB).toFixed(1)} MB, ${resourcesTotal} resources (${lines.length} Synthea R4 resources × copies, UUIDs rewritten per copy)`);

// 1. Engine through the CLI's chunk path (bytes in, bytes out), in process, one thread.
let outBytes = 0;
let anonBest = Number.POSITIVE_INFINITY;
let t0 = 0;
for (let round = 0; round < 2; round++) {
  // A fresh engine per round: no cache warmed by the previous round.
  const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4', { keys }), { referenceDate: new Date('2025-01-01T00:00:00Z') });
  outBytes = 0;
  t0 = performance.now();
  for (const chunk of chunks(bytes, 1 << 20)) {
    const r = anonymizeNdjsonBytes(anonymizer, chunk, { file: 'bench.ndjson', displayName: 'bench' });
    outBytes += r.output.length;
  }
  anonBest = Math.min(anonBest, (performance.now() - t0) / 1000);
}
const anonSeconds = anonBest;
const mbPerS = bytes.length / MB / anonSeconds;
console.log(`anonymize (HIPAA profile, 1 thread, best of 2): ${anonSeconds.toFixed(2)} s, ${mbPerS.toFixed(1)} MB/s, ${(resourcesTotal / anonSeconds).toFixed(0)} resources/s, output ${(outBytes / MB).toFixed(1)} MB`);

// 2. JSON.parse + JSON.stringify of the same lines, decoded and split the same way.
let sink = 0;
let psBest = Number.POSITIVE_INFINITY;
for (let round = 0; round < 2; round++) {
  t0 = performance.now();
  for (const chunk of chunks(bytes, 1 << 20)) {
    const text = decodeLines(chunk, 'bench');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      sink += JSON.stringify(JSON.parse(text.slice(start, nl))).length;
      start = nl + 1;
    }
  }
  psBest = Math.min(psBest, (performance.now() - t0) / 1000);
}
const psSeconds = psBest;
const psMbPerS = bytes.length / MB / psSeconds;
console.log(`JSON.parse+stringify (best of 2): ${psSeconds.toFixed(2)} s, ${psMbPerS.toFixed(1)} MB/s (checksum ${sink})`);
Object.assign(results, {
  mbPerS: Number(mbPerS.toFixed(1)),
  resourcesPerS: Math.round(resourcesTotal / anonSeconds),
  parseStringifyMbPerS: Number(psMbPerS.toFixed(1)),
  vsParseStringify: Number((mbPerS / psMbPerS).toFixed(2)),
});

// 3. The CLI's pool: --workers 1 against --workers 2 on the same file.
const probe = await parallelismProbe().catch(() => Number.NaN);
console.log(`parallelism probe (pure CPU loop, 2 threads vs 1): ${probe.toFixed(2)}×`);
results['machineSpeedup2'] = Number(probe.toFixed(2));
const outDir = join(scratch, 'out');
mkdirSync(outDir, { recursive: true });
// Alternating runs, best of BENCH_REPEAT (default 3) each: neighbours on a shared machine only ever slow a run down.
const repeat = Number(process.env['BENCH_REPEAT'] ?? '3');
const cliArgs = (input: string, output: string, workers: number): string[] =>
  ['fhir', '-i', input, '-o', output, '--profile', 'hipaa-safe-harbor', '--reference-date', '2025-01-01', '-w', String(workers)];
let w1 = { seconds: Number.POSITIVE_INFINITY, peakMb: 0 };
let w2 = { seconds: Number.POSITIVE_INFINITY, peakMb: 0 };
let w1Cores = Number.NaN;
let pairSeconds = Number.POSITIVE_INFINITY;
for (let i = 0; i < repeat; i++) {
  const cpu0 = childCpuSeconds();
  const a = await runCli(cliArgs(file100, join(outDir, 'w1.ndjson'), 1));
  const cores = (childCpuSeconds() - cpu0) / a.seconds;
  const b = await runCli(cliArgs(file100, join(outDir, 'w2.ndjson'), 2));
  // Two independent one-thread runs at once: what two cores give this workload with no pool at all.
  const t = performance.now();
  await Promise.all([runCli(cliArgs(file100, join(outDir, 'pair-a.ndjson'), 1)), runCli(cliArgs(file100, join(outDir, 'pair-b.ndjson'), 1))]);
  pairSeconds = Math.min(pairSeconds, (performance.now() - t) / 1000);
  if (a.seconds < w1.seconds) {
    w1 = a;
    w1Cores = cores;
  }
  if (b.seconds < w2.seconds) w2 = b;
}
const same = readFileSync(join(outDir, 'w1.ndjson')).equals(readFileSync(join(outDir, 'w2.ndjson')));
const pairSpeedup = (2 * w1.seconds) / pairSeconds;
console.log(`CLI 100 MB, best of ${repeat}: --workers 1 ${w1.seconds.toFixed(2)} s (${(bytes.length / MB / w1.seconds).toFixed(1)} MB/s), --workers 2 ${w2.seconds.toFixed(2)} s (${(bytes.length / MB / w2.seconds).toFixed(1)} MB/s); outputs identical: ${same}`);
console.log(`  bounds: --workers 1 keeps ${w1Cores.toFixed(2)} cores busy (CPU time / wall time), so ${cpus().length} cores allow at most ${(cpus().length / w1Cores).toFixed(2)}× even if a second engine cost nothing; two one-thread processes side by side: ${pairSeconds.toFixed(2)} s for twice the work = ${pairSpeedup.toFixed(2)}×`);
Object.assign(results, {
  cliW1MbPerS: Number((bytes.length / MB / w1.seconds).toFixed(1)),
  cliW2MbPerS: Number((bytes.length / MB / w2.seconds).toFixed(1)),
  workers2Speedup: Number((w1.seconds / w2.seconds).toFixed(2)),
  workersIdentical: same,
  w1CoresBusy: Number(w1Cores.toFixed(2)),
  workers2Bound: Number((cpus().length / w1Cores).toFixed(2)),
  twoProcessesSpeedup: Number(pairSpeedup.toFixed(2)),
});

// 4. Peak RSS on 1 GB.
if (process.env['BENCH_SKIP_1GB'] !== '1') {
  const file1g = join(scratch, 'synthea-r4-1gb.ndjson');
  generate(file1g, lines, 1000 * MB);
  const size = statSync(file1g).size;
  const big = await runCli(cliArgs(file1g, join(outDir, 'big.ndjson'), 2));
  console.log(`CLI ${(size / MB).toFixed(0)} MB, --workers 2: ${big.seconds.toFixed(1)} s (${(size / MB / big.seconds).toFixed(1)} MB/s), peak RSS (VmHWM) ${big.peakMb.toFixed(0)} MB`);
  // The pool on the long run, where start-up and compilation weigh least.
  const big1 = await runCli(cliArgs(file1g, join(outDir, 'big.ndjson'), 1));
  console.log(`CLI ${(size / MB).toFixed(0)} MB, --workers 1: ${big1.seconds.toFixed(1)} s (${(size / MB / big1.seconds).toFixed(1)} MB/s); pool speedup ${(big1.seconds / big.seconds).toFixed(2)}×`);
  Object.assign(results, {
    peakRssMbFor1GB: Math.round(big.peakMb),
    cli1GBMbPerS: Number((size / MB / big.seconds).toFixed(1)),
    workers2Speedup1GB: Number((big1.seconds / big.seconds).toFixed(2)),
  });
} else {
  results['peakRssMbFor1GB'] = null;
}
results['loadAvg1m'] = Number((loadavg()[0] ?? 0).toFixed(2));
results['cores'] = cpus().length;
console.log(`load average (1 min) at the end: ${results['loadAvg1m']} on ${cpus().length} cores — figures are wall-clock and suffer when the machine is shared`);
console.log(JSON.stringify(results));
