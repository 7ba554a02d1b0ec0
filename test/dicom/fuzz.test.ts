import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { parseDicom, MAX_DEPTH } from '../../src/dicom/parse.ts';
import { AnonymizerError, DicomParseError } from '../../src/errors.ts';
import { createDicomAnonymizer } from '../../src/dicom/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MS, readSample, sampleNames } from './fixtures.ts';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIME_BOUND_MS = 2000;

function mutants(input: Uint8Array, random: () => number, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    if (kind === 0) {
      out.push(input.slice(0, Math.floor(random() * input.length)));
    } else {
      const copy = input.slice();
      // Flip bytes, biased towards the header region where lengths and tags live.
      const flips = 1 + Math.floor(random() * 4);
      const span = Math.min(copy.length, kind === 1 ? 2048 : copy.length);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(random() * span);
        copy[at] = kind === 1 ? copy[at]! ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
      }
      out.push(copy);
    }
  }
  return out;
}

describe('dicom/fuzz', () => {
  const anonymizer = createDicomAnonymizer({ key: new TextEncoder().encode('fuzz-key-0123456789abcdef') });
  const wasm = createDicomAnonymizer({ key: new TextEncoder().encode('fuzz-key-0123456789abcdef'), scanner: 'wasm' });
  const configured = createDicomAnonymizer({ key: new TextEncoder().encode('fuzz-key-0123456789abcdef'), config: readFileSync(join(MS, 'configuration.json'), 'utf8') });
  for (const name of sampleNames()) {
    it(`random truncations and byte flips of ${name} parse or throw DicomParseError, quickly`, () => {
      const input = readSample(name);
      const random = rng(name.length * 7919 + input.length);
      for (const bytes of mutants(input, random, 60)) {
        const started = performance.now();
        try {
          parseDicom(bytes, { file: name });
        } catch (err) {
          if (!(err instanceof DicomParseError)) throw err;
        }
        let jsOut: Uint8Array | undefined;
        try {
          jsOut = anonymizer.anonymize(bytes);
        } catch (err) {
          if (!(err instanceof AnonymizerError)) throw err;
        }
        let wasmOut: Uint8Array | undefined;
        try {
          wasmOut = wasm.anonymize(bytes);
        } catch (err) {
          if (!(err instanceof AnonymizerError)) throw err;
        }
        assert.deepEqual(wasmOut, jsOut, 'the WASM twin gives the same result');
        for (const a of [configured]) {
          try {
            a.anonymize(bytes);
          } catch (err) {
            if (!(err instanceof AnonymizerError)) throw err;
          }
        }
        assert.ok(performance.now() - started < TIME_BOUND_MS, 'within the time bound');
      }
    });
  }
  it('rejects nesting deeper than the limit with DicomParseError, not a stack overflow', () => {
    // Implicit VR LE: (0008,1115) SQ, undefined length, nested 200 deep.
    const depth = 200;
    const parts: number[] = [];
    const le32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
    for (let i = 0; i < depth; i++) parts.push(0x08, 0x00, 0x15, 0x11, ...le32(0xffffffff), 0xfe, 0xff, 0x00, 0xe0, ...le32(0xffffffff));
    for (let i = 0; i < depth; i++) parts.push(0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
    assert.throws(() => parseDicom(new Uint8Array(parts)), (e: unknown) => e instanceof DicomParseError && /deeper/.test((e as Error).message));
    assert.ok(MAX_DEPTH < depth);
  });
  it('rejects a length past the end and says where, not what', () => {
    const input = readSample('MR_truncated.dcm');
    assert.throws(() => parseDicom(input, { file: 'MR_truncated.dcm' }), (e: unknown) => {
      assert.ok(e instanceof DicomParseError);
      assert.equal(e.code, 'ERR_DICOM_PARSE');
      assert.equal(e.location?.file, 'MR_truncated.dcm');
      assert.equal(e.location?.tag, '(7FE0,0010)');
      assert.equal(typeof e.location?.offset, 'number');
      return true;
    });
  });
  it('rejects a non-DICOM input', () => {
    assert.throws(() => parseDicom(new TextEncoder().encode('hello, this is not a DICOM file at all')), DicomParseError);
    assert.throws(() => parseDicom(new Uint8Array(0)), DicomParseError);
  });
  it('rejects an invalid VR with its tag and offset', () => {
    const input = readSample('MR_small.dcm').slice();
    // First data set element after the meta: overwrite its VR with lower-case letters.
    const parsed = parseDicom(input);
    const first = parsed.dataset[0]!;
    input[first.start + 4] = 0x7a;
    input[first.start + 5] = 0x7a;
    assert.throws(() => parseDicom(input), (e: unknown) => e instanceof DicomParseError && e.location?.offset === first.start + 4);
  });
});
