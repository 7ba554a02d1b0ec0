import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { parseDicom, UNDEFINED_LENGTH, type DicomElement } from '../../src/dicom/parse.ts';
import { rewriteDicom, type DatasetPolicy, type ElementAction } from '../../src/dicom/rewrite.ts';
import { rewriteDatasetWasm } from '../../src/dicom/wasm-rewriter.ts';
import { ProfilePolicy } from '../../src/dicom/profile-policy.ts';
import { createUidMapper } from '../../src/dicom/uids.ts';
import { inflateRaw } from '../../src/dicom/deflate.ts';
import { getCore } from '../../src/core/index.ts';
import { readSample, wellFormedSamples } from './fixtures.ts';

const keepAll: DatasetPolicy = { planDataset: (els) => ({ actions: els.map((): ElementAction => ({ kind: 'keep' })) }) };

function reencodeAll(bytes: Uint8Array): DatasetPolicy {
  return {
    planDataset: (elements: readonly DicomElement[]) => ({
      actions: elements.map((el): ElementAction => {
        if (el.items !== undefined) return { kind: 'recurse' };
        if (el.length === UNDEFINED_LENGTH) return { kind: 'keep' };
        return { kind: 'replace', value: bytes.slice(el.valueStart, el.valueStart + el.length) };
      }),
    }),
  };
}

function profile(): ProfilePolicy {
  const key = new TextEncoder().encode('wasm-rewriter-key-0123456789');
  return new ProfilePolicy({ options: new Set(['retainSafePrivate']), key, core: getCore(), uids: createUidMapper(key, getCore()), dateShiftRange: 365 });
}

/** The data set bytes written by the JS rewriter (inflated for deflated files). */
function jsBody(name: string, policy: DatasetPolicy): Uint8Array {
  const parsed = parseDicom(readSample(name));
  const out = rewriteDicom(parsed, policy, { meta: 'keep', zeroPreamble: false }).bytes;
  const body = out.subarray(parsed.datasetStart);
  return parsed.deflated ? inflateRaw(body) : body;
}

describe('dicom/wasm-rewriter', () => {
  for (const name of wellFormedSamples()) {
    it(`${name}: the WASM rewriter writes the same data set as the JS rewriter (keep, re-encode, PS3.15 profile)`, () => {
      const parsed = parseDicom(readSample(name));
      const kept = rewriteDatasetWasm(parsed, keepAll);
      assert.ok(kept !== undefined, 'WASM path taken');
      assert.equal(kept!.changed, false);
      const re = rewriteDatasetWasm(parsed, reencodeAll(parsed.bytes));
      assert.ok(re !== undefined, 'WASM path taken');
      if (parsed.dataset.length > 0) assert.deepEqual(re!.body, parsed.bytes.subarray(parsed.bytesStart), 'lossless re-encode');
      const wasm = rewriteDatasetWasm(parsed, profile());
      assert.ok(wasm !== undefined && wasm.changed, 'WASM path taken');
      assert.deepEqual(wasm!.body, jsBody(name, profile()));
    });
  }
});
