/**
 * The single test entry, run unchanged by Node (compiled, from build/), Deno and Bun
 * (from source). It imports every `*.test.ts` below `test/` in sorted order, then runs them.
 * Usage: `<runtime> test/index.ts [filter]`; `TEST_FILES=a,b` imports only test files whose
 * path contains one of those texts (for quick runs while working on one area).
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { run } from './harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const compiled = import.meta.url.endsWith('.js');
const suffix = compiled ? '.test.js' : '.test.ts';

function collect(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' && name !== 'vectors') out.push(...collect(path));
    } else if (name.endsWith(suffix)) {
      out.push(path);
    }
  }
  return out;
}

const proc = (globalThis as { process?: { argv: string[]; env: Record<string, string | undefined> } }).process;
const args = proc?.argv.slice(2) ?? [];
const only = (proc?.env['TEST_FILES'] ?? '').split(',').filter((s) => s !== '');
for (const file of collect(here)) {
  if (only.length === 0 || only.some((part) => file.includes(part))) await import(pathToFileURL(file).href);
}
const result = await run(args[0]);
(globalThis as { process?: { exitCode?: number } }).process!.exitCode = result.failed > 0 ? 1 : 0;
