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
});
