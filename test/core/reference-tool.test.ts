import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { CiphertextError } from '../../src/errors.ts';
import { b64, CORES, hex, loadVectors, utf8 } from './helpers.ts';

interface ReferenceVectors {
  cryptoHashKey: string;
  hmacSha256Hex: [string, string][];
  hmacSha256HexAbbreviated: [string, string, string][];
  hmacSha512Hex: [string, string][];
  encryptKey: string;
  decrypt: [string, string][];
  rejectDecrypt: string[];
  roundTrip: string[];
}

const v = loadVectors<ReferenceVectors>('reference-tool.json');
const hashKey = utf8(v.cryptoHashKey);
const encKey = utf8(v.encryptKey);

for (const core of CORES) {
  describe(`core/reference tool (${core.kind})`, () => {
    it('cryptoHash: HMAC-SHA-256 hex with key "123" for every listed input, in one batch', () => {
      const got = core.hmacHexBatch('sha256', hashKey, v.hmacSha256Hex.map(([m]) => m));
      assert.deepEqual(got, v.hmacSha256Hex.map(([, h]) => h));
    });
    it('cryptoHash: each input alone, as bytes and as text', () => {
      for (const [m, h] of v.hmacSha256Hex) {
        assert.equal(hex(core.hmac('sha256', hashKey, m)), h, m);
        assert.equal(hex(core.hmac('sha256', hashKey, utf8(m))), h, m);
      }
    });
    it('cryptoHash: values known by prefix and suffix only', () => {
      const got = core.hmacHexBatch('sha256', hashKey, v.hmacSha256HexAbbreviated.map(([m]) => m));
      v.hmacSha256HexAbbreviated.forEach(([, prefix, suffix], i) => {
        assert.ok(got[i]!.startsWith(prefix) && got[i]!.endsWith(suffix) && got[i]!.length === 64);
      });
    });
    it('DICOM cryptoHash: HMAC-SHA-512 of "abc" with key "123"', () => {
      for (const [m, h] of v.hmacSha512Hex) {
        assert.equal(hex(core.hmac('sha512', hashKey, m)), h);
        assert.deepEqual(core.hmacHexBatch('sha512', hashKey, [m]), [h]);
      }
    });
    it('encrypt: decrypts the reference tool\'s AES-256-CBC outputs', () => {
      for (const [b64text, plain] of v.decrypt) assert.equal(core.decryptTextCbcBase64(encKey, b64text), plain);
    });
    it('encrypt: rejects too-short and malformed Base64 with CiphertextError', () => {
      for (const bad of v.rejectDecrypt) {
        assert.throws(() => core.decryptTextCbcBase64(encKey, bad), (e: unknown) => e instanceof CiphertextError && e.code === 'ERR_CIPHERTEXT_INVALID', bad);
      }
    });
    it('encrypt: round trips, random IVs differ, and the format is Base64(IV ‖ ciphertext)', () => {
      const out = core.encryptTextsCbcBase64(encKey, v.roundTrip);
      out.forEach((text, i) => assert.equal(core.decryptTextCbcBase64(encKey, text), v.roundTrip[i]));
      const again = core.encryptTextsCbcBase64(encKey, v.roundTrip);
      for (let i = 0; i < out.length; i++) assert.notEqual(again[i], out[i], 'a fresh IV per value');
      const iv = crypto.getRandomValues(new Uint8Array(16));
      const [one] = core.encryptTextsCbcBase64(encKey, ['abc'], iv);
      const joined = new Uint8Array(32);
      joined.set(iv);
      joined.set(core.aesCbcEncrypt(encKey, iv, 'abc'), 16);
      assert.equal(one, b64(joined));
    });
  });
}
