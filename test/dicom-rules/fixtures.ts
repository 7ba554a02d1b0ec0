/** Reads files of test/fixtures/dicom-rules from the repository root (all runtimes start there). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function root(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'test', 'fixtures', 'dicom-rules'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

const repo = root();
const base = join(repo, 'test', 'fixtures', 'dicom-rules');

/** Text of a file of the repository (e.g. a devDependency under node_modules). */
export function repoText(path: string): string {
  return readFileSync(join(repo, path), 'utf8');
}

/** Text of a fixture file. */
export function fixtureText(name: string): string {
  return readFileSync(join(base, name), 'utf8');
}

/** Parsed JSON of a fixture file (a UTF-8 BOM is removed). */
export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name).replace(/^\uFEFF/, '')) as T;
}
