import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { CORE_ENV_VAR, createJsCore, getCore, WASM_SHA256 } from '../../src/core/index.ts';
import { wasmBytes, wasmModule } from '../../src/core/wasm.generated.ts';
import { readEnv } from '../../src/util/env.ts';
import { hex, repoRoot, subtleDigest } from './helpers.ts';

/** Only what Deno needs to start: no variable that could select the JS core. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1', ...extra };
  for (const name of ['PATH', 'HOME', 'DENO_DIR', 'XDG_CACHE_HOME']) {
    const value = process.env[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return env;
}

describe('core/runtime', () => {
  it('getCore defaults to WASM (unless the variable says otherwise) and honours "kind"', () => {
    const fromEnv = readEnv(CORE_ENV_VAR);
    assert.equal(getCore().kind, fromEnv === 'js' ? 'js' : 'wasm');
    assert.equal(getCore({ kind: 'wasm' }).kind, 'wasm');
    assert.equal(getCore({ kind: 'js' }).kind, 'js');
    assert.equal(getCore({ kind: 'wasm' }), getCore({ kind: 'wasm' }), 'one shared instance');
    assert.notEqual(getCore({ kind: 'js' }), createJsCore());
  });
  it('the exported WASM SHA-256 is the hash of the embedded bytes', async () => {
    assert.match(WASM_SHA256, /^[0-9a-f]{64}$/);
    assert.equal(hex(await subtleDigest('sha256', wasmBytes())), WASM_SHA256);
  });
  it('the embedded module has no imports', () => {
    assert.deepEqual(WebAssembly.Module.imports(wasmModule()), []);
  });
  it('Deno with no permission flags loads the WASM core and computes HMAC("abc")', () => {
    const root = repoRoot();
    const res = spawnSync(join(root, 'node_modules', '.bin', 'deno'), ['run', '--no-prompt', join('test', 'core', 'no-permissions-probe.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    assert.equal(res.stderr.includes('Requires'), false, res.stderr);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'wasm 8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae');
  });
  it('HEALTH_ANONYMIZER_CORE=js selects the JS core where the variable is readable', () => {
    const root = repoRoot();
    const deno = join(root, 'node_modules', '.bin', 'deno');
    const probe = join('test', 'core', 'no-permissions-probe.ts');
    const env = cleanEnv({ [CORE_ENV_VAR]: 'js' });
    const granted = spawnSync(deno, ['run', '--no-prompt', `--allow-env=${CORE_ENV_VAR}`, probe], { cwd: root, encoding: 'utf8', env });
    assert.equal(granted.stdout.trim(), 'js 8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae', granted.stderr);
    // Without env permission Deno cannot read it, and the default (WASM) applies, with no prompt or error.
    const denied = spawnSync(deno, ['run', '--no-prompt', probe], { cwd: root, encoding: 'utf8', env });
    assert.equal(denied.stdout.trim(), 'wasm 8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae', denied.stderr);
  });
});
