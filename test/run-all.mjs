#!/usr/bin/env node
// Runs the one test suite on Node 20 (the machine's), Node 24, Deno 2 and Bun 1, one after another,
// and fails if any runtime fails, ran no test, or is missing. Node runs the compiled suite from build/
// (so the emitted JS is what is tested); Deno and Bun run the TypeScript sources directly.
// Usage: node test/run-all.mjs [--only node20,node24,deno,bun] [filter]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const bin = (p) => join(root, 'node_modules', p);

// npm puts node_modules/.bin first on PATH, and the `node` package links Node 24 there, so the
// machine's Node is found by walking PATH past any node_modules folder (or npm's own Node).
function machineNode() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.env.npm_node_execpath ?? process.execPath;
}

const runtimes = {
  node20: { cmd: machineNode(), args: ['build/test/index.js'], wantMajor: '20' },
  node24: { cmd: bin('node24/bin/node'), args: ['build/test/index.js'], wantMajor: '24' },
  deno: { cmd: bin('.bin/deno'), args: ['run', '-A', '--quiet', 'test/index.ts'] },
  bun: { cmd: bin('.bin/bun'), args: ['test/index.ts'] },
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
