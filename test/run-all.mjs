#!/usr/bin/env node
// Runs the one test suite on Node 20 (the machine's), Node 24, Deno 2 and Bun 1, one after another,
// and fails if any runtime fails, ran no test, or is missing. Node runs the compiled suite from build/
// (so the emitted JS is what is tested); Deno and Bun run the TypeScript sources directly.
// Usage: node test/run-all.mjs [--only node20,node24,deno,bun] [filter]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { RUNTIME_BINARIES as RT, root } from './runtimes.mjs';

const runtimes = {
  node20: { cmd: RT.node20, args: ['build/test/index.js'], wantMajor: '20' },
  node24: { cmd: RT.node24, args: ['build/test/index.js'], wantMajor: '24' },
  deno: { cmd: RT.deno, args: ['run', '-A', '--quiet', 'test/index.ts'] },
  bun: { cmd: RT.bun, args: ['test/index.ts'] },
};

let only = Object.keys(runtimes);
const rest = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--only') only = process.argv[++i].split(',');
  else rest.push(process.argv[i]);
}

const summary = [];
let totalPassed = 0;
let totalFailed = 0;
let totalSkipped = 0;
for (const name of only) {
  const rt = runtimes[name];
  if (!rt) throw new Error(`unknown runtime ${name}`);
  if (!existsSync(rt.cmd)) {
    summary.push(`${name}: missing (${rt.cmd}); run npm ci`);
    totalFailed++;
    continue;
  }
  const version = spawnSync(rt.cmd, ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (rt.wantMajor && !version.replace(/^v/, '').startsWith(rt.wantMajor + '.')) {
    summary.push(`${name}: expected Node ${rt.wantMajor}, found ${version}`);
    totalFailed++;
    continue;
  }
  console.log(`\n=== ${name}: ${version}`);
  const started = Date.now();
  const res = spawnSync(rt.cmd, [...rt.args, ...rest], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(res.stdout ?? '');
  const lines = (res.stdout ?? '').trim().split('\n');
  const m = /(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(lines[lines.length - 1] ?? '');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!m) {
    summary.push(`${name} (${version}): no summary line, exit ${res.status ?? res.signal} after ${seconds} s`);
    totalFailed++;
    continue;
  }
  const [passed, failed, skipped] = m.slice(1).map(Number);
  totalPassed += passed;
  totalFailed += failed + (res.status !== 0 && failed === 0 ? 1 : 0);
  totalSkipped += skipped;
  if (passed === 0) totalFailed++;
  summary.push(`${name} (${lines[lines.length - 1]}) exit ${res.status} in ${seconds} s`);
}
console.log('\n=== summary per runtime');
for (const line of summary) console.log(line);
process.exitCode = totalFailed > 0 ? 1 : 0;
console.log(`total: ${totalPassed} passed, ${totalFailed} failed, ${totalSkipped} skipped`);
