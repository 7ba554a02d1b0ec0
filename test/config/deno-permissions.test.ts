import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, skip } from '../harness.ts';

const root = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? '../../../' : '../../', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;

const SCRIPT = `
import { getFhirProfile, loadFhirConfig, fingerprintConfig } from './src/config/index.ts';
const profile = getFhirProfile('hipaa-safe-harbor', 'R4');
const config = loadFhirConfig('\\uFEFF{"fhirPathRules": [{"path": "nodesByType(\\'date\\')", "method": "dateshift"},],}');
console.log(JSON.stringify([profile.fhirPathRules.length, config.fhirPathRules[0].method, fingerprintConfig(config).length]));
`;

describe('config/runtime', () => {
  (existsSync(deno) ? it : (name: string, fn: () => void) => skip(name, 'deno is not installed (npm ci installs it)', fn))(
    'loads, validates and fingerprints under Deno with no permission at all',
    () => {
      const res = spawnSync(deno, ['run', '--quiet', '--no-prompt', '-'], { cwd: root, input: SCRIPT, encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), [220, 'dateShift', 64]);
    },
  );
});
