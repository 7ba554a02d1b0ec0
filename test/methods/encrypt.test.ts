// Decryption vectors from the reference tool's EncryptUtilityTests; round trips checked with node:crypto.
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { decryptValue, encryptKeyBytes, encryptValue } from '../../src/methods/encrypt.ts';
import { getCore } from '../../src/core/index.ts';
import { AnonymizerError, KeySizeError } from '../../src/errors.ts';

const KEY = '704ab12c8e3e46d4bea600ef62a6bec7';

describe('methods/encrypt', () => {
  it('decrypts the reference vectors', () => {
    assert.equal(decryptValue(KEY, 'qpxGp6T9DP7wB0EYPQwOYVrScQ/pq3c0D+JQ+hjnfkY='), 'abc');
    assert.equal(decryptValue(KEY, 'GI99peR2SpPfcqEgzr7/z7gxYym6qyVPPzvmGc8o8SSwqMpCsW0CRj3v6ZsxFCef'), 'This is for test');
    assert.equal(decryptValue(KEY, 'JxNRbbxL6pYYpbrtHWZ+1gPTPcIVrLWmrugPiUR9d6k='), '!@)(*&%^!@#$%@');
    assert.equal(decryptValue(KEY, 'nQTtB/efLGpEqzOh/Pt4ZRlqZynO7gjePdu7LbLxH2LoqYJXAq6SQWkFeQ1SiqRM'), 'ͶΆΈΞξτϡϿῧῄᾴѶѾ');
    assert.equal(decryptValue(KEY, 'zrFYnZ2cIwcfmjCVybP1ZC+LaD7gwGXBHR2bZjuutzA='), '测试');
  });
  it('rejects short or malformed ciphertexts', () => {
    for (const bad of ['YWJj', 'not base64!', 'qpxGp6T9DP7wB0EYPQwOYVrScQ/pq3c0D+JQ+hjnfk']) {
      assert.throws(() => decryptValue(KEY, bad), (e: unknown) => e instanceof AnonymizerError, bad);
    }
  });
  it('round-trips, with a fresh IV each time, and node:crypto can decrypt the output', () => {
    const key = encryptKeyBytes(KEY);
    for (const text of ['', 'abc', '!@)(*&%^!@#$%@', 'ͶΆΈΞξτϡϿῧῄᾴѶѾ', '测试']) {
      const a = encryptValue(getCore(), key, text);
      const b = encryptValue(getCore(), key, text);
      assert.notEqual(a, b);
      assert.equal(decryptValue(KEY, a), text);
      const raw = Buffer.from(a, 'base64');
      const d = createDecipheriv('aes-256-cbc', Buffer.from(KEY, 'utf8'), raw.subarray(0, 16));
      assert.equal(Buffer.concat([d.update(raw.subarray(16)), d.final()]).toString('utf8'), text);
    }
  });
  it('accepts 16/24/32-byte keys only', () => {
    assert.equal(encryptKeyBytes('1234567812345678').length, 16);
    assert.equal(encryptKeyBytes('123456781234567812345678').length, 24);
    assert.throws(() => encryptKeyBytes('short'), KeySizeError);
    assert.throws(() => encryptKeyBytes('12345678123456781'), KeySizeError);
  });
});
