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
    for (const t of ['{"a":1.00}', '{"a":[1.50,2.0e3,-0,1E2]}', '{"a":12345678901234567890}', '{"a":0.10000000000000000555}', '{"a":-0.0}',
      '{"a":[[1.00]]}', '{"a":[null,1.50]}', '{"a":["x\\"",2.0]}', '{"a":[true,2.0]}', '{"a":[false,2.0]}', '[1.0]',
      '{"a":0.0000001}', '{"a":[-0.00000012,1]}']) {
      assert.equal(roundTrip(t), t);
    }
    const spaced = parseJsonLossless('{ "a" : [ 1 ,\n 2.0 ] }');
    assert.equal(spaced.lossless, true);
    assert.equal(stringifyJson(spaced.value), '{"a":[1,2.0]}');
    const pretty = '{\n  "a": 1.00,\n  "b": [\n    2.50\n  ]\n}';
    assert.equal(stringifyJson(parseJsonLossless(pretty).value, true), pretty);
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
  it('round-trips random documents with awkward numbers and strings exactly', () => {
    const numbers = ['0', '-0', '1', '-1.5', '1.00', '2.50', '1e5', '1E-7', '-2.0e3', '0.1', '12345678901234567890', '9007199254740993',
      '47.752644000000004', '0.0026469253513386848', '123.456', '100', '3.0'];
    const strings = ['', 'a', '1.00', '":1.00', 'x\\', 'q\\"', '\\":2.0', 'é', '\\u00e9'];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const str = (): string => JSON.stringify(strings[rnd(strings.length)]!);
    const value = (depth: number): string => {
      const k = rnd(depth > 3 ? 3 : 6);
      if (k === 0) return numbers[rnd(numbers.length)]!;
      if (k === 1) return str();
      if (k === 2) return ['true', 'false', 'null'][rnd(3)]!;
      if (k === 3) return '[' + Array.from({ length: rnd(4) }, () => (rnd(2) === 0 ? numbers[rnd(numbers.length)]! : value(depth + 1))).join(',') + ']';
      return '{' + Array.from({ length: rnd(4) }, (_, i) => `${str().slice(0, -1)}${i}":${value(depth + 1)}`).join(',') + '}';
    };
    for (let n = 0; n < 400; n++) {
      const text = '{"resourceType":"Basic","x":' + value(0) + ',"y":[' + numbers[rnd(numbers.length)] + ']}';
      assert.equal(roundTrip(text), text);
    }
  });
});
