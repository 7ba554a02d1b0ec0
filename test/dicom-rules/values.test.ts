import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { createJsCore } from '../../src/core/index.ts';
import { dummyValue, isWellKnownUid, mapUid, patientDateOffset, shiftDate, studyDateOffset } from '../../src/dicom/rules/values.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { repoText } from './fixtures.ts';

const core = createJsCore();
const key = new TextEncoder().encode('a secret key');

/** Value-format rules of PS3.5 Table 6.2-1, written independently of the code under test. */
const FORMAT: Record<string, { max: number; re: RegExp }> = {
  AE: { max: 16, re: /^[\x20-\x5b\x5d-\x7e]*$/ },
  AS: { max: 4, re: /^\d{3}[DWMY]$/ },
  CS: { max: 16, re: /^[A-Z0-9 _]*$/ },
  DA: { max: 8, re: /^\d{8}$/ },
  DS: { max: 16, re: /^[ ]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ ]*$/ },
  DT: { max: 26, re: /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/ },
  IS: { max: 12, re: /^[ ]*[+-]?\d+[ ]*$/ },
  LO: { max: 64, re: /^[^\\\x00-\x1f]*$/ },
  LT: { max: 10240, re: /^[^\x00-\x08]*$/ },
  PN: { max: 64, re: /^[^\x00-\x1f]*$/ },
  SH: { max: 16, re: /^[^\\\x00-\x1f]*$/ },
  ST: { max: 1024, re: /^[^\x00-\x08]*$/ },
  TM: { max: 14, re: /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/ },
  UC: { max: 2 ** 32 - 2, re: /^[^\\\x00-\x1f]*$/ },
  UI: { max: 64, re: /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/ },
  UR: { max: 2 ** 32 - 2, re: /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/ },
  UT: { max: 2 ** 32 - 2, re: /^[^\x00-\x08]*$/ },
};
const BINARY: Record<string, number> = { AT: 4, FD: 8, FL: 4, OB: 1, OD: 8, OF: 4, OL: 4, OV: 8, OW: 2, SL: 4, SS: 2, SV: 8, UL: 4, UN: 1, US: 2, UV: 8 };

