import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from '../harness.ts';
import { wasmBytes } from '../../src/core/wasm.generated.ts';
import { processDicomFileSync, runDicomCommand, sweepTempFiles, type DicomCommandIo } from '../../src/cli/dicom.ts';
import { parseDicom, textValue } from '../../src/dicom/parse.ts';
import { rewriteDicom, type ElementAction } from '../../src/dicom/rewrite.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { MS, SAMPLES, ROOT } from '../dicom/fixtures.ts';

interface Captured { code: number; stdout: string; stderr: string }

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: DicomCommandIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stderrIsTty: false, env };
  const code = await runDicomCommand(args, io);
  return { code, stdout, stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ha-dicom-cli-'));
}

function keyFile(dir: string): string {
  const path = join(dir, 'key.txt');
  writeFileSync(path, 'test-key-0123456789abcdef\n');
  return path;
}

function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), rel + e.name + '/');
      else out.push(rel + e.name);
    }
  };
  walk(dir, '');
  return out.sort();
}

function sop(bytes: Uint8Array, tag = 0x00080018): string | undefined {
  const p = parseDicom(bytes);
  const el = [...p.meta, ...p.dataset].find((e) => e.tag === tag);
  return el === undefined ? undefined : textValue(tag >>> 16 === 2 ? p.source : p.bytes, el);
}

