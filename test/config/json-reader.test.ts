import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { readJsonText, tryReadJsonText } from '../../src/config/json-reader.ts';
import { ConfigParseError } from '../../src/errors.ts';

describe('config/json reader', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    const samples = [
      '{"a":1,"b":[true,false,null],"c":{"d":"e\\u00e9\\n\\"x\\"\\/"},"n":-1.5e3}',
      '[]', '{}', '"x"', '0', '-0.25', '[1,[2,[3]]]', '{"":1}', '"\\ud83d\\ude00"',
    ];
    for (const s of samples) assert.deepEqual(readJsonText(s).value, JSON.parse(s), s);
  });

  it('accepts a UTF-8 BOM, trailing commas and comments (the reference loader does)', () => {
    const text = '\uFEFF{\n  // line comment\n  "a": [1, 2,], /* block\n comment */\n  "b": {"c": 1,},\n}';
    assert.deepEqual(readJsonText(text).value, { a: [1, 2], b: { c: 1 } });
  });

  it('records the line and column of every value by JSON pointer', () => {
    const { positions } = readJsonText('{\n  "a": [10,\n    {"b~/": true}]\n}');
    assert.deepEqual(positions.get(''), { line: 1, column: 1 });
    assert.deepEqual(positions.get('/a'), { line: 2, column: 8 });
    assert.deepEqual(positions.get('/a/0'), { line: 2, column: 9 });
    assert.deepEqual(positions.get('/a/1/b~0~1'), { line: 3, column: 13 });
  });

  it('counts columns after a BOM from the first real character', () => {
    assert.deepEqual(readJsonText('\uFEFF{"a": 1}').positions.get('/a'), { line: 1, column: 7 });
  });

  it('reports every duplicate property name with its pointer, keeping the last value', () => {
    const r = readJsonText('{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}');
    assert.deepEqual(r.value, { a: 3, b: { c: 2 } });
    assert.deepEqual(r.duplicates.map((d) => d.pointer), ['/b/c', '/a']);
  });

  it('keeps a "__proto__" member as an ordinary property', () => {
    const v = readJsonText('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('rejects non-JSON with ConfigParseError giving line and column, never the content', () => {
    const cases: [string, number, number][] = [
      ['{"a": 1 "b": 2}', 1, 9],
      ['{\n  "secret-value": tru\n}', 2, 19],
      ["{'a': 1}", 1, 2],
      ['{"a": [1,,2]}', 1, 10],
      ['{"a": 01}', 1, 8],
      ['{"a": "opened', 1, 7],
      ['{"a": 1} x', 1, 10],
      ['[1, 2', 1, 6],
      ['{,}', 1, 2],
      ['[,]', 1, 2],
      ['{"a": NaN}', 1, 7],
      ['{"a": "tab\there"}', 1, 11],
      ['/* never closed', 1, 1],
      ['', 1, 1],
      ['{"span": 1e400}', 1, 10],
      ['[-1e999]', 1, 2],
      ['['.repeat(300), 1, 258],
    ];
    for (const [text, line, column] of cases) {
      const r = tryReadJsonText(text);
      assert.ok('syntax' in r, text);
      assert.deepEqual(r.syntax.position, { line, column }, text);
      assert.throws(() => readJsonText(text, 'c.json'), (e: unknown) => {
        assert.ok(e instanceof ConfigParseError);
        assert.equal(e.code, 'ERR_CONFIG_PARSE');
        assert.deepEqual(e.location, { file: 'c.json', line });
        assert.match(e.message, new RegExp(`at column ${column} \\(c\\.json, line ${line}\\)$`));
        for (const word of ['secret', 'tru', 'opened', 'here', 'NaN']) assert.ok(!e.message.includes(word), e.message);
        return true;
      });
    }
  });
});

describe('config/json reader differential', () => {
  // A small deterministic PRNG so failures reproduce.
  let seed = 0x2545f491;
  const rand = (n: number): number => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed % n;
  };
  const strings = ['', 'a', 'é', '"q"', 'back\\slash', 'tab\t', '\u2028', '😀', 'nodesByType(\'date\')', '\u0000'];
  function value(depth: number): unknown {
    const k = rand(depth > 3 ? 5 : 7);
    if (k === 0) return null;
    if (k === 1) return rand(2) === 0;
    if (k === 2) return [0, -1, 1.5, 1e21, -2.5e-7, 123456789][rand(6)];
    if (k === 3 || k === 4) return strings[rand(strings.length)];
    if (k === 5) return Array.from({ length: rand(4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = rand(4); i > 0; i--) o[strings[rand(strings.length)]! + String(rand(3))] = value(depth + 1);
    return o;
  }

  it('gives the same value as JSON.parse on 500 random documents, pretty or compact', () => {
    for (let i = 0; i < 500; i++) {
      const v = value(0);
      for (const text of [JSON.stringify(v), JSON.stringify(v, null, i % 4)]) {
        assert.deepEqual(readJsonText(text).value, JSON.parse(text), text);
      }
    }
  });

  it('on 2000 one-character mutations: same value whenever JSON.parse accepts, and only ConfigParseError otherwise', () => {
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', ' ', '\n', '0', '-', '.', 'e', 't', 'n', 'x'];
    for (let i = 0; i < 2000; i++) {
      const text = JSON.stringify(value(0), null, 1);
      const at = rand(text.length + 1);
      const mutated = rand(2) === 0 ? text.slice(0, at) + alphabet[rand(alphabet.length)]! + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(mutated);
      } catch {
        valid = false;
      }
      // the reader rejects numbers beyond the double range, which JSON.parse turns into Infinity
      const finite = (v: unknown): boolean => typeof v === 'number' ? Number.isFinite(v) : typeof v === 'object' && v !== null ? Object.values(v).every(finite) : true;
      if (valid && finite(expected)) {
        assert.deepEqual(readJsonText(mutated).value, expected, mutated);
      } else {
        try {
          readJsonText(mutated);
        } catch (e) {
          assert.ok(e instanceof ConfigParseError, `${mutated}: ${String(e)}`);
        }
      }
    }
  });
});
