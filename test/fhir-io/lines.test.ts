import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { LineSplitter, splitNdjsonLines } from '../../src/fhir/io/lines.ts';
import type { NdjsonLine } from '../../src/fhir/io/lines.ts';
import { decodeLines } from '../../src/fhir/io/decode.ts';
import { InputParseError } from '../../src/errors.ts';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const l of splitNdjsonLines(stream, { file: 'x.ndjson' })) out.push(l);
  return out;
}

const SAMPLE = '\uFEFF{"a":1}\r\n\n  \r\n{"b":"é😀"}\n{"c":3}';
const EXPECTED: NdjsonLine[] = [
  { line: 1, text: '{"a":1}' },
  { line: 4, text: '{"b":"é😀"}' },
  { line: 5, text: '{"c":3}' },
];

describe('fhir-io/lines', () => {
  it('handles BOM, CRLF, blank lines (counted, skipped) and a last line without newline', () => {
    const s = new LineSplitter();
    assert.deepEqual([...s.push(SAMPLE), ...s.end()], EXPECTED);
    assert.equal(s.linesSeen, 5);
  });

  it('gives the same lines for every way of cutting the text into two chunks', () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      const s = new LineSplitter();
      assert.deepEqual([...s.push(SAMPLE.slice(0, cut)), ...s.push(SAMPLE.slice(cut)), ...s.end()], EXPECTED, `cut at ${cut}`);
    }
  });

  it('streams bytes cut at every offset, including inside multi-byte characters', async () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.deepEqual(await collect(streamOf([bytes.subarray(0, cut), bytes.subarray(cut)])), EXPECTED, `cut at ${cut}`);
    }
    // One byte at a time.
    assert.deepEqual(await collect(streamOf([...bytes].map((b) => new Uint8Array([b])))), EXPECTED);
  });

  it('keeps a BOM-like character that is not at the start of the input', () => {
    const s = new LineSplitter({ atStart: false });
    assert.deepEqual([...s.push('\uFEFF{}'), ...s.end()], [{ line: 1, text: '\uFEFF{}' }]);
  });

  it('numbers lines from firstLine', () => {
    const s = new LineSplitter({ firstLine: 41 });
    assert.deepEqual([...s.push('{}\n\n{}\n'), ...s.end()], [{ line: 41, text: '{}' }, { line: 43, text: '{}' }]);
  });

  it('rejects invalid UTF-8 with the line number and no content', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a":1}\n{"b":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}\n')]);
    await assert.rejects(collect(streamOf([bytes])), (e: unknown) => e instanceof InputParseError && e.location?.line === 2 && e.location.file === 'x.ndjson');
    assert.throws(() => decodeLines(bytes, 'y.ndjson'), (e: unknown) => e instanceof InputParseError && e.location?.line === 2);
  });

  it('rejects a line longer than the limit, naming its number', () => {
    const s = new LineSplitter({ maxLineChars: 10, file: 'z.ndjson' });
    s.push('{"a":1}\n');
    assert.throws(() => s.push('{"bbbbbbbbbbbbbbbb'), (e: unknown) => e instanceof InputParseError && e.location?.line === 2);
  });

  it('yields nothing for an empty or blank-only input', async () => {
    assert.deepEqual(await collect(streamOf([])), []);
    assert.deepEqual(await collect(streamOf([new TextEncoder().encode('\n\r\n \n')])), []);
  });
});
