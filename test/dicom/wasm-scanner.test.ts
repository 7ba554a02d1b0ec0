import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { parseDicom } from '../../src/dicom/parse.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { DicomParseError } from '../../src/errors.ts';
import { scanDatasetWasm } from '../../src/dicom/wasm-scanner.ts';
import { WASM_SHA256 as DICOM_SCAN_WASM_SHA256, wasmBytes } from '../../src/dicom/wasm/dicom-scan.generated.ts';
import { createHash } from 'node:crypto';
import { readSample, sampleNames, wellFormedSamples } from './fixtures.ts';

function outcome(bytes: Uint8Array, scanner: 'js' | 'wasm'): unknown {
  try {
    return parseDicom(bytes, { scanner }).dataset;
  } catch (err) {
    if (err instanceof DicomParseError) return { error: err.message };
    throw err;
  }
}

/** Where the data set of a (possibly malformed) Part 10 file starts: its file meta, parsed alone. */
function parseDicomMeta(bytes: Uint8Array): { bytes: Uint8Array; start: number; enc: ReturnType<typeof parseDicom>['encoding'] } | undefined {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) return undefined;
  let pos = 132;
  while (pos + 8 <= bytes.length && bytes[pos] === 2 && bytes[pos + 1] === 0) {
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    if (['OB', 'OW', 'UN', 'UT', 'SQ', 'UC', 'UR'].includes(vr)) pos += 12 + (bytes[pos + 8]! | (bytes[pos + 9]! << 8) | (bytes[pos + 10]! << 16) | (bytes[pos + 11]! << 24));
    else pos += 8 + (bytes[pos + 6]! | (bytes[pos + 7]! << 8));
  }
  if (pos > bytes.length) return undefined;
  try {
    const meta = parseDicom(bytes.subarray(0, pos));
    if (meta.deflated || meta.transferSyntaxInferred) return undefined;
    return { bytes, start: pos, enc: meta.encoding };
  } catch {
    return undefined;
  }
}

describe('dicom/wasm-scanner', () => {
  for (const name of wellFormedSamples()) {
    it(`${name}: the WASM scanner gives the same element tree as the JS walk`, () => {
      const input = readSample(name);
      const js = parseDicom(input, { scanner: 'js' });
      // The WASM scan itself (not the JS fallback) must produce the tree.
      const wasm = scanDatasetWasm(js.bytes, js.bytesStart, js.encoding);
      assert.ok(wasm !== undefined, 'the WASM scanner accepted the file');
      assert.deepStrictEqual(wasm, js.dataset);
      assert.deepStrictEqual(parseDicom(input, { scanner: 'wasm' }).dataset, js.dataset);
    });
  }
  it('agrees with the JS walk on truncated and corrupted inputs (same tree or same located error)', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let compared = 0;
    for (const name of sampleNames()) {
      const input = readSample(name);
      for (let k = 0; k < 25; k++) {
        const copy = k % 2 === 0 ? input.slice(0, Math.floor(random() * input.length)) : input.slice();
        if (k % 2 === 1) for (let f = 0; f < 3; f++) copy[Math.floor(random() * Math.min(copy.length, 4096))] = Math.floor(random() * 256);
        assert.deepStrictEqual(outcome(copy, 'wasm'), outcome(copy, 'js'), `${name} mutant ${k}`);
        // Where the JS walk accepts a mutant, the WASM scan must accept it on its own too.
        try {
          const js = parseDicom(copy);
          assert.deepStrictEqual(scanDatasetWasm(js.bytes, js.bytesStart, js.encoding), js.dataset, `${name} mutant ${k} (WASM alone)`);
        } catch (err) {
          if (!(err instanceof DicomParseError)) throw err;
          const partial = parseDicomMeta(copy);
          if (partial !== undefined) assert.equal(scanDatasetWasm(partial.bytes, partial.start, partial.enc), undefined, `${name} mutant ${k} rejected by WASM too`);
        }
        compared++;
      }
    }
    assert.ok(compared > 500);
  });
  it('the embedded module matches its recorded SHA-256', () => {
    const bytes = wasmBytes();
    assert.equal(createHash('sha256').update(bytes).digest('hex'), DICOM_SCAN_WASM_SHA256);
    assert.ok(WebAssembly.validate(bytes));
  });
  it('the anonymizer gives the same bytes with either scanner', () => {
    const key = new TextEncoder().encode('scanner-key-0123456789abcdef');
    const js = createDicomAnonymizer({ key, scanner: 'js' });
    const wasm = createDicomAnonymizer({ key, scanner: 'wasm' });
    for (const name of wellFormedSamples()) assert.deepEqual(wasm.anonymize(readSample(name)), js.anonymize(readSample(name)), name);
  });
});
