import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { parseDicom } from '../../src/dicom/parse.ts';
import { formatTag } from '../../src/dicom/dictionary.ts';
import { isTextVr } from '../../src/dicom/encode-value.ts';
import { MS, readSample } from './fixtures.ts';
import { text, top, valueBytes, walk } from './walk.ts';

// The reference tool's CLI test pairs (DicomFiles → DicomResults), run through our engine with the
// same configurations, compared element by element with refreshed UIDs masked. Every difference is
// named below with the reason: the reference visits only the top level and never the file meta.

const KEY = new TextEncoder().encode('reference-config-test-key');

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** path → normalized value; refreshed (2.25.) UIDs masked. */
function elements(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const v of walk(parseDicom(bytes))) {
    const base = v.path.map(formatTag).join('/');
    const n = counters.get(base) ?? 0;
    counters.set(base, n + 1);
    const key = n === 0 ? base : `${base}#${n}`;
    if (v.el.items !== undefined && !v.el.encapsulated) out.set(key, `${v.el.vr} items=${v.el.items.length}`);
    else if (v.el.encapsulated) out.set(key, `${v.el.vr} fragments=${v.el.items!.length} ${hex(v.bytes.subarray(v.el.valueStart, v.el.end)).length}`);
    else if (v.el.vr === 'UI') out.set(key, `UI ${text(v).split('\\').map((u) => (u.startsWith('2.25.') ? '<refreshed>' : u)).join('\\')}`);
    else out.set(key, `${v.el.vr} ${isTextVr(v.el.vr) ? text(v) : hex(valueBytes(v))}`);
  }
  return out;
}

function differences(expected: Map<string, string>, actual: Map<string, string>): Map<string, [string | undefined, string | undefined]> {
  const diff = new Map<string, [string | undefined, string | undefined]>();
  for (const k of new Set([...expected.keys(), ...actual.keys()])) {
    if (expected.get(k) !== actual.get(k)) diff.set(k, [expected.get(k), actual.get(k)]);
  }
  return diff;
}

/** Differences every case shares: the file meta, which the reference leaves to fo-dicom. */
const META_DIFFERENCES: Record<string, string> = {
  '(0002,0000)': 'group length follows the different UIDs and version name',
  '(0002,0003)': 'the reference keeps the original SOP Instance UID here (a leak); ours equals the new (0008,0018)',
  '(0002,0012)': 'our Implementation Class UID instead of fo-dicom\'s',
  '(0002,0013)': 'our Implementation Version Name instead of fo-dicom\'s',
};

/** Differences inside Contributing Equipment Sequence (0018,A001), which the reference never enters. */
const NESTED_DEFAULT_CONFIG: Record<string, string> = {
  '(0018,A001)/(0008,1010)': 'remove rule for Station Name applied inside the sequence',
  '(0018,A001)/(0018,A002)': 'DT dateShift rule applied inside the sequence',
  '(0018,A001)/(0018,A003)': 'remove rule for Contribution Description applied inside the sequence',
};

function run(input: string, config: string): Uint8Array {
  const configText = readFileSync(join(MS, config), 'utf8');
  return createDicomAnonymizer({ config: configText, configFile: config, key: KEY }).anonymize(new Uint8Array(readFileSync(join(MS, 'DicomFiles', input))));
}

function expectedFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(MS, 'DicomResults', name)));
}

