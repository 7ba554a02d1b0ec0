#!/usr/bin/env node
// Runs bench/fhir.ts under Node (compiled, build/bench/fhir.js), Deno and Bun (from source), one
// after another, and prints each runtime's figures and, last, one JSON line per runtime.
// Usage: node bench/fhir-run.mjs [--only node,deno,bun]   (env: BENCH_SKIP_1GB=1 skips the 1 GB run)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_BINARIES as RT, root } from '../test/runtimes.mjs';

if (!existsSync(join(root, 'build', 'bench', 'fhir.js')) || !existsSync(join(root, 'dist', 'bin', 'main.js'))) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const runtimes = {
  node: [RT.node20, ['build/bench/fhir.js']],
  deno: [RT.deno, ['run', '-A', '--quiet', 'bench/fhir.ts']],
  bun: [RT.bun, ['bench/fhir.ts']],
};
let only = Object.keys(runtimes);
const i = process.argv.indexOf('--only');
if (i !== -1) only = process.argv[i + 1].split(',');
const results = [];
let failed = false;
for (const name of only) {
  const [cmd, args] = runtimes[name];
  console.log(`\n=== ${name}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(res.stdout ?? '');
  const last = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !last.startsWith('{')) {
    failed = true;
    console.log(`${name}: failed (exit ${res.status})`);
    continue;
  }
  results.push(JSON.parse(last));
}
console.log('\n=== summary');
for (const r of results) console.log(JSON.stringify(r));
process.exitCode = failed ? 1 : 0;
