// Range properties from the reference tool's PerturbProcessorTests (its tests assert ranges only,
// since the noise is random), plus exact checks with an injected noise source.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { perturbNumber, roundHalfEven, uniform01 } from '../../src/methods/perturb.ts';

function many(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe('methods/perturb', () => {
  it('rounds half to even', () => {
    assert.equal(roundHalfEven(2.5, 0), 2);
    assert.equal(roundHalfEven(3.5, 0), 4);
    assert.equal(roundHalfEven(-2.5, 0), -2);
    assert.equal(roundHalfEven(1.005, 2), 1); // a decimal tie (as .NET decimal rounds it): 1.00
    assert.equal(roundHalfEven(0.125, 2), 0.12);
    assert.equal(roundHalfEven(0.375, 2), 0.38);
    assert.equal(roundHalfEven(2.675, 1), 2.7);
  });
  it('uses the injected noise at both ends of the interval', () => {
    assert.equal(perturbNumber(10, { span: 4, rangeType: 'fixed', roundTo: 2 }, () => 0), 8);
    assert.equal(perturbNumber(10, { span: 4, rangeType: 'fixed', roundTo: 2 }, () => 0.999999999), 12);
    assert.equal(perturbNumber(10, { span: 0.5, rangeType: 'proportional', roundTo: 2 }, () => 0), 7.5);
  });
  it('keeps integer 5 with span 0', () => {
    assert.equal(perturbNumber(5, { span: 0, rangeType: 'fixed', roundTo: 2, integer: true }), 5);
  });
  it('stays in the reference ranges', () => {
    for (const v of many(500, () => perturbNumber(5.234, { span: 6, rangeType: 'fixed', roundTo: 2 }))) {
      assert.ok(v >= 2.23 && v <= 8.24, String(v));
      assert.equal(Math.round(v * 100) / 100, v);
    }
    for (const v of many(500, () => perturbNumber(5, { span: 0.4, rangeType: 'proportional', roundTo: 2, integer: true }))) {
      assert.ok(v >= 4 && v <= 6 && Number.isInteger(v));
    }
    for (const v of many(500, () => perturbNumber(10, { span: 40, rangeType: 'fixed', roundTo: 0, integer: true, min: 0 }))) {
      assert.ok(v >= 0 && v <= 30 && Number.isInteger(v));
    }
    for (const v of many(500, () => perturbNumber(1, { span: 200, rangeType: 'fixed', roundTo: 0, integer: true, min: 1 }))) {
      assert.ok(v >= 1 && v <= 101 && Number.isInteger(v));
    }
    for (const v of many(500, () => perturbNumber(25162.1378, { span: 2.26, rangeType: 'fixed', roundTo: 2 }))) {
      assert.ok(v >= 25161.01 && v <= 25163.27, String(v));
    }
  });
  it('draws uniform numbers in [0, 1) that vary', () => {
    const xs = many(2000, uniform01);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean > 0.4 && mean < 0.6);
    assert.ok(new Set(xs).size > 1990);
  });
});