describe('dicom-rules/values', () => {
  it('dummy values are non-empty, ASCII, valid for their VR and within its maximum length', () => {
    for (const [vr, f] of Object.entries(FORMAT)) {
      const v = dummyValue(vr, 0x00100010);
      assert.equal(typeof v, 'string', vr);
      const s = v as string;
      assert.ok(s.length > 0 && s.length <= f.max, vr);
      assert.match(s, f.re, vr);
      assert.match(s, /^[\x20-\x7e]+$/, vr);
      assert.equal(dummyValue(vr, 0x00081030), s, `${vr} deterministic`);
    }
    assert.equal(dummyValue('PN', 0x00100010), 'ANONYMIZED');
    assert.equal(dummyValue('LO', 0x00100020), 'ANON');
    assert.equal(dummyValue('DA', 0x00100030), '19000101');
    assert.equal(dummyValue('TM', 0x00080030), '000000');
    assert.equal(dummyValue('AS', 0x00101010), '000Y');
    for (const [vr, size] of Object.entries(BINARY)) {
      const v = dummyValue(vr, 0x00280010) as Uint8Array;
      assert.ok(v instanceof Uint8Array, vr);
      assert.ok(v.length > 0 && v.length % size === 0 && v.length % 2 === 0, vr);
      assert.ok(v.every((b) => b === 0), vr);
    }
    // SQ has no dummy value of its own: the engine keeps a D sequence and replaces every value
    // inside it, codes included (tested on files in test/dicom/profile.test.ts).
    assert.equal((dummyValue('SQ', 0x00081140) as Uint8Array).length, 0);
    assert.throws(() => dummyValue('ZZ', 0), InvalidArgumentError);
  });

  it('well-known UIDs: SOP classes, transfer syntaxes, frames of reference, coding schemes', () => {
    for (const uid of ['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.1', '1.2.840.10008.2.16.4', '1.2.840.10008.1.4.1.1', '1.2.840.10008.5.1.4.1.1.88.33', '1.2.840.10008.1.2.4.90\0']) {
      assert.ok(isWellKnownUid(uid), uid);
    }
    for (const uid of ['1.2.3.4', '1.2.840.10008', '1.2.840.10008.5.1.4.1.1.2.9', '2.25.1', '']) assert.equal(isWellKnownUid(uid), false, uid);
  });

  it('every standard UID that dcmjs (an independent library) knows is well-known here', () => {
    const uids = new Set(repoText('node_modules/dcmjs/build/dcmjs.es.js').match(/"1\.2\.840\.10008\.[0-9.]+"/g)!.map((q) => q.slice(1, -1)));
    assert.ok(uids.size >= 40);
    for (const uid of uids) assert.ok(isWellKnownUid(uid), uid);
  });

  it('mapUid: 2.25 + the decimal of HMAC-SHA256 as a version-8, variant-10 UUID (checked with node:crypto)', () => {
    for (const uid of ['1.2.3.4', '1.3.6.1.4.1.5962.99.1.5128099.2103784727.1533308485539.5.0', '9']) {
      const h = createHmac('sha256', Buffer.from(key)).update('health-anonymizer/uid/v1\0' + uid).digest();
      const b = Buffer.from(h.subarray(0, 16));
      b[6] = (b[6]! & 0x0f) | 0x80;
      b[8] = (b[8]! & 0x3f) | 0x80;
      assert.equal(mapUid(uid, key, core), '2.25.' + BigInt('0x' + b.toString('hex')).toString());
    }
  });

  it('mapUid: deterministic, padding ignored, key-dependent, valid and ≤ 64 characters', () => {
    const a = mapUid('1.2.3.4', key, core);
    assert.equal(mapUid('1.2.3.4', key, core), a);
    assert.equal(mapUid('1.2.3.4\0', key, core), a);
    assert.equal(mapUid('1.2.3.4 ', key, core), a);
    assert.notEqual(mapUid('1.2.3.4', new TextEncoder().encode('other key'), core), a);
    assert.match(a, /^2\.25\.[1-9]\d*$/);
    assert.ok(a.length <= 44);
    const n = BigInt(a.slice(5));
    assert.equal((n >> 76n) & 0xfn, 8n); // version nibble
    assert.equal((n >> 62n) & 0x3n, 2n); // variant bits 10
    assert.equal(mapUid('', key, core), '');
  });

  it('mapUid: well-known UIDs are returned unchanged', () => {
    assert.equal(mapUid('1.2.840.10008.5.1.4.1.1.2', key, core), '1.2.840.10008.5.1.4.1.1.2');
    assert.equal(mapUid('1.2.840.10008.1.2.1\0', key, core), '1.2.840.10008.1.2.1');
  });

  it('mapUid: 100,000 random UIDs map to 100,000 distinct valid UIDs', () => {
    const seen = new Set<string>();
    const inputs = new Set<string>();
    const rnd = new Uint32Array(3);
    while (inputs.size < 100_000) {
      crypto.getRandomValues(rnd);
      inputs.add(`1.2.826.0.1.3680043.${rnd[0]}.${rnd[1]}.${rnd[2]! % 1000}`);
    }
    for (const uid of inputs) {
      const m = mapUid(uid, key, core);
      assert.ok(m.length <= 64 && m.startsWith('2.25.'));
      seen.add(m);
    }
    assert.equal(seen.size, 100_000);
  });

  it('shiftDate DA: the reference vector, leap years, year ends, multi-values, ranges, padding', () => {
    assert.equal(shiftDate('DA', '20000101', -23), '19991209'); // microsoft.md §4.7
    assert.equal(shiftDate('DA', '20000228', 1), '20000229');
    assert.equal(shiftDate('DA', '19000228', 1), '19000301'); // 1900 is not a leap year
    assert.equal(shiftDate('DA', '20240229', 365), '20250228');
    assert.equal(shiftDate('DA', '20231231', 1), '20240101');
    assert.equal(shiftDate('DA', '20000301', -1), '20000229');
    assert.equal(shiftDate('DA', '20150207', -50), '20141219'); // reference unit test minimum
    assert.equal(shiftDate('DA', '20000101\\20000102', 1), '20000102\\20000103');
    assert.equal(shiftDate('DA', '20000101\\', 1), '20000102\\');
    assert.equal(shiftDate('DA', '20000101-20000131', 1), '20000102-20000201');
    assert.equal(shiftDate('DA', '-20000131', 1), '-20000201');
    assert.equal(shiftDate('DA', '20000101-', -1), '19991231-');
    assert.equal(shiftDate('DA', '20000101 ', 0), '20000101');
    assert.equal(shiftDate('DA', '2000.01.01', 1), '20000102'); // ACR-NEMA form
    assert.equal(shiftDate('DA', '', 5), '');
    for (const bad of ['2000010', '20001301', '20000230', 'abcdefgh', '20000101-20000102-20000103', '-']) assert.equal(shiftDate('DA', bad, 1), undefined, bad);
  });

  it('shiftDate DT: every legal truncation and offset is kept', () => {
    assert.equal(shiftDate('DT', '20000301123000.123456+0100', -1), '20000229123000.123456+0100');
    assert.equal(shiftDate('DT', '20000301123000.5', -1), '20000229123000.5');
    assert.equal(shiftDate('DT', '20000301123000', -1), '20000229123000');
    assert.equal(shiftDate('DT', '200003011230', -1), '200002291230');
    assert.equal(shiftDate('DT', '2000030112', -1), '2000022912');
    assert.equal(shiftDate('DT', '20000301', -1), '20000229');
    assert.equal(shiftDate('DT', '20000301-0500', -1), '20000229-0500');
    assert.equal(shiftDate('DT', '200003', -50), '200001'); // 15 March − 50 days = 25 January
    assert.equal(shiftDate('DT', '200003', -40), '200002'); // month precision: counted from the 15th
    // Review 1, minor 8: 15 March + 10 days is still March, 2 July + 10 days still 2000; keeping the
    // value would leave a real date in an output marked MODIFIED, so there is no shifted value.
    assert.equal(shiftDate('DT', '200003', 10), undefined);
    assert.equal(shiftDate('DT', '200003+0100', 10), undefined);
    assert.equal(shiftDate('DT', '2000', -200), '1999'); // year precision: counted from 2 July
    assert.equal(shiftDate('DT', '2000', 10), undefined);
    assert.equal(shiftDate('DT', '2000', 200), '2001'); // 2 July + 200 days = 18 January 2001
    assert.equal(shiftDate('DT', '20000101000000-20000102000000', 1), '20000102000000-20000103000000');
    assert.equal(shiftDate('DT', '20000101000000+0100-20000102000000-0100', 1), '20000102000000+0100-20000103000000-0100');
    assert.equal(shiftDate('DT', '20000101\\20000102120000', 1), '20000102\\20000103120000');
    for (const bad of ['2000130112', '20000101250000', '20000101120000.1234567', '20000101+2500', 'x']) assert.equal(shiftDate('DT', bad, 1), undefined, bad);
    assert.throws(() => shiftDate('DA', '20000101', 1.5), InvalidArgumentError);
  });

  it('patientDateOffset: keyed, deterministic, never 0, within ±range, spread over the range', () => {
    const a = patientDateOffset('PAT-1', key, 30, core);
    assert.equal(patientDateOffset('PAT-1', key, 30, core), a);
    assert.equal(patientDateOffset('PAT-1 ', key, 30, core), a);
    const h = createHmac('sha256', Buffer.from(key)).update('health-anonymizer/date-offset/v1\0PAT-1').digest();
    const r = Number(h.readBigUInt64BE(0) % 60n);
    assert.equal(a, r < 30 ? r - 30 : r - 29);
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const o = patientDateOffset(`P${i}`, key, 10, core);
      assert.ok(o !== 0 && o >= -10 && o <= 10);
      seen.add(o);
    }
    assert.equal(seen.size, 20);
    assert.equal(Math.abs(patientDateOffset('x', key, 1, core)), 1);
    for (const bad of [0, -1, 1.5, 40000]) assert.throws(() => patientDateOffset('x', key, bad, core), InvalidArgumentError);
  });

  it('patientDateOffset includes Issuer of Patient ID; studyDateOffset for files without an ID (review 1, minor 9)', () => {
    // Independent computation with node:crypto, the documented inputs.
    const expected = (input: string, range: number): number => {
      const r = Number(createHmac('sha256', Buffer.from(key)).update(input).digest().readBigUInt64BE(0) % BigInt(2 * range));
      return r < range ? r - range : r - range + 1;
    };
    assert.equal(patientDateOffset('PAT-1', key, 365, core, 'HOSPITAL A'), expected('health-anonymizer/date-offset/v1\0PAT-1\0HOSPITAL A', 365));
    assert.equal(patientDateOffset('PAT-1', key, 365, core, 'HOSPITAL A '), patientDateOffset('PAT-1', key, 365, core, 'HOSPITAL A'));
    assert.equal(patientDateOffset('PAT-1', key, 365, core, ''), patientDateOffset('PAT-1', key, 365, core)); // no issuer: as before
    // The same ID from 200 different issuers: not all one offset.
    const byIssuer = new Set(Array.from({ length: 200 }, (_, i) => patientDateOffset('PAT-1', key, 365, core, `ISSUER ${i}`)));
    assert.ok(byIssuer.size > 100);
    assert.equal(studyDateOffset('1.2.3.4\0', key, 365, core), expected('health-anonymizer/date-offset/study/v1\0' + '1.2.3.4', 365));
    assert.notEqual(studyDateOffset('1.2.3.4', key, 365, core), 0);
  });
});
