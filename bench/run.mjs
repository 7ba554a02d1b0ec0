#!/usr/bin/env node
// Runs a benchmark under Node (compiled, from build/bench/; run `npm run build` first), Deno and
// Bun, one process per runtime, one after another, then prints each runtime's result line.
// Usage: node bench/run.mjs crypto [--only node,deno,bun] [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_BINARIES as RT, root } from '../test/runtimes.mjs';

const BENCHES = ['crypto'];

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--') && BENCHES.includes(a));
if (!name) {
  console.error(`usage: node bench/run.mjs <${BENCHES.join('|')}> [--only node,deno,bun] [--quick]`);
  process.exit(2);
}
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['node', 'deno', 'bun'];
const extra = args.filter((a, i) => a.startsWith('--') && a !== '--only' && args[i - 1] !== '--only');

const runtimes = {
  node: { cmd: RT.node20, args: [join('build', 'bench', `${name}.js`)], needs: join(root, 'build', 'bench', `${name}.js`) },
  deno: { cmd: RT.deno, args: ['run', '-A', '--quiet', join('bench', `${name}.ts`)] },
  bun: { cmd: RT.bun, args: [join('bench', `${name}.ts`)] },
};

const results = [];
let failed = false;
for (const rt of only) {
  const spec = runtimes[rt];
  if (!spec) throw new Error(`unknown runtime ${rt}`);
  if (spec.needs && !existsSync(spec.needs)) {
    console.error(`${rt}: ${spec.needs} is missing; run npm run build first`);
    failed = true;
    continue;
  }
  console.log(`\n=== ${rt}`);
  const res = spawnSync(spec.cmd, [...spec.args, ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  process.stdout.write(res.stdout ?? '');
  const last = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !last.startsWith('{')) {
    console.error(`${rt}: failed (exit ${res.status ?? res.signal})`);
    failed = true;
    continue;
  }
  results.push(JSON.parse(last));
}
console.log('\n=== results');
for (const r of results) console.log(JSON.stringify(r));
process.exitCode = failed ? 1 : 0;
