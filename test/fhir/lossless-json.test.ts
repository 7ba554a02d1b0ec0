// Lossless JSON: numbers keep their text, everything else matches JSON.parse/JSON.stringify.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { LosslessNumber, parseJsonLossless, stringifyJson } from '../../src/fhir/lossless-json.ts';
import { InputParseError } from '../../src/errors.ts';

const roundTrip = (text: string): string => {
  const p = parseJsonLossless(text);
  return stringifyJson(p.value, false, p.lossless);
};

describe('fhir/lossless-json', () => {
  it('keeps the text of numbers a double would change', () => {
    for (const t of ['{"a":1.00}', '{"a":[1.50,2.0e3,-0,1E2]}', '{"a":12345678901234567890}', '{"a":0.10000000000000000555}', '{"a":-0.0}']) {
      assert.equal(roundTrip(t), t);
    }
  });
  it('uses the native parser when no number needs care (no LosslessNumber anywhere)', () => {
    for (const t of ['{"a":1.5,"b":"1.00","c":"x\\"1.00","d":[1,2,3],"e":47.752644000000004}', '{"s":"2015-02-07T13:28:17.120Z"}']) {
      const p = parseJsonLossless(t);
      assert.equal(p.lossless, false, t);
      assert.deepEqual(p.value, JSON.parse(t));
    }
  });
  it('agrees with JSON.parse on values, escapes and key order', () => {
    const t = '{"z":1,"a":{"y":[true,false,null,"\\u00e9\\n\\"",1.25]},"m":1.10, "__proto__": 5}';
    const p = parseJsonLossless(t);
    assert.equal(p.lossless, true);
    const v = p.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['z', 'a', 'm', '__proto__']);
    assert.deepEqual(v['a'], JSON.parse(t).a);
    assert.ok(v['m'] instanceof LosslessNumber);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });
  it('pretty-prints like JSON.stringify(v, null, 2)', () => {
    const v = { a: [1, { b: 'c' }, []], d: {}, e: null };
    assert.equal(stringifyJson(v, true, true), JSON.stringify(v, null, 2));
    assert.equal(stringifyJson(v, false, true), JSON.stringify(v));
  });
  it('accepts a BOM and reports malformed JSON with an offset only', () => {
    assert.deepEqual(parseJsonLossless('\ufeff{"a":1}').value, { a: 1 });
    for (const bad of ['{"a":1.00', '{"a":01.0}', '{"a":"secret\u0001"}', '{"a":1.0} x', '[1.0,]']) {
      assert.throws(() => parseJsonLossless(bad), (e: unknown) => e instanceof InputParseError && typeof e.location?.offset === 'number' && !e.message.includes('secret'), bad);
    }
  });
});
