/**
 * The shipped bin (dist/bin: the compiled CLI bundled into one file per entry point, with shared
 * chunks behind its dynamic imports) against the compiled modules it was made from: same bytes
 * out, same exit codes, with the pool's worker threads, the DICOM helper threads, the lazily loaded
 * deflate codec and the run report, all of which the bundle must find beside it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { CLI_MAIN, CLI_MODULES, cleanup, cli, DETERMINISTIC_CONFIG, listFiles, patients, ROOT, tempDir } from './helpers.ts';

const DICOM_SAMPLES = join(ROOT, 'test', 'fixtures', 'dicom', 'samples');

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
