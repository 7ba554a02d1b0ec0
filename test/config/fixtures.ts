/**
 * Reads configuration fixtures from test/fixtures/config/, from the sources (Deno, Bun)
 * or from the compiled suite in build/ (Node).
 */
import { readFileSync } from 'node:fs';

const root = new URL(import.meta.url.endsWith('.js') ? '../../../' : '../../', import.meta.url);

/** Text of a fixture under test/fixtures/config/. */
export function fixtureText(relative: string): string {
  return readFileSync(new URL(`test/fixtures/config/${relative}`, root), 'utf8');
}

/** Path of a file relative to the repository root. */
export function repoText(relative: string): string {
  return readFileSync(new URL(relative, root), 'utf8');
}
