import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, skip } from '../harness.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { readSample, wellFormedSamples, SAMPLES } from './fixtures.ts';
import { DICOM_OPTIONS } from '../../src/dicom/rules/options.ts';

// Independent verification with dicom3tools (dciodvfy) and dcmtk (dcmdump), installed with apt in CI:
//   apt-get install -y dicom3tools dcmtk
// When a tool is missing the tests fail under CI=true and are skipped (with the reason) elsewhere.

function has(cmd: string, arg: string): boolean {
  const r = spawnSync(cmd, [arg], { encoding: 'utf8' });
  return r.error === undefined;
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const inCi = env['CI'] === 'true';

function toolTest(name: string, tool: string, versionArg: string, fn: () => void): void {
  if (has(tool, versionArg)) it(name, fn);
  else if (inCi) it(name, () => assert.fail(`${tool} is not installed (apt-get install -y dicom3tools dcmtk)`));
  else skip(name, `${tool} not installed; install dicom3tools and dcmtk to run it`, fn);
}

/** dciodvfy's error count, or undefined when it aborts (signal) on the file. */
function dciodvfyErrors(path: string): number | undefined {
  const r = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (r.signal !== null) return undefined;
  const text = `${r.stdout}\n${r.stderr}`;
  return text.split('\n').filter((l) => l.startsWith('Error')).length;
}

describe('dicom/verify', () => {
  const anonymizer = createDicomAnonymizer({ key: new TextEncoder().encode('verify-key-0123456789abcdef') });
  const work = mkdtempSync(join(tmpdir(), 'ha-dicom-verify-'));
  const outputs = new Map<string, string>();
  const outputOf = (name: string): string => {
    let path = outputs.get(name);
    if (path === undefined) {
      path = join(work, name);
      writeFileSync(path, anonymizer.anonymize(readSample(name), { file: name }));
      outputs.set(name, path);
    }
    return path;
  };

  toolTest('dciodvfy finds no more errors in any output than in its input', 'dciodvfy', '-version', () => {
    const worse: string[] = [];
    let compared = 0;
    for (const name of wellFormedSamples()) {
      if (name === 'badVR.dcm') continue; // dciodvfy aborts on it (assertion)
      const before = dciodvfyErrors(join(SAMPLES, name));
      if (before === undefined) continue;
      const after = dciodvfyErrors(outputOf(name));
      assert.ok(after !== undefined, `dciodvfy aborted on the output of ${name}`);
      compared++;
      if (after > before) worse.push(`${name}: ${before} → ${after}`);
    }
    assert.ok(compared >= 18, `compared ${compared} files`);
    assert.deepEqual(worse, []);
  });

  toolTest('with each PS3.15 option alone, dciodvfy finds no more errors than in the input', 'dciodvfy', '-version', () => {
    const worse: string[] = [];
    for (const option of DICOM_OPTIONS) {
      const a = createDicomAnonymizer({ key: new TextEncoder().encode('verify-key-0123456789abcdef'), options: [option] });
      for (const name of ['CT_small.dcm', 'test-SR.dcm', 'rtplan.dcm', 'liver_1frame.dcm', 'MR_small_bigendian.dcm']) {
        const before = dciodvfyErrors(join(SAMPLES, name));
        if (before === undefined) continue;
        const path = join(work, `${option}-${name}`);
        writeFileSync(path, a.anonymize(readSample(name)));
        const after = dciodvfyErrors(path);
        if (after === undefined || after > before) worse.push(`${option} ${name}: ${before} → ${after}`);
      }
    }
    assert.deepEqual(worse, []);
  });

  toolTest('dcmdump reads every output without an error', 'dcmdump', '--version', () => {
    for (const name of wellFormedSamples()) {
      const r = spawnSync('dcmdump', ['-q', '+L', outputOf(name)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.ok(!/^E:/m.test(r.stderr), `${name}: ${r.stderr}`);
      assert.match(r.stdout, /\(0012,0062\) CS \[YES\]/, name);
    }
  });
});
