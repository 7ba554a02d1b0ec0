// Offsets and shifted values from the reference tool's DateTimeUtilityTests and its functional
// fixtures (microsoft.md §2.10); the formula is checked against an independent re-implementation.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { addDays, dateShiftOffset, shiftDateValue } from '../../src/methods/date-shift.ts';

const hash = (s: string): string => createHmac('sha256', '123').update(s).digest('hex');

describe('methods/date-shift', () => {
  it('computes the reference offsets', () => {
    assert.equal(dateShiftOffset('', 'dummy'), -21);
    assert.equal(dateShiftOffset('', ''), -50);
    assert.equal(dateShiftOffset('example', '123'), 41);
    assert.equal(dateShiftOffset(hash('example'), '123'), -20);
    assert.equal(dateShiftOffset(hash('lipid'), '123'), -11);
    assert.equal(dateShiftOffset(hash('100150'), '123'), -41);
    assert.equal(dateShiftOffset(hash('C-123'), '123'), -11);
    assert.equal(dateShiftOffset('lipid', '123'), 42);
  });
  it('uses the DICOM range for the DICOM vector', () => {
    assert.equal(dateShiftOffset('1.3.6.1.4.1.5962.99.1.5128099.2103784727.1533308485539.5.0', '123', 50), -23);
  });
  it('stays within [-R, R] and covers it', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const o = dateShiftOffset(String(i), 'k', 5);
      assert.ok(o >= -5 && o <= 5);
      seen.add(o);
    }
    assert.equal(seen.size, 11);
  });
  it('shifts dates and dateTimes as the reference does', () => {
    assert.equal(shiftDateValue('2015-02-07', -21), '2015-01-17');
    assert.equal(shiftDateValue('2015-02-07T13:28:17-05:00', -21), '2015-01-17T00:00:00-05:00');
    assert.equal(shiftDateValue('2015-02-07T13:28:17+05:00', -21), '2015-01-17T00:00:00+05:00');
    assert.equal(shiftDateValue('2015-02-07T13:28:17Z', -21), '2015-01-17T00:00:00Z');
    assert.equal(shiftDateValue('2015-02-07T13:28:17.12345-05:00', -21), '2015-01-17T00:00:00.00000-05:00');
    assert.equal(shiftDateValue('2000-01-01', 41), '2000-02-11');
    assert.equal(shiftDateValue('2001-01-01', 41), '2001-02-11');
    assert.equal(shiftDateValue('2000-01-01T01:01:01-01:00', 41), '2000-02-11T00:00:00-01:00');
    assert.equal(shiftDateValue('2016-01-01', -20), '2015-12-12');
    assert.equal(shiftDateValue('2012-03-31', -20), '2012-03-11');
    assert.equal(shiftDateValue('2013-05-02T16:16:00-07:00', -11), '2013-04-21T00:00:00-07:00');
    assert.equal(shiftDateValue('2014-08-16', -41), '2014-07-06');
  });
  it('cannot shift values without a day', () => {
    assert.equal(shiftDateValue('2015', 3), undefined);
    assert.equal(shiftDateValue('2015-02', 3), undefined);
  });
  it('adds days across months, leap years and years', () => {
    assert.equal(addDays(2020, 2, 28, 1), '2020-02-29');
    assert.equal(addDays(2019, 2, 28, 1), '2019-03-01');
    assert.equal(addDays(2000, 1, 1, -1), '1999-12-31');
    assert.equal(addDays(50, 1, 1, 0), '0050-01-01');
  });
  it('agrees with the JS Date object on calendar arithmetic, month and day overflow included', () => {
    // Oracle: Date.setUTCFullYear normalizes (year, month, day) the way the reference's DateTime.AddDays lands.
    const viaDate = (y: number, m: number, d: number, days: number): string => {
      const t = new Date(0);
      t.setUTCFullYear(y, m - 1, d + days);
      const year = t.getUTCFullYear();
      const yy = year < 0 ? '-' + String(-year).padStart(6, '0') : String(year).padStart(4, '0');
      return `${yy}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
    };
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      const y = rand(10000);
      const m = 1 + rand(14); // 13 and 14 carry into the next year
      const d = rand(40); // 0 and 32–39 carry across months
      const days = rand(2001) - 1000;
      assert.equal(addDays(y, m, d, days), viaDate(y, m, d, days), `${y}-${m}-${d} ${days}`);
    }
    for (const [y, m, d, days] of [[0, 1, 1, -1], [0, 3, 1, -1], [1600, 2, 29, 365], [1900, 2, 28, 1], [2000, 2, 28, 1], [9999, 12, 31, 1]] as const) {
      assert.equal(addDays(y, m, d, days), viaDate(y, m, d, days));
    }
  });
  it('shifts exactly the values the lexical pattern of the reference accepts', () => {
    // Oracle: the reference's rule written as regular expressions (date part; time with a zone, else dropped).
    const full = /^(\d{4})-(\d{2})-(\d{2})/;
    const time = /^T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
    const oracle = (value: string, days: number): string | undefined => {
      const m = full.exec(value);
      if (m === null) return undefined;
      const date = addDays(Number(m[1]), Number(m[2]), Number(m[3]), days);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date.startsWith('0000')) return undefined; // outside the years 0001–9999: redacted instead
      const t = time.exec(value.slice(10));
      if (t === null) return date;
      const fraction = t[4] === undefined ? '' : '.' + '0'.repeat(t[4].length - 1);
      return `${date}T00:00${t[3] === undefined ? '' : ':00' + fraction}${t[5]}`;
    };
    const values = [
      '2015-02-07', '2015-02-07T13:28:17-05:00', '2015-02-07T13:28:17.1Z', '2015-02-07T13:28:17.123456+14:00', '2015-02-07T13:28Z',
      '2015-02-07T13:28:17', '2015-02-07T13:28:17.Z', '2015-02-07T13:28:17Z ', '2015-02-07T13:28:17+05', '2015-02-07T13:28:17+05:0',
      '2015-02-07T1:28:17Z', '2015-02-07X13:28:17Z', '2015-02', '2015', '', '201-02-07', '2015-2-07', '2015-02-07T', '2015-02-07T13:28:17.5-05:00x',
      '2015-02-07T13:28:17.-05:00', '2015-02-07t13:28:17Z', '2015-02-07T13:28:1Z', '2015-02-07T13:28:17.12a', '2015-13-40T00:00:00Z', '0000-01-01',
    ];
    for (const v of values) for (const days of [-50, -1, 0, 31, 4000000]) assert.equal(shiftDateValue(v, days), oracle(v, days), v);
    assert.equal(shiftDateValue('0000-01-01', -1), undefined);
    assert.equal(shiftDateValue('0001-01-03', -5), undefined); // FHIR has no year 0000
    assert.equal(shiftDateValue('0001-01-03', -2), '0001-01-01');
    assert.equal(shiftDateValue('9999-12-31T10:00:00Z', 1), undefined);
  });
  it('computes the same offsets for ASCII and non-ASCII prefixes as over UTF-8 bytes', () => {
    const bytesOffset = (text: string, range: number): number => {
      let acc = 0;
      for (const b of new TextEncoder().encode(text)) acc = (acc * 131 + b) % (2 * range + 1);
      return acc - range;
    };
    for (const prefix of ['', 'abc', 'Ünïcode', '患者', 'x'.repeat(300), '😀id']) {
      for (const key of ['', 'k', 'clé']) assert.equal(dateShiftOffset(prefix, key), bytesOffset(prefix + key, 50), prefix + key);
    }
  });
});
