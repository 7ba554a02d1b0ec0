// Partial redaction vectors from the reference tool's unit tests (microsoft.md §2.10).
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { isAgeOver89, keepAge, parseDateParts, redactDate, redactPostalCode } from '../../src/methods/redact.ts';

const NOW = new Date('2020-06-01T00:00:00Z');

describe('methods/redact', () => {
  it('keeps the year of dates with partial dates on', () => {
    for (const v of ['2015', '2015-02', '2015-02-07', '2015-02-07T13:28:17-05:00', '2015-02-07T13:28:17Z']) assert.equal(redactDate(v, true, NOW), '2015', v);
  });
  it('removes dates of people over 89 and every date without partial dates', () => {
    assert.equal(redactDate('1925-02-07', true, NOW), undefined);
    assert.equal(redactDate('2015-02-07', false, NOW), undefined);
  });
  it('counts birthdays exactly', () => {
    assert.equal(isAgeOver89({ year: 1930, month: 6, day: 2 }, NOW), false); // 89 until tomorrow
    assert.equal(isAgeOver89({ year: 1930, month: 6, day: 1 }, NOW), true); // 90 today
    assert.equal(isAgeOver89({ year: 1931, month: 0, day: 0 }, NOW), false);
  });
  it('keeps ages up to 89 with partial ages on', () => {
    assert.equal(keepAge('92', true), false);
    assert.equal(keepAge('57', true), true);
    assert.equal(keepAge('89', true), true);
    assert.equal(keepAge('91', true), false);
    assert.equal(keepAge('57', false), false);
    assert.equal(keepAge('45.5', true), false);
  });
  it('abstracts postal codes', () => {
    const r = ['203', '556'];
    assert.equal(redactPostalCode('98052', r), '98000');
    assert.equal(redactPostalCode('10104', r), '10100');
    assert.equal(redactPostalCode('20301', r), '00000');
    assert.equal(redactPostalCode('55602', r), '00000');
    assert.equal(redactPostalCode('98028-1830', r), '98000-0000');
    assert.equal(redactPostalCode('20301-1830', r), '00000-0000');
    assert.equal(redactPostalCode('12345', ['123']), '00000');
    assert.equal(redactPostalCode('54321', ['123']), '54300');
    assert.equal(redactPostalCode('12', []), '12');
  });
});

describe('methods/redact postal codes (review: digits decide)', () => {
  it('a restricted 3-digit area is found behind leading non-digits', () => {
    // 036 is a restricted area in HHS's Safe Harbor list; the reference tool matched the raw
    // text, so " 03601" kept "03" of the area.
    assert.equal(redactPostalCode(' 03601', ['036']), ' 00000');
    assert.equal(redactPostalCode('+03601-1234', ['036']), '+00000-0000');
    assert.equal(redactPostalCode(' 98052', ['036']), ' 98000');
  });
  it('reads date parts exactly as the pattern YYYY[-MM[-DD]] at the start of the value', () => {
    const oracle = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;
    const values = ['2015', '2015-02', '2015-02-07', '2015-02-07T13:28:17Z', '2015-2-07', '2015-02-7', '201', '', 'abcd', '2015-', '2015-02-',
      '0000-00-00', '9999-99-99', '2015/02/07', ' 2015-02-07', '2015-02-07x', '12345-01-01', '2015-0a-01'];
    for (const v of values) {
      const m = oracle.exec(v);
      const expected = m === null ? undefined : { year: Number(m[1]), month: m[2] === undefined ? 0 : Number(m[2]), day: m[3] === undefined ? 0 : Number(m[3]) };
      assert.deepEqual(parseDateParts(v), expected, v);
    }
  });
});
