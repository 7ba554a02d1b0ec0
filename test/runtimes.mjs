// Where each runtime of the matrix lives, for the test runner and the benchmark runners.
// npm puts node_modules/.bin first on PATH, and the `node24` package links a `node` there, so
// the machine's own Node is found by walking PATH past node_modules folders.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The repository root. */
export const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** A path inside node_modules. */
export const bin = (p) => join(root, 'node_modules', p);

/** The machine's Node (Node 20 here), never the one npm links from node_modules. */
export function machineNode() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.env.npm_node_execpath ?? process.execPath;
}

/** Executables of the matrix: Node 20 (machine), Node 24, Deno 2 and Bun 1 (from devDependencies). */
export const RUNTIME_BINARIES = {
  node20: machineNode(),
  node24: bin('node24/bin/node'),
  deno: bin('.bin/deno'),
  bun: bin('.bin/bun'),
};
