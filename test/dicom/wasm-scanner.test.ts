import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { parseDicom } from '../../src/dicom/parse.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { DicomParseError } from '../../src/errors.ts';
import { readSample, sampleNames, wellFormedSamples } from './fixtures.ts';

function outcome(bytes: Uint8Array, scanner: 'js' | 'wasm'): unknown {
  try {
    return parseDicom(bytes, { scanner }).dataset;
  } catch (err) {
    if (err instanceof DicomParseError) return { error: err.message };
    throw err;
  }
}

describe('dicom/wasm-scanner', () => {
  for (const name of wellFormedSamples()) {
    it(`${name}: the WASM scanner gives the same element tree as the JS walk`, () => {
      const input = readSample(name);
      assert.deepStrictEqual(parseDicom(input, { scanner: 'wasm' }).dataset, parseDicom(input, { scanner: 'js' }).dataset);
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
        compared++;
      }
    }
    assert.ok(compared > 500);
  });
  it('the anonymizer gives the same bytes with either scanner', () => {
    const key = new TextEncoder().encode('scanner-key-0123456789abcdef');
    const js = createDicomAnonymizer({ key, scanner: 'js' });
    const wasm = createDicomAnonymizer({ key, scanner: 'wasm' });
    for (const name of wellFormedSamples()) assert.deepEqual(wasm.anonymize(readSample(name)), js.anonymize(readSample(name)), name);
  });
});
