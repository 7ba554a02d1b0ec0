import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from '../harness.ts';
import { decodeAscii, latin1 } from '../../src/dicom/encode-value.ts';
import { textValue, type DicomElement } from '../../src/dicom/parse.ts';

/** Deterministic bytes (xorshift), every value 0–255. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('dicom/text decoding (one call per value, not one string per byte)', () => {
  it('latin1 gives Node\'s Latin-1 decoding for every byte value and for lengths around the 4,096-byte chunk', () => {
    for (const n of [0, 1, 2, 255, 4095, 4096, 4097, 8192, 10001]) {
      const b = bytes(n, n + 7);
      assert.equal(latin1(b, 0, n), Buffer.from(b).toString('latin1'), `length ${n}`);
      if (n > 10) assert.equal(latin1(b, 3, n - 2), Buffer.from(b.subarray(3, n - 2)).toString('latin1'), `slice of ${n}`);
    }
  });
  it('decodeAscii and textValue strip trailing spaces and NULs only', () => {
    assert.equal(decodeAscii(new Uint8Array([0x20, 0x41, 0x00, 0x42, 0x20, 0x00, 0x20])), ' A\u0000B');
    assert.equal(decodeAscii(new Uint8Array([0xe9, 0x20])), '\u00e9');
    const buf = new Uint8Array([0x99, 0x31, 0x2e, 0x32, 0x00, 0x99]);
    const el = { tag: 0x00080018, vr: 'UI', start: 0, valueStart: 1, length: 4, end: 5, items: undefined, itemEncoding: undefined, encapsulated: false } satisfies DicomElement;
    assert.equal(textValue(buf, el), '1.2');
  });
});
