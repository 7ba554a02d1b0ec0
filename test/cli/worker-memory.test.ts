import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, skip } from '../harness.ts';
import { cleanup, cli, DETERMINISTIC_CONFIG, listFiles, tempDir } from './helpers.ts';

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const isNode = g.Deno === undefined && g.Bun === undefined;
const name = 'a worker that runs out of memory fails its input securely: exit 1, no output, the input named';

async function body(): Promise<void> {
  const dir = tempDir();
  try {
    // Three lines of ~53 MB each (a Binary with inline data), more than a 64 MB worker heap can
    // parse; each is a chunk of its own. The space after a comma makes the text walker (which would
    // scan such a line without parsing it) leave it to the parsing paths. The main thread takes a
    // chunk only while the worker is not ready or already holds two, so the worker gets one of them:
    // the first if it is ready by then, else the second or third (the main thread spends far longer
    // on a 53 MB line than the worker needs to start). Small lines after them must not be written either.
    const huge = (id: string): string => `{"resourceType":"Binary", "id":"${id}","data":"${'QUJD'.repeat(13 * 1024 * 1024)}"}`;
    const lines = [huge('b1'), huge('b2'), huge('b3')];
    lines.push('{"resourceType":"Patient","id":"a"}', '{"resourceType":"Patient","id":"c"}');
    const input = join(dir, 'big.ndjson');
    writeFileSync(input, lines.join('\n') + '\n');
    writeFileSync(join(dir, 'config.json'), DETERMINISTIC_CONFIG);
    mkdirSync(join(dir, 'out'));
    const r = cli(['fhir', '-i', input, '-o', join(dir, 'out', 'o.ndjson'), '-c', join(dir, 'config.json'), '-w', '2'], { env: { HEALTH_ANONYMIZER_WORKER_HEAP_MB: '64' } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ran out of memory.*big\.ndjson/);
    assert.deepEqual(listFiles(join(dir, 'out')), []);
  } finally {
    cleanup(dir);
  }
}

describe('cli worker memory', () => {
  if (isNode) it(name, body);
  else skip(name, 'worker heap limits (worker_threads resourceLimits) are a Node feature; Deno and Bun ignore them', body);
});
