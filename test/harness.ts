/**
 * A small describe/it runner that behaves the same on Node, Deno and Bun, so the
 * suite does not depend on any runtime's own test runner.
 * @module
 */

type TestFn = () => void | Promise<void>;

interface TestCase {
  readonly name: string;
  readonly fn: TestFn;
  readonly skipReason?: string;
}

const cases: TestCase[] = [];
const prefix: string[] = [];

/** Groups tests under a name. The body runs at once and registers its tests. */
export function describe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

/** Registers a test. */
export function it(name: string, fn: TestFn): void {
  cases.push({ name: [...prefix, name].join(' › '), fn });
}

/**
 * Registers a test that is skipped, with the reason printed and counted.
 * Use only for a condition outside the project's control, never to hide a failure.
 */
export function skip(name: string, reason: string, fn: TestFn): void {
  cases.push({ name: [...prefix, name].join(' › '), fn, skipReason: reason });
}

/** The runtime's name and version, as printed in the summary line. */
export function runtimeLabel(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.version.replace(/^v/, '') ?? 'unknown'}`;
}

/** Counts of one run. */
export interface RunResult {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Runs every registered test in order; prints failures and a last summary line.
 * @param filter - Only run tests whose full name contains this text.
 */
export async function run(filter?: string): Promise<RunResult> {
  const result: RunResult = { passed: 0, failed: 0, skipped: 0 };
  const verbose = (globalThis as { process?: { env?: Record<string, string> } }).process?.env?.['TEST_VERBOSE'] === '1';
  for (const test of cases) {
    if (filter && !test.name.includes(filter)) continue;
    if (test.skipReason !== undefined) {
      result.skipped++;
      console.log(`SKIP ${test.name}: ${test.skipReason}`);
      continue;
    }
    const started = performance.now();
    try {
      await test.fn();
      result.passed++;
      if (verbose) console.log(`ok   ${test.name} (${(performance.now() - started).toFixed(0)} ms)`);
    } catch (err) {
      result.failed++;
      console.log(`FAIL ${test.name}`);
      console.log(String((err as Error)?.stack ?? err).split('\n').map((l) => `     ${l}`).join('\n'));
    }
  }
  console.log(`${runtimeLabel()}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  return result;
}
