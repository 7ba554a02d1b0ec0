import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { createWasmCore, wasmMemoryBytes } from '../../src/core/index.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { hex, js, subtleDigest, subtleHmac, utf8 } from './helpers.ts';

const LIMIT = 4 * 1024 * 1024;

describe('core/memory: the WASM instance stays bounded', () => {
  it('hashing a 64 MiB input and a 200,000-value batch leaves memory under 4 MiB', async () => {
    const core = createWasmCore();
    const before = wasmMemoryBytes(core);
    assert.ok(before < LIMIT, `initial ${before}`);
    const big = new Uint8Array(64 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 255;
    assert.equal(hex(core.hash('sha256', big)), hex(await subtleDigest('sha256', big)));
    assert.equal(hex(core.hmac('sha512', utf8('k'), big)), hex(await subtleHmac('sha512', utf8('k'), big)));
    const values = Array.from({ length: 200_000 }, (_, i) => `patient-${i}-${'x'.repeat(i % 40)}`);
    const tags = core.hmacHexBatch('sha256', utf8('123'), values);
    assert.equal(tags.length, values.length);
    for (const i of [0, 1, 4095, 4096, 199_999]) assert.equal(tags[i], js.hmacHexBatch('sha256', utf8('123'), [values[i]!])[0]);
    const cts = core.encryptTextsCbcBase64(new Uint8Array(32), values.slice(0, 50_000));
    assert.equal(cts.length, 50_000);
    const after = wasmMemoryBytes(core);
    assert.equal(after, before, 'memory never grew');
    assert.ok(after < LIMIT, `after ${after}`);
  });
  it('wasmMemoryBytes rejects a core that is not WASM', () => {
    assert.throws(() => wasmMemoryBytes(js), InvalidArgumentError);
  });
});
