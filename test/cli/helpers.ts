/**
 * Spawns the built CLI under the runtime running the tests: the shipped bin (dist/bin/main.js,
 * the compiled modules bundled by tools/bundle-cli.mjs), or with `entry` the compiled modules
 * themselves (build/src/cli/main.js). Node and Bun run it directly, Deno with `deno run -A`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

/** Repository root. */
export const ROOT: string = findRoot();
/** The CLI as shipped: the package's `bin`. */
export const CLI_MAIN: string = join(ROOT, 'dist', 'bin', 'main.js');
/** The CLI as compiled modules, before bundling. */
export const CLI_MODULES: string = join(ROOT, 'build', 'src', 'cli', 'main.js');

/** A fixture file's path. */
export function fixture(name: string): string {
  return join(ROOT, 'test', 'fixtures', 'fhir-io', name);
}

function command(entry: string): { cmd: string; args: string[] } {
  const g = globalThis as { Deno?: { execPath(): string }; Bun?: unknown };
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ['run', '-A', '--quiet', entry] };
  return { cmd: process.execPath, args: [entry] };
}

/** Result of one CLI run. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Uint8Array;
  readonly stderr: string;
}

/** Runs the CLI with arguments, optional stdin and extra environment. */
export function cli(args: string[], options: { input?: string | Uint8Array; env?: Record<string, string>; cwd?: string; entry?: string } = {}): CliResult {
  const entry = options.entry ?? CLI_MAIN;
  if (!existsSync(entry)) throw new Error(`${entry} missing: run npm run build first`);
  const { cmd, args: pre } = command(entry);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HEALTH_ANONYMIZER_')) env[k] = v;
  Object.assign(env, options.env ?? {});
  const res = spawnSync(cmd, [...pre, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input ?? '',
    maxBuffer: 256 * 1024 * 1024,
    // A hung run fails its test (status null) instead of stalling the suite.
    timeout: 180_000,
    killSignal: 'SIGKILL',
  });
  const stdoutBytes = new Uint8Array(res.stdout ?? new Uint8Array(0));
  return { code: res.status, stdout: new TextDecoder().decode(stdoutBytes), stdoutBytes, stderr: String(res.stderr ?? '') };
}

/** A fresh temporary folder; remove with {@link cleanup}. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ha-cli-'));
}

/** Removes a temporary folder. */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below a folder, as sorted relative paths (hidden files included). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** Reads a text file. */
export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A test configuration without encrypt or perturb, so outputs are deterministic. */
export const DETERMINISTIC_CONFIG: string = JSON.stringify({
  fhirVersion: 'R4',
  processingErrors: 'raise',
  fhirPathRules: [
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: "nodesByType('HumanName')", method: 'redact' },
    { path: "nodesByType('date')", method: 'dateShift' },
  ],
  parameters: { cryptoHashKey: 'cli-test-hash-key', dateShiftKey: 'cli-test-date-key', dateShiftScope: 'resource' },
});

/** The HMAC key of {@link DETERMINISTIC_CONFIG}. */
export const HASH_KEY = 'cli-test-hash-key';

/** NDJSON Patients with ids `p0…`, a name (a fake identifying value) and a birth date. */
export function patients(n: number, secret: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `${secret}${i}`, given: ['Given'] }], birthDate: '1970-01-01', gender: i % 2 ? 'male' : 'female' }));
  }
  return lines.join('\n') + '\n';
}
