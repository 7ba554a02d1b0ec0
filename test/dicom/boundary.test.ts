import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from '../harness.ts';
import { ROOT } from './fixtures.ts';

/** Every module reachable from an entry through static imports (relative and bare). */
function graph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}();]*\}|\w+(?:\s*,\s*\{[^}();]*\})?)\s*from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (/^(?:import|export)\s+type\s/.test(m[0].trim())) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('dicom/boundaries', () => {
  it('health-anonymizer/dicom loads no FHIR or configuration code, no node:* module, and only fflate besides @noble', () => {
    const { files, bare } = graph(join(ROOT, 'src', 'dicom', 'index.ts'));
    const rel = [...files].map((f) => relative(join(ROOT, 'src'), f));
    assert.ok(rel.includes(join('dicom', 'parse.ts')) && rel.includes(join('core', 'select.ts')) && rel.includes(join('core', 'js.ts')) && bare.has('fflate'), 'the graph was followed');
    assert.deepEqual(rel.filter((f) => f.startsWith('fhir') || f.startsWith('config') || f.startsWith('cli')), []);
    assert.deepEqual([...bare].filter((b) => b.startsWith('node:')), []);
    assert.deepEqual([...bare].filter((b) => !b.startsWith('@noble/') && b !== 'fflate').sort(), []);
  });
  it('the dicom command imports no FHIR code', () => {
    const { files } = graph(join(ROOT, 'src', 'cli', 'dicom.ts'));
    assert.deepEqual([...files].map((f) => relative(join(ROOT, 'src'), f)).filter((f) => f.startsWith('fhir')), []);
  });
  it('the CLI entry and the dicom command load neither the pure-JS crypto core nor fflate up front (start-up time)', () => {
    for (const entry of [join('cli', 'main.ts'), join('cli', 'dicom.ts')]) {
      const { files, bare } = graph(join(ROOT, 'src', entry));
      const rel = [...files].map((f) => relative(join(ROOT, 'src'), f));
      assert.ok(rel.includes(join('core', 'select.ts')) && rel.includes(join('core', 'wasm.ts')), `${entry}: the graph was followed`);
      assert.deepEqual(rel.filter((f) => f === join('core', 'index.ts') || f === join('core', 'js.ts') || f === join('dicom', 'deflate.ts')), [], entry);
      assert.deepEqual([...bare].filter((b) => b.startsWith('@noble/') || b === 'fflate'), [], entry);
    }
  });
});
