import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { parseDicom, UNDEFINED_LENGTH, type DicomElement } from '../../src/dicom/parse.ts';
import { rewriteDicom, type DatasetPolicy, type ElementAction } from '../../src/dicom/rewrite.ts';
import { inflateRaw } from '../../src/dicom/deflate.ts';
import { readSample, wellFormedSamples } from './fixtures.ts';

const keepAll: DatasetPolicy = {
  planDataset: (elements) => ({ actions: elements.map((): ElementAction => ({ kind: 'keep' })) }),
};

/** Rebuilds every element through the encoder: sequences recursed, values replaced by themselves. */
function reencodeAll(bytesOf: () => Uint8Array): DatasetPolicy {
  return {
    planDataset: (elements: readonly DicomElement[]) => ({
      actions: elements.map((el): ElementAction => {
        if (el.items !== undefined) return { kind: 'recurse' };
        if (el.length === UNDEFINED_LENGTH) return { kind: 'keep' };
        return { kind: 'replace', value: bytesOf().slice(el.valueStart, el.valueStart + el.length) };
      }),
    }),
  };
}

describe('dicom/lossless', () => {
  for (const name of wellFormedSamples()) {
    it(`keep-everything plan reproduces ${name} byte for byte`, () => {
      const input = readSample(name);
      const out = rewriteDicom(parseDicom(input, { file: name }), keepAll, { meta: 'keep', zeroPreamble: false });
      assert.equal(out.changed, false);
      assert.deepEqual(out.bytes, input);
    });
    it(`re-encoding every element and sequence of ${name} gives the same data set bytes`, () => {
      const input = readSample(name);
      const parsed = parseDicom(input, { file: name });
      const out = rewriteDicom(parsed, reencodeAll(() => parsed.bytes), { meta: 'keep', zeroPreamble: false });
      if (parsed.dataset.length > 0) assert.equal(out.changed, true);
      if (parsed.deflated) {
        // The deflate stream differs (our compressor, not theirs); the inflated data sets must not.
        const again = parseDicom(out.bytes);
        assert.deepEqual(again.bytes, parsed.bytes);
        assert.deepEqual(inflateRaw(out.bytes.subarray(again.datasetStart)), parsed.bytes);
      } else {
        assert.deepEqual(out.bytes, input);
      }
    });
  }
  it('parses the sample inventory with the expected transfer syntaxes', () => {
    const ts = (n: string): string => parseDicom(readSample(n)).transferSyntax;
    assert.equal(ts('MR_small_implicit.dcm'), '1.2.840.10008.1.2');
    assert.equal(ts('MR_small.dcm'), '1.2.840.10008.1.2.1');
    assert.equal(ts('MR_small_bigendian.dcm'), '1.2.840.10008.1.2.2');
    assert.equal(ts('image_dfl.dcm'), '1.2.840.10008.1.2.1.99');
    assert.equal(ts('JPEG-lossy.dcm'), '1.2.840.10008.1.2.4.51');
    const bare = parseDicom(readSample('rtstruct.dcm'));
    assert.equal(bare.transferSyntaxInferred, true);
    assert.equal(bare.transferSyntax, '1.2.840.10008.1.2');
    assert.equal(bare.meta.length, 0);
  });
  it('reads a bare explicit VR data set (no_meta.dcm without its stray first byte)', () => {
    const bare = readSample('no_meta.dcm').subarray(1);
    const parsed = parseDicom(bare);
    assert.equal(parsed.transferSyntax, '1.2.840.10008.1.2.1');
    assert.equal(parsed.transferSyntaxInferred, true);
    assert.equal(parsed.dataset[0]!.tag, 0x00080005);
    const ct = parseDicom(readSample('CT_small.dcm'));
    assert.deepEqual(parsed.dataset.map((e) => e.tag), ct.dataset.map((e) => e.tag));
    const out = rewriteDicom(parsed, keepAll, { meta: 'keep', zeroPreamble: false });
    assert.deepEqual(out.bytes, bare);
  });
  it('finds elements after Pixel Data and sequences encoded as UN', () => {
    const un = parseDicom(readSample('UN_sequence.dcm'));
    const seq = un.dataset.find((e) => e.items !== undefined && !e.encapsulated);
    assert.ok(seq, 'a sequence');
    assert.ok(seq!.items!.length > 0);
    const priv = parseDicom(readSample('nested_priv_SQ.dcm'));
    const outer = priv.dataset.find((e) => e.items !== undefined)!;
    assert.ok(outer.items![0]!.elements.some((e) => e.items !== undefined), 'nested private sequence found');
  });
});
