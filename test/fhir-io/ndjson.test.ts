import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { anonymizeNdjsonStream, anonymizeNdjsonText } from '../../src/fhir/io/ndjson.ts';
import { anonymizeJsonDocument } from '../../src/fhir/io/json-document.ts';
import { anonymizeNdjsonBytes } from '../../src/fhir/io/ndjson-bytes.ts';
import type { JsonAnonymizer } from '../../src/fhir/io/types.ts';
import { AnonymizerError, InputParseError, InvalidInputError, ProcessingError } from '../../src/errors.ts';

const SECRET = 'Chalmers-7781';

/** Test double: drops `name`, re-serializes; JSON.parse's own SyntaxError (which quotes input) escapes unwrapped. */
const stripName: JsonAnonymizer = {
  anonymizeJson(text, context) {
    const value = JSON.parse(text) as Record<string, unknown>;
    delete value['name'];
    if (context?.file !== undefined) value['_file'] = context.file;
    return JSON.stringify(value, null, context?.pretty === true ? 2 : undefined);
  },
};

/** Test double that fails with a located error of ours on resources of type "Bad". */
const failingOnBad: JsonAnonymizer = {
  anonymizeJson(text) {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value['resourceType'] === 'Bad') throw new InvalidInputError('unknown element', { location: { pointer: '/foo/0' } });
    return JSON.stringify(value);
  },
};

function lines(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, name: [{ family: SECRET }] }));
  return out.join('\n') + '\n';
}

async function run(anonymizer: JsonAnonymizer, text: string, chunk = 7): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  let i = 0;
  const input = new ReadableStream<Uint8Array>({ pull: (c) => (i < pieces.length ? c.enqueue(pieces[i++]!) : c.close()) });
  return new Response(anonymizeNdjsonStream(anonymizer, input, { file: 'in.ndjson' })).text();
}

describe('fhir-io/ndjson', () => {
  it('streams compact lines in input order, one per resource', async () => {
    const out = await run(stripName, lines(500), 13);
    const got = out.split('\n');
    assert.equal(got.pop(), '');
    assert.equal(got.length, 500);
    got.forEach((l, i) => assert.deepEqual(JSON.parse(l), { resourceType: 'Patient', id: `p${i}`, _file: 'in.ndjson' }));
    assert.ok(!out.includes(SECRET));
  });

  it('stream and chunk functions give identical bytes', async () => {
    const text = lines(50).replace(/\n/g, '\r\n') + '\n\n';
    const viaStream = await run(stripName, text, 5);
    const half = text.indexOf('\n', text.length / 2) + 1;
    const a = anonymizeNdjsonText(stripName, text.slice(0, half), { file: 'in.ndjson' });
    const b = anonymizeNdjsonText(stripName, text.slice(half), { file: 'in.ndjson', atStart: false });
    assert.equal(a.output + b.output, viaStream);
    assert.equal(a.resources + b.resources, 50);
    assert.equal(a.lines + b.lines, 52);
  });

  it('fails at the bad line with file, line and pointer, emitting nothing after it', async () => {
    const text = lines(3) + '{"resourceType":"Bad"}\n' + lines(3);
    const bytes = new TextEncoder().encode(text);
    const reader = anonymizeNdjsonStream(failingOnBad, new Blob([bytes]).stream(), { file: 'in.ndjson' }).getReader();
    let err: unknown;
    let emitted = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        emitted += new TextDecoder().decode(value);
      }
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof InvalidInputError);
    assert.deepEqual(err.location, { pointer: '/foo/0', file: 'in.ndjson', line: 4 });
    assert.match(err.message, /in\.ndjson, line 4, at \/foo\/0/);
    assert.ok(!emitted.includes('p0'), 'the failing batch is not emitted');
  });

  it('never lets a foreign error message (which may quote the input) through', async () => {
    const text = `{"resourceType":"Patient"}\n{"resourceType":"Patient","name":"${SECRET}"\n`;
    await assert.rejects(run(stripName, text), (e: unknown) => {
      assert.ok(e instanceof ProcessingError);
      assert.ok(!(e as Error).message.includes(SECRET), 'no value in the message');
      assert.ok(!String((e as Error).stack).includes(SECRET), 'no value in the stack');
      assert.equal(e.location?.line, 2);
      for (let c: unknown = e; c !== undefined; c = (c as Error).cause) {
        assert.ok(c instanceof AnonymizerError, 'no foreign error in the cause chain');
        assert.ok(!c.message.includes(SECRET));
      }
      return true;
    });
  });

  it('anonymizeJsonDocument pretty-prints, drops a BOM, and locates errors by file', () => {
    const out = anonymizeJsonDocument(stripName, '\uFEFF{"resourceType":"Patient","name":"x"}', { file: 'a.json' });
    assert.equal(out, '{\n  "resourceType": "Patient",\n  "_file": "a.json"\n}\n');
    assert.throws(() => anonymizeJsonDocument(stripName, ' \n', { file: 'a.json' }), (e: unknown) => e instanceof InputParseError && e.location?.file === 'a.json');
    assert.throws(
      () => anonymizeJsonDocument(stripName, `{"name": ${SECRET}}`, { file: 'b.json' }),
      (e: unknown) => e instanceof AnonymizerError && e.location?.file === 'b.json' && !e.message.includes(SECRET),
    );
  });
});

describe('fhir-io/ndjson-bytes', () => {
  const pieces = ['{"resourceType":"Patient","id":"a","name":"x"}', '', '  ', '\r', '{"resourceType":"Patient","id":"é😀"}', '{"resourceType":"Obs","v":1.50}', '\t'];
  const enc = new TextEncoder();

  it('gives exactly the bytes and counts of the text path, for random line mixes, CRLF, BOM and a missing last newline', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const n = rnd(8);
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(pieces[rnd(pieces.length)]!);
      let text = lines.join(rnd(2) === 0 ? '\n' : '\r\n');
      if (rnd(2) === 0 && n > 0) text += '\n';
      const atStart = rnd(2) === 0;
      if (atStart && rnd(2) === 0) text = '\uFEFF' + text;
      const viaText = anonymizeNdjsonText(stripName, text, { file: 'f', atStart, firstLine: 5 });
      const viaBytes = anonymizeNdjsonBytes(stripName, enc.encode(text), { file: 'f', atStart, firstLine: 5 });
      assert.deepEqual(viaBytes.output, enc.encode(viaText.output), JSON.stringify(text));
      assert.equal(viaBytes.lines, viaText.lines, JSON.stringify(text));
      assert.equal(viaBytes.resources, viaText.resources);
    }
  });

  it('names the line of invalid UTF-8 and of a failing resource', () => {
    const bad = new Uint8Array([...enc.encode('{"resourceType":"Patient"}\n\n{"a":"'), 0xc3, 0x28, ...enc.encode('"}\n')]);
    assert.throws(() => anonymizeNdjsonBytes(stripName, bad, { file: 'u.ndjson', firstLine: 10 }), (e: unknown) => e instanceof InputParseError && e.location?.line === 12);
    assert.throws(() => anonymizeNdjsonBytes(failingOnBad, enc.encode('{}\n{"resourceType":"Bad"}\n'), { file: 'v.ndjson' }), (e: unknown) => e instanceof InvalidInputError && e.location?.line === 2 && e.location.pointer === '/foo/0');
  });
});