describe('dicom/reference-config', () => {
  for (const [input, config, expected] of [
    ['I290.dcm', 'configuration.json', 'I290.dcm'],
    ['I341.dcm', 'configuration.json', 'I341.dcm'],
    ['privateTag.dcm', 'configuration.json', 'privateTag.dcm'],
  ] as const) {
    it(`${input} with the default configuration equals ${expected} except the named fixes`, () => {
      const ours = run(input, config);
      const diff = differences(elements(expectedFile(expected)), elements(ours));
      assert.deepEqual([...diff.keys()].sort(), Object.keys({ ...META_DIFFERENCES, ...NESTED_DEFAULT_CONFIG }).sort());
      assert.equal(top(ours, 0x00020003), top(ours, 0x00080018));
      // What the reference left in the nested item is gone or shifted in ours.
      assert.equal(diff.get('(0018,A001)/(0008,1010)')![1], undefined);
      assert.equal(diff.get('(0018,A001)/(0018,A003)')![1], undefined);
      assert.match(diff.get('(0018,A001)/(0018,A002)')![1]!, /^DT \d{14}/);
    });
  }

  it('the anonymizer names predictable date shifts of a configuration in its warnings (review 1, major 2)', () => {
    const weak = createDicomAnonymizer({ config: readFileSync(join(MS, 'configuration.json'), 'utf8'), key: KEY });
    assert.ok(weak.warnings.some((w) => w.code === 'W_DICOM_DATESHIFT_WEAK_KEY'));
    const none = createDicomAnonymizer({ config: { rules: [{ tag: 'DA', method: 'dateShift' }] }, key: KEY });
    assert.deepEqual(none.warnings.map((w) => w.code), ['W_DICOM_DATESHIFT_NO_KEY']);
    assert.deepEqual(createDicomAnonymizer({ key: KEY }).warnings, []);
  });

  it('a substituted value longer than its VR allows is cut, with a warning (review 1, minor 12)', () => {
    const a = createDicomAnonymizer({ key: KEY, config: { rules: [{ tag: '(0008,1010)', method: 'substitute', params: { replaceWith: 'A STATION NAME LONGER THAN SIXTEEN' } }] } });
    const r = a.anonymizeWithStats(readSample('CT_small.dcm'));
    assert.deepEqual(r.warnings.map((w) => w.code), ['W_DICOM_VALUE_TRUNCATED']);
    const station = walk(parseDicom(r.bytes)).find((v) => v.el.tag === 0x00081010)!;
    assert.equal(text(station), 'A STATION NAME L'); // SH: at most 16 characters (PS3.5 Table 6.2-1)
  });

  it('the configuration fingerprint does not depend on key values (review 1, minor 10)', () => {
    const text = readFileSync(join(MS, 'configuration.json'), 'utf8');
    assert.ok(text.includes('"123"'), 'the reference configuration has the key "123"');
    const fp = (t: string): string => createDicomAnonymizer({ config: t, key: KEY }).configFingerprint;
    // A published report must not let anyone test guesses of a low-entropy key against the fingerprint:
    // keys of the same length give the same fingerprint, so it holds no information on their values.
    assert.equal(fp(text.replaceAll('"123"', '"456"')), fp(text));
    assert.notEqual(fp(text.replace('"redact"', '"remove"')), fp(text), 'a rule change changes it');
    assert.match(fp(text), /^[0-9a-f]{64}$/);
  });

  it('a bare data set (no file meta) gets a complete file meta under a configuration too', () => {
    const configText = readFileSync(join(MS, 'configuration.json'), 'utf8');
    const out = createDicomAnonymizer({ config: configText, key: KEY }).anonymize(readSample('rtstruct.dcm'));
    const meta = parseDicom(out).meta.map((e) => e.tag);
    assert.deepEqual(meta, [0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013]);
    assert.equal(top(out, 0x00020002), top(out, 0x00080016));
    assert.equal(top(out, 0x00020003), top(out, 0x00080018));
    assert.equal(top(out, 0x00020010), '1.2.840.10008.1.2');
  });

  it('privateTag.dcm with privateTagConfig.json equals privateTagRemoved.dcm except the file meta', () => {
    const ours = run('privateTag.dcm', 'TestConfigs/privateTagConfig.json');
    const diff = differences(elements(expectedFile('privateTagRemoved.dcm')), elements(ours));
    // This configuration refreshes no UID, so (0002,0003) is the original in both.
    assert.deepEqual([...diff.keys()].sort(), Object.keys(META_DIFFERENCES).filter((k) => k !== '(0002,0003)').sort());
    assert.equal(top(ours, 0x00020003), top(ours, 0x00080018));
    // Only the illegal odd groups 0001-0007 and FFFF remain: the configuration keeps them explicitly.
    const oddGroups = new Set(parseDicom(ours).dataset.filter((e) => (e.tag >>> 16) & 1).map((e) => e.tag >>> 16));
    assert.deepEqual([...oddGroups].sort((a, b) => a - b), [0x0001, 0x0003, 0x0005, 0x0007, 0xffff]);
  });

  it('I341.dcm with newConfig.json ((0008,xxxx) redact) equals I341-newConfig.dcm except group 0008 inside sequences', () => {
    const ours = run('I341.dcm', 'TestConfigs/newConfig.json');
    const diff = differences(elements(expectedFile('I341-newConfig.dcm')), elements(ours));
    const nested = [...diff.keys()].filter((k) => !(k in META_DIFFERENCES));
    assert.ok(nested.length > 0);
    for (const k of nested) {
      const last = k.split('/').pop()!.replace(/#\d+$/, '');
      assert.ok(k.includes('/'), `${k} is nested`);
      assert.ok(last.startsWith('(0008,'), `${k} is in group 0008`);
      // Ours: redacted (empty value, or an empty sequence).
      assert.match(diff.get(k)![1]!, /^([A-Z]{2} |SQ items=0)$/, k);
    }
    for (const k of Object.keys(META_DIFFERENCES)) assert.ok(diff.has(k) || k === '(0002,0003)', k);
  });
});
