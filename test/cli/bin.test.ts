/**
 * The shipped bin (dist/bin: the compiled CLI bundled by tools/bundle-cli.mjs into one file per
 * entry point, with shared chunks behind its dynamic imports) against the same sources compiled
 * module by module (build/src/cli): same bytes out, same exit codes, with the pool's worker
 * threads, the DICOM helper threads, the lazily loaded deflate codec and the run report. The
 * worker entry points are also started directly: the CLI replaces a worker that cannot start by
 * the main thread (same bytes, a warning), so only that shows a missing or broken entry for sure.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, it } from '../harness.ts';
import { loadFhirConfig } from '../../src/config/index.ts';
import type { DicomHelperData, DicomHelperReport } from '../../src/cli/dicom.ts';
import type { WorkerInit, WorkerReply } from '../../src/cli/protocol.ts';
import { CLI_MAIN, CLI_MODULES, cleanup, cli, DETERMINISTIC_CONFIG, listFiles, patients, ROOT, tempDir } from './helpers.ts';

const DICOM_SAMPLES = join(ROOT, 'test', 'fixtures', 'dicom', 'samples');
const BIN = join(ROOT, 'dist', 'bin');

/** Starts a worker entry of the bin and resolves with its first message (rejects on an error or exit). */
function firstMessage<T>(entry: string, workerData: unknown, post?: unknown): Promise<T> {
  const worker = new Worker(pathToFileURL(join(BIN, entry)), { workerData });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (m: T) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before answering`)));
    if (post !== undefined) worker.postMessage(post);
  }).finally(() => void worker.terminate());
}

/** SHA-256 of every file below a folder, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listFiles(dir)) out[rel] = createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex');
  return out;
}

/** A run report without its timing fields, with the output folder's name made neutral. */
function reportOf(path: string, outName: string): string {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const k of ['startedAt', 'finishedAt', 'durationMs']) delete report[k];
  return JSON.stringify(report).replaceAll(outName, 'out');
}

describe('cli shipped bin (bundled)', () => {
  it('is the package bin', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(join(ROOT, pkg.bin['health-anonymizer']!), CLI_MAIN);
  });

  it('its FHIR worker entry starts, builds an engine and anonymizes a chunk', async () => {
    const init: WorkerInit = { validateInput: false, validateOutput: false };
    const configured = await firstMessage<WorkerReply>('worker.js', init, { kind: 'configure', id: 1, config: loadFhirConfig(DETERMINISTIC_CONFIG) });
    assert.deepEqual(configured, { id: 1, ok: true, configured: true });
  });

  it('its DICOM helper entry starts and anonymizes the job it takes', async () => {
    const dir = tempDir();
    try {
      const data: DicomHelperData = {
        settings: { options: [], key: new TextEncoder().encode('test-key-0123456789abcdef'), dateShiftRange: 365 },
        jobs: [[join(DICOM_SAMPLES, 'CT_small.dcm'), join(dir, 'out.dcm')]],
        next: new SharedArrayBuffer(4),
      };
      const report = await firstMessage<DicomHelperReport>('dicom-worker.js', data);
      assert.equal(report.final, true);
      assert.deepEqual(report.outcomes.map(([at, o]) => [at, o.file.status]), [[0, 'ok']]);
      assert.ok(existsSync(join(dir, 'out.dcm')));
    } finally {
      cleanup(dir);
    }
  });

  it('a FHIR worker that cannot start: the main thread does its work, same bytes, and a warning says so', () => {
    const dir = tempDir();
    try {
      // A copy of the bin without its worker entry (a broken installation).
      const broken = join(dir, 'pkg');
      cpSync(join(ROOT, 'dist', 'bin'), join(broken, 'dist', 'bin'), { recursive: true });
      rmSync(join(broken, 'dist', 'bin', 'worker.js'));
      copyFileSync(join(ROOT, 'package.json'), join(broken, 'package.json'));
      symlinkSync(join(ROOT, 'node_modules'), join(broken, 'node_modules'));
      // ~7 MB: the run outlasts the worker's failed start by far, so the failure is seen before the end.
      writeFileSync(join(dir, 'in.ndjson'), patients(60_000, 'Secretname'));
      writeFileSync(join(dir, 'config.json'), DETERMINISTIC_CONFIG);
      const run = (entry: string, name: string, workers: string): { code: number | null; stderr: string; bytes: Buffer } => {
        const r = cli(['fhir', '-i', join(dir, 'in.ndjson'), '-o', join(dir, name), '-c', join(dir, 'config.json'), '--workers', workers], { entry });
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        return { code: r.code, stderr: r.stderr, bytes: readFileSync(join(dir, name)) };
      };
      const good = run(CLI_MAIN, 'good.ndjson', '1');
      const bad = run(join(broken, 'dist', 'bin', 'main.js'), 'bad.ndjson', '2');
      assert.ok(bad.bytes.equals(good.bytes));
      assert.match(bad.stderr, /warning: a worker thread failed; the main thread did its work/);
      assert.doesNotMatch(good.stderr, /worker thread failed/);
    } finally {
      cleanup(dir);
    }
  });

  it('FHIR NDJSON over several chunks with --workers 2, and a failing input: same bytes, report and exit codes as the compiled modules', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      // ~2.6 MB: three 1 MiB chunks, so the worker thread takes some of them.
      writeFileSync(join(input, 'a.ndjson'), patients(20_000, 'Secretname'));
      writeFileSync(join(input, 'b.ndjson'), '{"resourceType":"Patient","id":"x"}\n{"resourceType":\n');
      writeFileSync(join(dir, 'config.json'), DETERMINISTIC_CONFIG);
      const results = [CLI_MAIN, CLI_MODULES].map((entry, i) => {
        const out = join(dir, `out${i}`);
        const r = cli(['fhir', '-i', input, '-o', out, '-c', join(dir, 'config.json'), '--workers', '2', '--report', join(dir, `report${i}.json`)], { entry });
        return { code: r.code, stderr: r.stderr, files: snapshot(out), report: reportOf(join(dir, `report${i}.json`), `out${i}`) };
      });
      assert.equal(results[0]!.code, 1, results[0]!.stderr);
      assert.deepEqual(results[0], results[1]);
      assert.deepEqual(Object.keys(results[0]!.files), ['a.ndjson'], 'no output for the failing input');
    } finally {
      cleanup(dir);
    }
  });

  it('DICOM folder with --workers 2, a deflated file and a report: same bytes and report as the compiled modules', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      for (const name of ['CT_small.dcm', 'image_dfl.dcm', 'MR_small.dcm', 'rtplan.dcm', 'test-SR.dcm']) copyFileSync(join(DICOM_SAMPLES, name), join(input, name));
      writeFileSync(join(dir, 'key.txt'), 'test-key-0123456789abcdef');
      const results = [CLI_MAIN, CLI_MODULES].map((entry, i) => {
        const out = join(dir, `out${i}`);
        const r = cli(['dicom', '-I', input, '-O', out, '--key-file', join(dir, 'key.txt'), '--workers', '2', '--report', join(dir, `report${i}.json`)], { entry });
        return { code: r.code, stderr: r.stderr, files: snapshot(out), report: reportOf(join(dir, `report${i}.json`), `out${i}`) };
      });
      assert.equal(results[0]!.code, 0, results[0]!.stderr);
      assert.equal(Object.keys(results[0]!.files).length, 5);
      assert.deepEqual(results[0], results[1]);
    } finally {
      cleanup(dir);
    }
  });
});
