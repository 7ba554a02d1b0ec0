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

describe('dicom/dictionary look-up', () => {
  it('the on-demand look-up (one entry decoded per tag) agrees with the generated table, entry by entry', async () => {
    // A fresh module instance is not possible here, so the look-ups run before anything in this
    // test asks for the whole table (tagForKeyword builds it).
    const { lookupTag, tagForKeyword } = await import('../../src/dicom/dictionary.ts');
    const { DICTIONARY_EXACT } = await import('../../src/dicom/dictionary.generated.ts');
    const items = DICTIONARY_EXACT.split(',');
    assert.ok(items.length > 5000);
    for (const item of items) {
      const tag = parseInt(item.slice(0, 8), 16) >>> 0;
      const retired = item.endsWith('*');
      const entry = lookupTag(tag);
      assert.deepEqual(entry && { tag: entry.tag, vr: entry.vr, keyword: entry.keyword, retired: entry.retired }, { tag, vr: item.slice(8, 10), keyword: item.slice(10, retired ? -1 : undefined), retired }, item.slice(0, 8));
    }
    assert.equal(lookupTag(0x00100011), undefined, 'a gap between exact entries');
    assert.equal(lookupTag(0x00091010), undefined, 'private');
    assert.equal(lookupTag(0x60020010)?.keyword, 'OverlayRows', 'a repeating group through the masked table');
    assert.equal(tagForKeyword('PatientName'), 0x00100010);
    assert.equal(lookupTag(0x00100010)?.keyword, 'PatientName');
  });
});