describe('cli/dicom', () => {
  it('anonymizes one file (-i/-o), exit 0, writes a report of the documented shape', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.dcm');
    const report = join(dir, 'report.json');
    const r = await run(['-i', join(SAMPLES, 'CT_small.dcm'), '-o', out, '--key-file', keyFile(dir), '--report', report]);
    assert.equal(r.code, 0, r.stderr);
    const bytes = new Uint8Array(readFileSync(out));
    assert.equal(sop(bytes, 0x00120062), 'YES');
    assert.equal(sop(bytes, 0x00020003), sop(bytes));
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    // The FHIR engine's report shape (src/audit/report.ts), plus `details`.
    assert.deepEqual(Object.keys(rep), [
      'tool', 'wasmSha256', 'engine', 'configFingerprint', 'details', 'startedAt', 'finishedAt', 'durationMs', 'files', 'rules', 'methods', 'warnings', 'errors', 'totals',
    ]);
    assert.equal(rep.wasmSha256, createHash('sha256').update(wasmBytes()).digest('hex'), 'the crypto core that ran');
    assert.deepEqual(Object.keys(rep.totals), ['files', 'ok', 'error', 'skipped', 'resources', 'elements']);
    assert.ok(rep.rules.length > 0 && rep.rules.every((x: { index: number; path: string; method: string; count: number }) => x.path.startsWith('ps3.15:') && x.count > 0));
    assert.equal(rep.engine, 'dicom');
    assert.equal(rep.tool.name, 'health-anonymizer');
    assert.match(rep.configFingerprint, /^[0-9a-f]{64}$/);
    assert.equal(rep.files.length, 1);
    assert.equal(rep.files[0].status, 'ok');
    assert.ok(rep.files[0].elements > 200);
    assert.equal(rep.totals.ok, 1);
    assert.equal(rep.details.keyIsRandom, false);
    assert.ok(rep.methods.remove > 0);
  });

  it('folder mode (-I/-O) recurses, mirrors paths, skips non-.dcm files, reports a failed input with exit 1 and no output for it', async () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    mkdirSync(join(input, 'a', 'b'), { recursive: true });
    copyFileSync(join(SAMPLES, 'MR_small.dcm'), join(input, 'top.dcm'));
    copyFileSync(join(SAMPLES, 'rtplan.dcm'), join(input, 'a', 'b', 'deep.dcm'));
    copyFileSync(join(SAMPLES, 'MR_truncated.dcm'), join(input, 'a', 'bad.dcm'));
    writeFileSync(join(input, 'notes.txt'), 'not dicom');
    const out = join(dir, 'out');
    const report = join(dir, 'r.json');
    const r = await run(['-I', input, '-O', out, '--key-file', keyFile(dir), '--report', report]);
    assert.equal(r.code, 1);
    assert.deepEqual(listAll(out), ['a/b/deep.dcm', 'top.dcm']);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(rep.totals.files, 3);
    assert.equal(rep.totals.error, 1);
    const bad = rep.files.find((f: { status: string }) => f.status === 'error');
    assert.equal(bad.error.code, 'ERR_DICOM_PARSE');
    assert.equal(rep.errors[0].code, 'ERR_DICOM_PARSE');
    assert.match(rep.errors[0].message, /tag \(7FE0,0010\), byte \d+/);
  });

  it('--scanner wasm gives the same bytes as the JS scanner and is named in the report', async () => {
    const dir = tempDir();
    const key = keyFile(dir);
    const src = join(SAMPLES, 'test-SR.dcm');
    assert.equal((await run(['-i', src, '-o', join(dir, 'js.dcm'), '--key-file', key])).code, 0);
    assert.equal((await run(['-i', src, '-o', join(dir, 'wasm.dcm'), '--key-file', key, '--scanner', 'wasm', '--report', join(dir, 'r.json')])).code, 0);
    assert.deepEqual(readFileSync(join(dir, 'wasm.dcm')), readFileSync(join(dir, 'js.dcm')));
    const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(rep.details.scanner.kind, 'wasm');
    assert.match(rep.details.scanner.wasmSha256, /^[0-9a-f]{64}$/);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '--scanner', 'fortran'])).code, 2);
  });

  it('-c applies a reference-tool configuration; --workers falls back to one thread when it uses refreshUID', async () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    mkdirSync(input);
    for (const n of ['I290.dcm', 'I341.dcm']) copyFileSync(join(MS, 'DicomFiles', n), join(input, n));
    const report = join(dir, 'r.json');
    const r = await run(['-I', input, '-O', join(dir, 'out'), '-c', join(MS, 'configuration.json'), '--workers', '2', '--report', report, '--key-file', keyFile(dir)]);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(rep.details.profile, null);
    assert.ok(rep.warnings.some((w: { code: string }) => w.code === 'W_DICOM_WORKERS_REFRESHUID'));
    // The reference's default dateShiftKey "123" is weak (review 1, major 2): said in the report and on stderr.
    assert.ok(rep.warnings.some((w: { code: string }) => w.code === 'W_DICOM_DATESHIFT_WEAK_KEY'));
    assert.match(r.stderr, /dateShiftKey shorter than 16 bytes/);
    assert.ok(rep.rules.length > 0 && rep.rules.every((x: { index: number; path: string; method: string }) => Number.isInteger(x.index) && !x.path.startsWith('ps3.15:')), 'rules counted by configuration rule');
    const out = new Uint8Array(readFileSync(join(dir, 'out', 'I341.dcm')));
    assert.equal(sop(out, 0x00020003), sop(out));
    assert.notEqual(sop(out), sop(new Uint8Array(readFileSync(join(input, 'I341.dcm')))));
    // -c with --option is a usage error.
    assert.equal((await run(['-i', join(input, 'I341.dcm'), '-o', join(dir, 'x.dcm'), '-c', join(MS, 'configuration.json'), '--option', 'retain-uids'])).code, 2);
  });

  it('--workers gives the same bytes as one thread', async () => {
    const dir = tempDir();
    const key = keyFile(dir);
    const names = ['CT_small.dcm', 'MR_small.dcm', 'rtplan.dcm', 'test-SR.dcm', 'liver_1frame.dcm', 'image_dfl.dcm'];
    const input = join(dir, 'in');
    mkdirSync(input);
    for (const n of names) copyFileSync(join(SAMPLES, n), join(input, n));
    assert.equal((await run(['-I', input, '-O', join(dir, 'one'), '--key-file', key])).code, 0);
    const r = await run(['-I', input, '-O', join(dir, 'three'), '--key-file', key, '--workers', '3']);
    assert.equal(r.code, 0, r.stderr);
    for (const n of names) assert.deepEqual(readFileSync(join(dir, 'three', n)), readFileSync(join(dir, 'one', n)), n);
  });

  it('the same key gives the same output across runs; without a key UIDs differ and the report says so', async () => {
    const dir = tempDir();
    const key = keyFile(dir);
    const src = join(SAMPLES, 'MR_small.dcm');
    await run(['-i', src, '-o', join(dir, 'a.dcm'), '--key-file', key]);
    await run(['-i', src, '-o', join(dir, 'b.dcm')], { HEALTH_ANONYMIZER_DICOM_KEY: 'test-key-0123456789abcdef' });
    assert.deepEqual(readFileSync(join(dir, 'a.dcm')), readFileSync(join(dir, 'b.dcm')));
    const r = await run(['-i', src, '-o', join(dir, 'c.dcm'), '--report', join(dir, 'c.json')]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /random key/);
    assert.notEqual(sop(new Uint8Array(readFileSync(join(dir, 'c.dcm')))), sop(new Uint8Array(readFileSync(join(dir, 'a.dcm')))));
    const rep = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
    assert.equal(rep.details.keyIsRandom, true);
    assert.ok(rep.warnings.some((w: { code: string }) => w.code === 'W_DICOM_RANDOM_KEY'));
  });

  it('--validateOutput parses each output back; one that does not parse is not written (review 2, minor 7)', async () => {
    const dir = tempDir();
    const input = join(SAMPLES, 'CT_small.dcm');
    const real = createDicomAnonymizer({ key: new TextEncoder().encode('validate-key-0123456789') });
    // A stand-in anonymizer whose output is cut in the middle of an element (as a length-patch bug would).
    const broken = {
      ...real,
      anonymizeWithStats: (bytes: Uint8Array) => {
        const r = real.anonymizeWithStats(bytes);
        const cut = r.bytes.slice(0, r.length - 7);
        return { ...r, bytes: cut, parts: [cut], length: cut.length };
      },
    };
    const out = join(dir, 'cut.dcm');
    const unchecked = processDicomFileSync(broken, input, out);
    assert.equal(unchecked.file.status, 'ok', 'without validation the cut output is written');
    const out2 = join(dir, 'cut2.dcm');
    const checked = processDicomFileSync(broken, input, out2, true);
    assert.equal(checked.file.status, 'error');
    assert.equal(checked.file.error?.code, 'ERR_INTERNAL');
    assert.equal(checked.internal, true);
    assert.ok(!existsSync(out2), 'nothing written');
    assert.equal(processDicomFileSync(real, input, join(dir, 'ok.dcm'), true).file.status, 'ok');
    // Through the command line: a good run with the flag exits 0.
    const r = await run(['-i', input, '-o', join(dir, 'flag.dcm'), '--validateOutput', '--key-file', keyFile(dir)]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('after a worker failure, the temporary files of unfinished outputs are swept, nothing else (review 2, minor 8)', async () => {
    const dir = tempDir();
    const output = join(dir, 'a.dcm');
    for (const name of ['a.dcm.tmp-123-abc', 'a.dcm.tmp-456-def', 'a.dcm', 'ab.dcm.tmp-1-x', 'b.dcm']) writeFileSync(join(dir, name), 'x');
    assert.equal(await sweepTempFiles(output), 2);
    assert.deepEqual(readdirSync(dir).sort(), ['a.dcm', 'ab.dcm.tmp-1-x', 'b.dcm']);
    assert.equal(await sweepTempFiles(join(dir, 'missing', 'c.dcm')), 0);
  });

  it('usage and configuration errors exit 2', async () => {
    const dir = tempDir();
    const src = join(SAMPLES, 'MR_small.dcm');
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['-i', src])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '-I', dir, '-O', dir])).code, 2);
    assert.equal((await run(['-i', src, '-o', src])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '--bogus'])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '--option', 'retain-nothing'])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '--profile', 'hipaa'])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '--workers', '0'])).code, 2);
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm')], { HEALTH_ANONYMIZER_DICOM_KEY: 'short' })).code, 2);
    writeFileSync(join(dir, 'bad.json'), '{"rules": [{"tag": "(0010,0010)", "method": "nonsense"}]}');
    assert.equal((await run(['-i', src, '-o', join(dir, 'x.dcm'), '-c', join(dir, 'bad.json')])).code, 2);
    assert.equal(existsSync(join(dir, 'x.dcm')), false);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--option NAME/);
  });

  it('I/O errors exit 3 and leave nothing behind', async () => {
    const dir = tempDir();
    assert.equal((await run(['-I', join(dir, 'missing'), '-O', join(dir, 'out')])).code, 3);
    assert.equal((await run(['-i', join(SAMPLES, 'MR_small.dcm'), '-o', join(dir, 'o.dcm'), '--key-file', join(dir, 'nokey')])).code, 3);
    // Output folder path blocked by a file: the write fails, no temp file remains.
    writeFileSync(join(dir, 'blocker'), 'x');
    const r = await run(['-i', join(SAMPLES, 'MR_small.dcm'), '-o', join(dir, 'blocker', 'o.dcm'), '--key-file', keyFile(dir)]);
    assert.equal(r.code, 3);
    assert.deepEqual(readdirSync(dir).sort(), ['blocker', 'key.txt']);
  });

  it('accepts the PS3.15 options in camelCase and kebab-case', async () => {
    const dir = tempDir();
    const key = keyFile(dir);
    const src = join(SAMPLES, 'MR_small.dcm');
    const a = await run(['-i', src, '-o', join(dir, 'a.dcm'), '--key-file', key, '--option', 'retainUIDs']);
    const b = await run(['-i', src, '-o', join(dir, 'b.dcm'), '--key-file', key, '--option', 'retain-uids']);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.deepEqual(readFileSync(join(dir, 'a.dcm')), readFileSync(join(dir, 'b.dcm')));
    // Retain UIDs keeps the original SOP Instance UID.
    assert.equal(sop(new Uint8Array(readFileSync(join(dir, 'a.dcm')))), sop(new Uint8Array(readFileSync(src))));
  });

  it('a file larger than the read buffer (3 MiB of pixel data) gives the same bytes as the SDK', async () => {
    const dir = tempDir();
    const parsed = parseDicom(new Uint8Array(readFileSync(join(SAMPLES, 'MR_small.dcm'))));
    const pixels = new Uint8Array(3 << 20).map((_, i) => i * 7);
    const big = rewriteDicom(parsed, {
      planDataset: (els) => ({ actions: els.map((e): ElementAction => (e.tag === 0x7fe00010 ? { kind: 'replace', value: pixels } : { kind: 'keep' })) }),
    }, { meta: 'keep', zeroPreamble: false }).bytes;
    writeFileSync(join(dir, 'big.dcm'), big);
    const r = await run(['-i', join(dir, 'big.dcm'), '-o', join(dir, 'out.dcm'), '--key-file', keyFile(dir)]);
    assert.equal(r.code, 0, r.stderr);
    const sdk = createDicomAnonymizer({ key: new TextEncoder().encode('test-key-0123456789abcdef') }).anonymize(big);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'out.dcm'))), sdk);
  });

  it('as a process, a folder with a deflated file (codec loaded on first use) and HEALTH_ANONYMIZER_CORE=js (JS core loaded on demand) gives the SDK\'s bytes', () => {
    const g = globalThis as { Deno?: { execPath(): string }; process: { execPath: string; env: Record<string, string | undefined> } };
    const compiled = import.meta.url.endsWith('.js');
    const entry = fileURLToPath(new URL(`../../src/cli/main.${compiled ? 'js' : 'ts'}`, import.meta.url));
    const cmd = g.Deno ? g.Deno.execPath() : g.process.execPath;
    const pre = g.Deno ? ['run', '-A', '--quiet'] : [];
    const dir = tempDir();
    const input = join(dir, 'in');
    mkdirSync(input);
    // Sorted: a plain file first, then the deflated one, then another plain one after the codec loaded.
    copyFileSync(join(SAMPLES, 'CT_small.dcm'), join(input, 'a.dcm'));
    copyFileSync(join(SAMPLES, 'image_dfl.dcm'), join(input, 'b.dcm'));
    copyFileSync(join(SAMPLES, 'MR_small.dcm'), join(input, 'c.dcm'));
    const key = keyFile(dir);
    const sdk = createDicomAnonymizer({ key: new TextEncoder().encode('test-key-0123456789abcdef') });
    for (const core of ['wasm', 'js']) {
      const out = join(dir, `out-${core}`);
      const report = join(dir, `report-${core}.json`);
      const env: Record<string, string | undefined> = { ...g.process.env, HEALTH_ANONYMIZER_CORE: core };
      const r = spawnSync(cmd, [...pre, entry, 'dicom', '-I', input, '-O', out, '--key-file', key, '--report', report], { cwd: ROOT, encoding: 'utf8', env });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(listAll(out), ['a.dcm', 'b.dcm', 'c.dcm'], core);
      for (const name of ['a.dcm', 'b.dcm', 'c.dcm']) {
        assert.deepEqual(new Uint8Array(readFileSync(join(out, name))), sdk.anonymize(new Uint8Array(readFileSync(join(input, name)))), `${core} ${name}`);
      }
      const written = JSON.parse(readFileSync(report, 'utf8')) as { wasmSha256: string | null };
      assert.equal(written.wasmSha256 === null, core === 'js', `${core}: the report names the core in use`);
    }
    assert.equal(parseDicom(new Uint8Array(readFileSync(join(input, 'b.dcm')))).deflated, true, 'the fixture is deflated');
  });

  it('`health-anonymizer dicom` runs as a process and returns the exit code', () => {
    const g = globalThis as { Deno?: { execPath(): string }; Bun?: unknown; process: { execPath: string } };
    const compiled = import.meta.url.endsWith('.js');
    const entry = fileURLToPath(new URL(`../../src/cli/main.${compiled ? 'js' : 'ts'}`, import.meta.url));
    const cmd = g.Deno ? g.Deno.execPath() : g.process.execPath;
    const pre = g.Deno ? ['run', '-A', '--quiet'] : [];
    const dir = tempDir();
    const ok = spawnSync(cmd, [...pre, entry, 'dicom', '-i', join(SAMPLES, 'MR_small.dcm'), '-o', join(dir, 'o.dcm'), '--key-file', keyFile(dir)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(existsSync(join(dir, 'o.dcm')));
    const bad = spawnSync(cmd, [...pre, entry, 'dicom', '--nope'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(bad.status, 2);
  });
});
