import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { wasmBytes } from '../../src/core/wasm.generated.ts';
import { cleanup, cli, DETERMINISTIC_CONFIG, fixture, HASH_KEY, listFiles, patients, read, ROOT, tempDir } from './helpers.ts';

const SECRET = 'Zyxwvut';
const hmac = (value: string): string => createHmac('sha256', HASH_KEY).update(value).digest('hex');

function withConfig(dir: string, text: string = DETERMINISTIC_CONFIG): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('cli', () => {
  it('--version prints the package version; --help documents the exit codes', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = cli(['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `health-anonymizer ${pkg.version}\n`);
    const h = cli(['fhir', '--help']);
    assert.equal(h.code, 0);
    for (const text of ['--inputFolder', '--configFile', '--bulkData', '--workers', '--report', 'Exit codes', '70']) assert.ok(h.stdout.includes(text), text);
  });

  it('JSON file: output equals the reference tool\'s expected outputs (patient-basic with common-config and redact-all-config)', () => {
    const dir = tempDir();
    try {
      const out = join(dir, 'out.json');
      const r = cli(['fhir', '-i', fixture('patient-basic.json'), '-o', out, '-c', fixture('common-config.json'), '--fhir-version', 'R4']);
      assert.equal(r.code, 0, r.stderr);
      const expected: unknown = JSON.parse(read(fixture('patient-basic-target.json')).replace(/^\uFEFF/, ''));
      assert.deepEqual(JSON.parse(read(out)), expected);
      assert.ok(read(out).startsWith('{\n  "'), 'pretty-printed');
      assert.deepEqual(listFiles(dir), ['out.json']);
      const all = cli(['fhir', '-i', fixture('patient-basic.json'), '-o', join(dir, 'all.json'), '-c', fixture('redact-all-config.json')]);
      assert.equal(all.code, 0, all.stderr);
      assert.deepEqual(JSON.parse(read(join(dir, 'all.json'))), JSON.parse(read(fixture('patient-redact-all-target.json')).replace(/^\uFEFF/, '')));
    } finally {
      cleanup(dir);
    }
  });

  it('NDJSON: line order kept, one compact line per resource, ids hashed as HMAC-SHA256 (checked with node:crypto)', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      writeFileSync(input, patients(400, SECRET).replace(/\n/g, '\r\n') + '\n');
      const out = join(dir, 'out.ndjson');
      const r = cli(['fhir', '-i', input, '-o', out, '-c', withConfig(dir), '-w', '1']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', 'no progress or chatter when stderr is not a terminal');
      assert.equal(r.stdout, '');
      const lines = read(out).split('\n');
      assert.equal(lines.pop(), '');
      assert.equal(lines.length, 400);
      lines.forEach((line, i) => {
        const res = JSON.parse(line) as Record<string, unknown>;
        assert.equal(res['id'], hmac(`p${i}`), `line ${i + 1}`);
        assert.equal(res['name'], undefined);
        assert.ok(!line.includes('\n') && !line.includes('  '));
      });
      assert.ok(!read(out).includes(SECRET));
    } finally {
      cleanup(dir);
    }
  });

  it('worker pool: --workers 3 output is byte-identical to --workers 1 (multi-chunk NDJSON and a folder of JSON)', () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir, 'in'));
      writeFileSync(join(dir, 'in', 'big.ndjson'), patients(20000, SECRET)); // > 2 MiB: several 1 MiB chunks
      for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'in', `p${i}.json`), JSON.stringify({ resourceType: 'Patient', id: `j${i}`, name: [{ family: SECRET }], birthDate: '1980-05-0' + (i + 1) }));
      const config = withConfig(dir);
      const one = cli(['fhir', '-i', join(dir, 'in'), '-o', join(dir, 'one'), '-c', config, '-w', '1']);
      const three = cli(['fhir', '-i', join(dir, 'in'), '-o', join(dir, 'three'), '-c', config, '-w', '3']);
      assert.equal(one.code, 0, one.stderr);
      assert.equal(three.code, 0, three.stderr);
      assert.ok(readFileSync(join(dir, 'in', 'big.ndjson')).length > 2 * 1024 * 1024);
      assert.deepEqual(listFiles(join(dir, 'one')), listFiles(join(dir, 'three')));
      for (const f of listFiles(join(dir, 'one'))) assert.ok(readFileSync(join(dir, 'one', f)).equals(readFileSync(join(dir, 'three', f))), f);
      assert.equal(read(join(dir, 'three', 'big.ndjson')).split('\n').length, 20001);
    } finally {
      cleanup(dir);
    }
  });

  it('without -c the built-in HIPAA Safe Harbor profile runs (R4 and STU3); keys from the environment make runs repeatable', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      writeFileSync(input, patients(3, SECRET));
      const env = { HEALTH_ANONYMIZER_CRYPTOHASH_KEY: 'k1', HEALTH_ANONYMIZER_DATESHIFT_KEY: 'k2' };
      const outputs: string[] = [];
      for (const [version, name] of [['R4', 'a'], ['R4', 'b'], ['Stu3', 'c']] as const) {
        const out = join(dir, `${name}.ndjson`);
        const r = cli(['fhir', '-i', input, '-o', out, '--fhir-version', version, '--reference-date', '2025-01-01'], { env });
        assert.equal(r.code, 0, r.stderr);
        const text = read(out);
        assert.ok(!text.includes(SECRET), `${version}: names removed`);
        assert.ok(!text.includes('1970-01-01'), `${version}: birth dates changed`);
        assert.equal(text.trimEnd().split('\n').length, 3);
        outputs.push(text);
      }
      assert.equal(outputs[0], outputs[1], 'same keys, same output');
    } finally {
      cleanup(dir);
    }
  });

  it('dateShiftScope file/folder: the scope names reach the workers (pool output equals one worker; file scope differs by file)', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      const patient = { resource: { resourceType: 'Patient', birthDate: '1970-06-15' } };
      const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient, patient, patient] });
      const names = ['a', 'b', 'c', 'd', 'e'];
      for (const name of names) writeFileSync(join(input, `${name}.json`), bundle);
      for (const scope of ['file', 'folder']) {
        const config = withConfig(dir, JSON.stringify({ ...JSON.parse(DETERMINISTIC_CONFIG), parameters: { cryptoHashKey: 'h', dateShiftKey: 'd', dateShiftScope: scope } }));
        const w1 = cli(['fhir', '-i', input, '-o', join(dir, `${scope}1`), '-c', config, '-w', '1']);
        const w2 = cli(['fhir', '-i', input, '-o', join(dir, `${scope}2`), '-c', config, '-w', '2']);
        assert.equal(w1.code, 0, w1.stderr);
        assert.equal(w2.code, 0, w2.stderr);
        const dates = names.map((n) => {
          const one = read(join(dir, `${scope}1`, `${n}.json`));
          assert.equal(read(join(dir, `${scope}2`, `${n}.json`)), one, `${scope} ${n}`);
          const entries = (JSON.parse(one) as { entry: Array<{ resource: { birthDate: string } }> }).entry.map((e) => e.resource.birthDate);
          assert.equal(entries.length, 3);
          assert.equal(new Set(entries).size, 1, 'one offset within a file');
          assert.notEqual(entries[0], '1970-06-15');
          return entries[0];
        });
        if (scope === 'folder') assert.equal(new Set(dates).size, 1, 'one offset for the folder');
        else assert.ok(new Set(dates).size > 1, 'offsets differ between files');
      }
    } finally {
      cleanup(dir);
    }
  });

  it('no supplied dateShiftKey: each file gets its own random key, one file keeps one key across workers and chunks', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      // Id-less resources: with scope "resource" the prefix is empty, so the key alone sets the offset.
      const big = '{"resourceType":"Patient","birthDate":"1970-06-15","gender":"other"}\n'.repeat(40000); // > 2 MiB
      for (const name of ['a', 'b', 'c', 'd']) writeFileSync(join(input, `${name}.ndjson`), big);
      const config = withConfig(dir, JSON.stringify({ fhirVersion: 'R4', fhirPathRules: [{ path: "nodesByType('date')", method: 'dateShift' }] }));
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-c', config, '-w', '2', '--report', join(dir, 'report.json')]);
      assert.equal(r.code, 0, r.stderr);
      const warnings = (JSON.parse(read(join(dir, 'report.json'))) as { warnings: Array<{ code: string; message: string }> }).warnings;
      assert.ok(warnings.some((w) => w.code === 'WARN_RANDOM_KEY' && w.message.startsWith('dateShiftKey')), 'the report says the key was random');
      const perFile = ['a', 'b', 'c', 'd'].map((n) => {
        const dates = new Set(read(join(dir, 'out', `${n}.ndjson`)).trimEnd().split('\n').map((l) => (JSON.parse(l) as { birthDate: string }).birthDate));
        assert.equal(dates.size, 1, `${n}: one offset for the whole file`);
        return [...dates][0];
      });
      assert.ok(new Set(perFile).size > 1, 'different files, different random keys');
      // The reference formula's offset lies in [-50, 50], so one random key in 101 shifts by 0 days:
      // each file alone may keep its date, but four files all doing so has odds of 1 in 10^8.
      assert.ok(perFile.some((d) => d !== '1970-06-15'), 'dates are shifted');
    } finally {
      cleanup(dir);
    }
  });

  it('folders: -r mirrors relative paths, picks .json/.ndjson only; without -r only the top level', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(join(input, 'a', 'b'), { recursive: true });
      writeFileSync(join(input, 'top.json'), '{"resourceType":"Patient","id":"t"}');
      writeFileSync(join(input, 'a', 'x.ndjson'), patients(3, SECRET));
      writeFileSync(join(input, 'a', 'b', 'y.json'), '{"resourceType":"Patient","id":"y"}');
      writeFileSync(join(input, 'a', 'notes.txt'), SECRET);
      const config = withConfig(dir);
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-c', config, '-r']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(listFiles(join(dir, 'out')), ['a/b/y.json', 'a/x.ndjson', 'top.json']);
      assert.equal((JSON.parse(read(join(dir, 'out', 'a', 'b', 'y.json'))) as { id: string }).id, hmac('y'));
      const flat = cli(['fhir', '--inputFolder', input, '--outputFolder', join(dir, 'flat'), '--configFile', config]);
      assert.equal(flat.code, 0, flat.stderr);
      assert.deepEqual(listFiles(join(dir, 'flat')), ['top.json']);
    } finally {
      cleanup(dir);
    }
  });

  it('-s skips inputs whose output exists (left untouched) and the report says so', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      writeFileSync(join(input, 'a.json'), '{"resourceType":"Patient","id":"a"}');
      writeFileSync(join(input, 'b.json'), '{"resourceType":"Patient","id":"b"}');
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'out', 'a.json'), 'previous');
      const report = join(dir, 'report.json');
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-c', withConfig(dir), '-s', '--report', report]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(read(join(dir, 'out', 'a.json')), 'previous');
      assert.equal((JSON.parse(read(join(dir, 'out', 'b.json'))) as { id: string }).id, hmac('b'));
      const rep = JSON.parse(read(report)) as { files: Array<{ input: string; status: string }>; totals: Record<string, number> };
      assert.deepEqual(rep.files.map((f) => [f.input, f.status]), [['a.json', 'skipped'], ['b.json', 'ok']]);
      assert.equal(rep.totals['skipped'], 1);
    } finally {
      cleanup(dir);
    }
  });

  it('stdin to stdout: NDJSON with -b, JSON without', () => {
    const dir = tempDir();
    try {
      const config = withConfig(dir);
      const n = cli(['fhir', '-i', '-', '-o', '-', '-b', '-c', config], { input: patients(20, SECRET) });
      assert.equal(n.code, 0, n.stderr);
      const lines = n.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as { id: string }).id), Array.from({ length: 20 }, (_, i) => hmac(`p${i}`)));
      const j = cli(['fhir', '-i', '-', '-o', '-', '-c', config], { input: `{"resourceType":"Patient","id":"s","name":[{"family":"${SECRET}"}]}` });
      assert.equal(j.code, 0, j.stderr);
      assert.deepEqual(JSON.parse(j.stdout), { resourceType: 'Patient', id: hmac('s'), meta: JSON.parse(j.stdout).meta });
      assert.ok(!j.stdout.includes(SECRET));
    } finally {
      cleanup(dir);
    }
  });

  it('bad JSON on line N: exit 1, error names file and line N, no output or temp file, no value on stderr', () => {
    for (const workers of ['1', '2']) {
      const dir = tempDir();
      try {
        const input = join(dir, 'in.ndjson');
        const good = patients(5, SECRET).split('\n').filter((l) => l !== '');
        writeFileSync(input, [...good.slice(0, 3), '', `{"resourceType":"Patient","name":[{"family":"${SECRET}-bad"}]`, ...good.slice(3)].join('\n') + '\n');
        const out = join(dir, 'out', 'out.ndjson');
        mkdirSync(join(dir, 'out'));
        const r = cli(['fhir', '-i', input, '-o', out, '-c', withConfig(dir), '-w', workers]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /in\.ndjson, line 5/);
        assert.ok(!r.stderr.includes(SECRET), 'no input value on stderr');
        assert.ok(!r.stdout.includes(SECRET));
        assert.deepEqual(listFiles(join(dir, 'out')), [], `workers=${workers}`);
      } finally {
        cleanup(dir);
      }
    }
  });

  it('bad line deep in a multi-chunk NDJSON file: same line number from the pool and from one worker', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      const good = patients(20000, SECRET).split('\n').filter((l) => l !== '');
      good.splice(15000, 0, `{"resourceType":"Patient","name":[{"family":"${SECRET}-bad"}]`); // line 15001
      writeFileSync(input, good.join('\n') + '\n');
      mkdirSync(join(dir, 'out'));
      for (const workers of ['1', '2']) {
        const r = cli(['fhir', '-i', input, '-o', join(dir, 'out', 'o.ndjson'), '-c', withConfig(dir), '-w', workers]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /in\.ndjson, line 15001\b/, `workers=${workers}`);
        assert.ok(!r.stderr.includes(SECRET));
        assert.deepEqual(listFiles(join(dir, 'out')), []);
      }
    } finally {
      cleanup(dir);
    }
  });

  it('a failing file in a folder: the others are written, its output is absent, exit 1, report has the error', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      writeFileSync(join(input, 'a.json'), '{"resourceType":"Patient","id":"a"}');
      writeFileSync(join(input, 'b.json'), `{"resourceType":"Patient","id":"${SECRET}",}`);
      writeFileSync(join(input, 'c.ndjson'), patients(2, SECRET));
      const report = join(dir, 'r.json');
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-c', withConfig(dir), '--report', report]);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(listFiles(join(dir, 'out')), ['a.json', 'c.ndjson']);
      assert.ok(!r.stderr.includes(SECRET));
      const rep = JSON.parse(read(report)) as Record<string, unknown> & { files: Array<Record<string, unknown>>; errors: Array<Record<string, unknown>> };
      const failed = rep.files.find((f) => f['input'] === 'b.json')!;
      assert.equal(failed['status'], 'error');
      assert.equal(failed['output'], undefined);
      assert.equal((failed['error'] as { code: string }).code, 'ERR_INPUT_PARSE');
      assert.equal(rep.errors.length, 1);
      assert.ok(!read(report).includes(SECRET));
    } finally {
      cleanup(dir);
    }
  });

  it('--report has the documented shape, counts and the single date-shift offset warning', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      // No ids: with dateShiftScope "resource" the prefix is empty, so every resource gets one offset.
      writeFileSync(input, '{"resourceType":"Patient","birthDate":"1970-01-01"}\n{"resourceType":"Patient","birthDate":"1980-02-02"}\n');
      const report = join(dir, 'report.json');
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out.ndjson'), '-c', withConfig(dir), '--report', report]);
      assert.equal(r.code, 0, r.stderr);
      const rep = JSON.parse(read(report)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(rep), ['tool', 'wasmSha256', 'engine', 'configFingerprint', 'startedAt', 'finishedAt', 'durationMs', 'files', 'rules', 'methods', 'warnings', 'errors', 'totals']);
      assert.equal(rep['engine'], 'fhir');
      assert.equal(rep['wasmSha256'], createHash('sha256').update(wasmBytes()).digest('hex'), 'the hash of the WASM core that ran');
      assert.match(String(rep['configFingerprint']), /^[0-9a-f]{64}$|^sha256:/);
      assert.ok(!read(report).includes('cli-test-hash-key') && !read(report).includes('cli-test-date-key'), 'no key in the report');
      assert.deepEqual(rep['files'], [{ input, output: join(dir, 'out.ndjson'), status: 'ok', resources: 2 }]);
      const rules = rep['rules'] as Array<{ index: number; path: string; method: string; count: number }>;
      assert.deepEqual(rules.map((x) => [x.index, x.path, x.method]), [[0, 'Resource.id', 'cryptoHash'], [1, "nodesByType('HumanName')", 'redact'], [2, "nodesByType('date')", 'dateShift']]);
      assert.equal(rules[2]!.count, 2);
      assert.equal((rep['methods'] as Record<string, number>)['dateShift'], 2);
      assert.deepEqual((rep['warnings'] as Array<{ code: string }>).map((w) => w.code), ['WARN_SINGLE_DATE_SHIFT_OFFSET']);
      assert.deepEqual(rep['totals'], { files: 1, ok: 1, error: 0, skipped: 0, resources: 2 });
      assert.ok(Number(rep['durationMs']) >= 0);
      const toStdout = cli(['fhir', '-i', input, '-o', join(dir, 'out2.ndjson'), '-c', withConfig(dir), '--report', '-']);
      assert.equal(toStdout.code, 0, toStdout.stderr);
      assert.deepEqual((JSON.parse(toStdout.stdout) as { totals: unknown }).totals, rep['totals']);
      assert.equal(cli(['fhir', '-i', input, '-o', '-', '-c', withConfig(dir), '--report', '-']).code, 2);
    } finally {
      cleanup(dir);
    }
  });

  it('--validateInput rejects a schema violation with its pointer (exit 1, no output)', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      writeFileSync(input, `{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b","gender":"${SECRET}"}\n`);
      const r = cli(['fhir', '-i', input, '-o', join(dir, 'out.ndjson'), '-c', withConfig(dir), '--validateInput', '-w', '1']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /line 2, at \/gender/);
      assert.ok(!r.stderr.includes(SECRET));
      assert.ok(!existsSync(join(dir, 'out.ndjson')));
      const ok = cli(['fhir', '-i', fixture('Patient-1.ndjson'), '-o', join(dir, 'p.ndjson'), '-c', withConfig(dir), '--validateInput', '--validateOutput']);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      cleanup(dir);
    }
  });

  it('--validateOutput rejects output that breaks the schema (a substitute with a non-code), with its pointer', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in.ndjson');
      writeFileSync(input, '{"resourceType":"Patient","id":"a","gender":"male"}\n');
      const config = withConfig(dir, JSON.stringify({ fhirVersion: 'R4', fhirPathRules: [{ path: 'Patient.gender', method: 'substitute', replaceWith: 'robot' }] }));
      const plain = cli(['fhir', '-i', input, '-o', join(dir, 'plain.ndjson'), '-c', config]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal((JSON.parse(read(join(dir, 'plain.ndjson'))) as { gender: string }).gender, 'robot');
      const checked = cli(['fhir', '-i', input, '-o', join(dir, 'checked.ndjson'), '-c', config, '--validateOutput']);
      assert.equal(checked.code, 1, checked.stderr);
      assert.match(checked.stderr, /output fails the FHIR JSON schema.*line 1, at \/gender/);
      assert.ok(!existsSync(join(dir, 'checked.ndjson')));
    } finally {
      cleanup(dir);
    }
  });

  it('exit codes: 2 for usage and configuration errors, 3 for a missing input', () => {
    const dir = tempDir();
    try {
      assert.equal(cli(['fhir', '-i', 'x.json']).code, 2);
      assert.equal(cli(['fhir', '-i', 'x', '-o', 'y', '--no-such-flag']).code, 2);
      assert.equal(cli(['bogus']).code, 2);
      assert.equal(cli(['fhir', '-i', fixture('patient-basic.json'), '-o', join(dir, 'o.json'), '--profile', 'no-such-profile']).code, 2);
      const bad = cli(['fhir', '-i', fixture('patient-basic.json'), '-o', join(dir, 'o.json'), '-c', withConfig(dir, '{"fhirPathRules":[{"path":"Patient.name","method":"scramble"}]}')]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /\/fhirPathRules\/0\/method/);
      const missing = cli(['fhir', '-i', join(dir, 'nope.json'), '-o', join(dir, 'o.json'), '-c', withConfig(dir)]);
      assert.equal(missing.code, 3);
      assert.equal(cli(['fhir', '-i', dir, '-o', dir, '-c', withConfig(dir)]).code, 2);
      assert.deepEqual(listFiles(dir), ['config.json']);
    } finally {
      cleanup(dir);
    }
  });

  it('a bad configuration or profile with a worker pool: exit 2 with the diagnostics, nothing written', () => {
    const dir = tempDir();
    try {
      const input = join(dir, 'in');
      mkdirSync(input);
      for (const n of ['a', 'b', 'c']) writeFileSync(join(input, `${n}.json`), `{"resourceType":"Patient","id":"${n}"}`);
      const bad = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-w', '3', '-c', withConfig(dir, '{"fhirPathRules":[{"path":"Patient.name","method":"redact"},{"path":"Patient.x(","method":"redact"}]}')]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /\/fhirPathRules\/1\/path/);
      const profile = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-w', '3', '--profile', 'nope']);
      assert.equal(profile.code, 2, profile.stderr);
      const keys = join(dir, 'keys.json');
      writeFileSync(keys, '{"encryptKey":"too-short"}');
      const badKey = cli(['fhir', '-i', input, '-o', join(dir, 'out'), '-w', '3', '--key-file', keys]);
      assert.equal(badKey.code, 2, badKey.stderr);
      assert.ok(!badKey.stderr.includes('too-short'), 'no key in the message');
      assert.ok(!existsSync(join(dir, 'out')));
    } finally {
      cleanup(dir);
    }
  });

  it('config validate: 0 and a fingerprint for a valid file, 2 with pointers for an invalid one', () => {
    const dir = tempDir();
    try {
      const good = cli(['config', 'validate', withConfig(dir)]);
      assert.equal(good.code, 0, good.stderr);
      assert.match(good.stdout, /valid FHIR configuration/);
      writeFileSync(join(dir, 'bad.json'), '{"fhirPathRules":[{"path":"Patient.name","method":"perturb","span":-1}]}');
      const bad = cli(['config', 'validate', join(dir, 'bad.json')]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /\/fhirPathRules\/0\/span/);
    } finally {
      cleanup(dir);
    }
  });

  it('decrypt: the reference vector, a value encrypted with node:crypto, and a bad value', () => {
    const dir = tempDir();
    try {
      const key = '704ab12c8e3e46d4bea600ef62a6bec7';
      const keyFile = join(dir, 'keys.json');
      writeFileSync(keyFile, JSON.stringify({ encryptKey: key }));
      const iv = Buffer.alloc(16, 7);
      const c = createCipheriv('aes-256-cbc', Buffer.from(key, 'utf8'), iv);
      const mine = Buffer.concat([iv, c.update('Grüße 123', 'utf8'), c.final()]).toString('base64');
      const r = cli(['decrypt', '--key-file', keyFile, 'qpxGp6T9DP7wB0EYPQwOYVrScQ/pq3c0D+JQ+hjnfkY=', mine]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'abc\nGrüße 123\n');
      const fromStdin = cli(['decrypt'], { input: `${mine}\nnot-base64!\n`, env: { HEALTH_ANONYMIZER_ENCRYPT_KEY: key } });
      assert.equal(fromStdin.code, 1);
      assert.equal(fromStdin.stdout, 'Grüße 123\n\n');
      assert.match(fromStdin.stderr, /line 2/);
      assert.equal(cli(['decrypt', 'x']).code, 2);
    } finally {
      cleanup(dir);
    }
  });
});
