import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { fromBase64, toBase64, toHex } from '../../src/core/encoding.ts';
import { CiphertextError } from '../../src/errors.ts';

// RFC 4648 §10 test vectors.
const RFC4648: [string, string][] = [
  ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
];

describe('core/encoding', () => {
  it('Base64 matches RFC 4648 §10 both ways', () => {
    for (const [plain, b64] of RFC4648) {
      assert.equal(toBase64(new TextEncoder().encode(plain)), b64);
      assert.equal(new TextDecoder().decode(fromBase64(b64)), plain);
    }
  });
  it('hex is lowercase, two digits per byte', () => {
    assert.equal(toHex(new Uint8Array([0, 1, 0xab, 0xff])), '0001abff');
  });
  it('strict Base64 rejects bad length, alphabet, inner padding and non-zero pad bits', () => {
    for (const bad of ['Zg=', 'Zm9v!A==', 'Zg==Zg==', 'Zh==', 'Zm9=', 'Zm 9v', '====']) {
      assert.throws(() => fromBase64(bad), (e: unknown) => e instanceof CiphertextError && e.code === 'ERR_CIPHERTEXT_INVALID', bad);
    }
  });
  it('Base64 round-trips every length 0..300 of random bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
    }
  });
});
