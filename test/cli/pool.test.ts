/**
 * The FHIR pool where the main thread is one of the engines: `--workers 2` is the main thread
 * plus one worker, chunks the worker has not started can be claimed back by the main thread,
 * and none of it may change the output bytes or the counters.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { loadFhirConfig } from '../../src/config/index.ts';
import { WorkerPool } from '../../src/cli/pool.ts';
import type { WorkerReply } from '../../src/cli/protocol.ts';
import { cleanup, cli, DETERMINISTIC_CONFIG, patients, read, tempDir } from './helpers.ts';

const SECRET = 'Qwertzu';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Report {
  files: Array<{ resources: number; status: string }>;
  rules: Array<{ count: number }>;
  methods: Record<string, number>;
  totals: { resources: number };
}

function ndjsonTask(text: string): { kind: 'ndjson'; bytes: ArrayBuffer; first: boolean; context: { file: string; displayName: string } } {
  return { kind: 'ndjson', bytes: encoder.encode(text).buffer as ArrayBuffer, first: true, context: { file: 'in.ndjson', displayName: 'in.ndjson' } };
}

function bytesOf(reply: WorkerReply): string {
  assert.ok(reply.ok && 'bytes' in reply, 'a chunk result');
  return decoder.decode(new Uint8Array((reply as { bytes: ArrayBuffer }).bytes));
}

describe('cli pool (main thread + workers)', () => {
  it('-w 2 on a multi-chunk NDJSON file and on stdin gives the bytes of -w 1, and the report counts each resource once', () => {
    const dir = tempDir();
    try {
      const text = patients(40000, SECRET); // ~4.5 MiB: five 1 MiB chunks shared by the main thread and the worker
      const input = join(dir, 'in.ndjson');
      writeFileSync(input, text);
      const config = join(dir, 'config.json');
      writeFileSync(config, DETERMINISTIC_CONFIG);
      const one = cli(['fhir', '-i', input, '-o', join(dir, 'one.ndjson'), '-c', config, '-w', '1', '--report', join(dir, 'one.json')]);
      const two = cli(['fhir', '-i', input, '-o', join(dir, 'two.ndjson'), '-c', config, '-w', '2', '--report', join(dir, 'two.json')]);
      // Output to a file: Deno's spawnSync writes all of stdin before it reads stdout, so a child
      // that writes megabytes to stdout while input is still coming would block on both pipes.
      const piped = cli(['fhir', '-i', '-', '-o', join(dir, 'piped.ndjson'), '-b', '-c', config, '-w', '2'], { input: text });
      for (const r of [one, two, piped]) assert.equal(r.code, 0, r.stderr);
      const expected = readFileSync(join(dir, 'one.ndjson'));
      assert.ok(expected.length > 4 * 1024 * 1024 && expected.toString('utf8').split('\n').length === 40001);
      assert.ok(readFileSync(join(dir, 'two.ndjson')).equals(expected), 'file input, -w 2');
      assert.ok(readFileSync(join(dir, 'piped.ndjson')).equals(expected), 'stdin input, -w 2');
      assert.ok(!expected.toString('utf8').includes(SECRET));
      const a = JSON.parse(read(join(dir, 'one.json'))) as Report;
      const b = JSON.parse(read(join(dir, 'two.json'))) as Report;
      assert.equal(b.totals.resources, 40000);
      assert.deepEqual(b.files.map((f) => [f.status, f.resources]), [['ok', 40000]]);
      assert.deepEqual(b.rules.map((r) => r.count), a.rules.map((r) => r.count), 'per-rule counts: no chunk counted twice or lost');
      assert.deepEqual(b.methods, a.methods);
    } finally {
      cleanup(dir);
    }
  });

  it('a chunk offered to a worker that has not started it can be claimed back: the worker skips it and does not count it', async () => {
    const pool = new WorkerPool(1, { validateInput: false, validateOutput: false });
    try {
      pool.configure(loadFhirConfig(DETERMINISTIC_CONFIG));
      // Claimed at once: the worker is still starting (tens of milliseconds), it cannot have begun.
      const early = pool.offer(0, ndjsonTask('{"resourceType":"Patient","id":"a"}\n'));
      assert.equal(early.claim(), true, 'claimed by the main thread');
      assert.equal(early.claim(), false, 'a chunk is claimed once');
      const late = pool.offer(0, ndjsonTask('{"resourceType":"Patient","id":"b"}\n{"resourceType":"Patient","id":"c"}\n'));
      const lateReply = await late.reply;
      assert.equal(late.claim(), false, 'the worker has run it');
      const lines = bytesOf(lateReply).trimEnd().split('\n');
      assert.equal(lines.length, 2);
      const earlyReply = await early.reply;
      assert.deepEqual(earlyReply, { id: earlyReply.id, ok: true, skipped: true });
      const stats = await pool.broadcast({ kind: 'stats' });
      assert.equal(stats.length, 1);
      assert.equal((stats[0] as { stats: { resources: number } }).stats.resources, 2, 'only the chunk the worker ran is counted');
    } finally {
      await pool.close();
    }
  });

  it('a worker whose engine cannot be built fails the pool: every offered chunk is rejected, none is picked again', async () => {
    const pool = new WorkerPool(1, { validateInput: false, validateOutput: false });
    try {
      // Not a configuration: building the engine throws in the worker.
      pool.configure({ fhirPathRules: 'nope' } as unknown as Parameters<WorkerPool['configure']>[0]);
      const offered = pool.offer(0, ndjsonTask('{"resourceType":"Patient","id":"a"}\n'));
      offered.reply.catch(() => undefined);
      await assert.rejects(offered.reply, (e: unknown) => e instanceof Error && (e as { code?: string }).code !== undefined);
      assert.equal(pool.pick(2, true), -1, 'a failed pool takes no more work');
    } finally {
      await pool.close();
    }
  });
});
