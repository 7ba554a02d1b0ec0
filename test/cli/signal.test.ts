import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { describe, it } from '../harness.ts';
import { CLI_MAIN, cleanup, DETERMINISTIC_CONFIG, patients, tempDir } from './helpers.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('cli signals', () => {
  it('SIGINT while writing: the temporary output is deleted, no output file, exit 130', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'config.json'), DETERMINISTIC_CONFIG);
      const out = join(dir, 'out');
      mkdirSync(out);
      const g = globalThis as { Deno?: { execPath(): string } };
      const [cmd, pre] = g.Deno ? [g.Deno.execPath(), ['run', '-A', '--quiet', CLI_MAIN]] : [process.execPath, [CLI_MAIN]];
      const child = spawn(cmd, [...pre, 'fhir', '-b', '-i', '-', '-o', join(out, 'o.ndjson'), '-c', join(dir, 'config.json'), '-w', '1'], { stdio: ['pipe', 'ignore', 'pipe'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : null))));
      // stdin stays open: the CLI has written some output to its temporary file and waits for more.
      child.stdin.write(patients(5000, 'Name'));
      let temp: string[] = [];
      for (let i = 0; i < 100 && temp.length === 0; i++) {
        await sleep(100);
        temp = readdirSync(out).filter((f) => f.endsWith('.tmp'));
      }
      assert.equal(temp.length, 1, 'a temporary output exists while running');
      await sleep(300);
      child.kill('SIGINT');
      const code = await exited;
      child.stdin.destroy();
      assert.equal(code, 130);
      assert.deepEqual(readdirSync(out), []);
    } finally {
      cleanup(dir);
    }
  });
});
