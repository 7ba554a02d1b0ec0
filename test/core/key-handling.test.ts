import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createCipheriv, createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { CiphertextError } from '../../src/errors.ts';
import { CORES, hex } from './helpers.ts';

// Raw AES-CBC of whole blocks by OpenSSL, padding switched off, so the last plaintext block
// (and thus the padding our cores must check) is chosen freely.
function rawCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(plain), c.final()]));
}

for (const core of CORES) {
  describe(`core/key handling (${core.kind})`, () => {
    it('a Buffer key changed in place between calls is used as changed (HMAC, CBC, GCM)', () => {
      const key = Buffer.alloc(32, 1);
      const iv = new Uint8Array(16).fill(7);
      const nonce = new Uint8Array(12).fill(9);
      for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
        key.fill(1);
        assert.equal(hex(core.hmac(alg, key, 'abc')), createHmac(alg, key).update('abc').digest('hex'));
        key.fill(2);
        assert.equal(hex(core.hmac(alg, key, 'abc')), createHmac(alg, key).update('abc').digest('hex'), alg);
        assert.equal(core.hmacHexBatch(alg, key, ['abc'])[0], createHmac(alg, key).update('abc').digest('hex'), alg);
      }
      key.fill(1);
      const first = core.aesCbcEncrypt(key, iv, 'secret');
      key.fill(3);
      const second = core.aesCbcEncrypt(key, iv, 'secret');
      const c = createCipheriv('aes-256-cbc', key, iv);
      assert.equal(hex(second), Buffer.concat([c.update('secret'), c.final()]).toString('hex'));
      assert.notEqual(hex(first), hex(second));
      const sealed = core.aesGcmEncrypt(key, nonce, 'secret');
      key.fill(4);
      assert.throws(() => core.aesGcmDecrypt(key, nonce, sealed), CiphertextError);
      const [b64] = core.encryptTextsCbcBase64(key, ['secret'], iv);
      const c2 = createCipheriv('aes-256-cbc', key, iv);
      assert.equal(b64, Buffer.concat([Buffer.from(iv), c2.update('secret'), c2.final()]).toString('base64'));
    });

    it('CBC padding: every valid pad 1..16 accepted, every malformed pad rejected', () => {
      const key = new Uint8Array(16).fill(5);
      const iv = new Uint8Array(16).fill(6);
      for (let pad = 1; pad <= 16; pad++) {
        const block = new Uint8Array(32).fill(0x41);
        block.fill(pad, 32 - pad);
        const plain = core.aesCbcDecrypt(key, iv, rawCbc(key, iv, block));
        assert.equal(plain.length, 32 - pad, `pad ${pad}`);
        for (let at = 32 - pad; at < 31; at++) {
          const bad = block.slice();
          bad[at] = pad ^ 0x80;
          assert.throws(() => core.aesCbcDecrypt(key, iv, rawCbc(key, iv, bad)), CiphertextError, `pad ${pad} byte ${at}`);
        }
      }
      for (const last of [0, 17, 32, 255]) {
        const block = new Uint8Array(32).fill(last);
        assert.throws(() => core.aesCbcDecrypt(key, iv, rawCbc(key, iv, block)), CiphertextError, `last byte ${last}`);
      }
    });
  });
}
