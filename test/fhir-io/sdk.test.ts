import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from '../harness.ts';
import * as fhir from '../../src/fhir/index.ts';
import { loadFhirConfig } from '../../src/config/index.ts';
import { ROOT } from '../cli/helpers.ts';

const CONFIG = JSON.stringify({
  fhirVersion: 'R4',
  fhirPathRules: [{ path: 'Resource.id', method: 'cryptoHash' }, { path: "nodesByType('HumanName')", method: 'redact' }],
  parameters: { cryptoHashKey: 'sdk-key' },
});

/** Relative imports reachable from an entry file (static and dynamic), as absolute paths, plus bare specifiers. */
function importGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target)) todo.push(target);
      } else {
        bare.add(spec);
      }
    }
  }
  return { files, bare };
}

describe('fhir SDK entry', () => {
  it('exports the engine, the stream API, validation and the report', () => {
    for (const name of ['createFhirAnonymizer', 'anonymizeNdjsonStream', 'anonymizeNdjsonText', 'anonymizeNdjsonLine', 'anonymizeJsonDocument', 'splitNdjsonLines', 'LineSplitter', 'createSchemaValidator', 'RunReportBuilder', 'singleDateShiftOffsetWarning', 'decryptValue']) {
      assert.equal(typeof (fhir as Record<string, unknown>)[name], 'function', name);
    }
  });

  it('anonymizeNdjsonStream with the real engine: order kept, ids are HMAC-SHA256 (node:crypto), names gone', async () => {
    const anonymizer = fhir.createFhirAnonymizer(loadFhirConfig(CONFIG));
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(JSON.stringify({ resourceType: 'Patient', id: `id-${i}`, name: [{ family: 'Secretname' }], multipleBirthInteger: i }));
    const input = new Blob([lines.join('\r\n')]).stream();
    const out = await new Response(fhir.anonymizeNdjsonStream(anonymizer, input, { file: 'p.ndjson' })).text();
    const got = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; name?: unknown; multipleBirthInteger: number });
    assert.equal(got.length, 200);
    got.forEach((r, i) => {
      assert.equal(r.id, createHmac('sha256', 'sdk-key').update(`id-${i}`).digest('hex'));
      assert.equal(r.name, undefined);
      assert.equal(r.multipleBirthInteger, i);
    });
    assert.equal(anonymizer.stats.resources, 200);
  });

  it('the SDK entry imports no node:* module and no DICOM code (it runs in browsers and Deno without permissions)', () => {
    const { files, bare } = importGraph(join(ROOT, 'src', 'fhir', 'index.ts'));
    assert.ok(files.size > 10);
    for (const f of files) {
      assert.ok(!f.includes(`${join('src', 'cli')}`), `CLI code reached: ${f}`);
      assert.ok(!/dicom/i.test(f.slice(ROOT.length)), `DICOM code reached: ${f}`);
    }
    for (const b of bare) assert.ok(!b.startsWith('node:'), `node module imported: ${b}`);
  });
});
