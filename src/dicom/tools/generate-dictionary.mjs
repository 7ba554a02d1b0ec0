#!/usr/bin/env node
// Generates src/dicom/dictionary.generated.ts from the DICOM data dictionary in
// innolitics/dicom-standard `standard/attributes.json` (MIT; PS3.6 2024b).
// Usage: node src/dicom/tools/generate-dictionary.mjs [path/to/attributes.json]
// The generated module is committed; this script runs only when the dictionary is refreshed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const source = process.argv[2] ?? '/work/shared/fixtures/ps3.15/attributes.json';
const out = fileURLToPath(new URL('../dictionary.generated.ts', import.meta.url));
const text = readFileSync(source, 'utf8');
const rows = JSON.parse(text);

// Ambiguous VRs of PS3.6 get two-letter lower-case codes so every entry has exactly two letters.
const VR_CODES = {
  'US or SS': 'xs',
  'OB or OW': 'ox',
  'US or SS or OW': 'xw',
  'US or OW': 'uw',
  'See Note 2': 'na',
  '': 'na',
};

const exact = [];
const masked = [];
for (const row of rows) {
  const m = /^\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)$/.exec(row.tag);
  if (!m) throw new Error(`unexpected tag ${row.tag}`);
  const hex = (m[1] + m[2]).toLowerCase();
  const vrText = row.valueRepresentation ?? '';
  const vr = VR_CODES[vrText] ?? vrText;
  if (!/^[A-Za-z]{2}$/.test(vr)) throw new Error(`unexpected VR ${vrText} for ${row.tag}`);
  const keyword = row.keyword ?? '';
  if (!/^[A-Za-z0-9_]*$/.test(keyword)) throw new Error(`unexpected keyword ${keyword}`);
  const entry = `${hex}${vr}${keyword}${row.retired === 'Y' ? '*' : ''}`;
  (hex.includes('x') ? masked : exact).push(entry);
}
exact.sort();
masked.sort();

const sha = createHash('sha256').update(text).digest('hex');
const body = `// generated — do not edit. Source: innolitics/dicom-standard standard/attributes.json (MIT),
// ${rows.length} attributes, sha256 ${sha}.
// Regenerate: node src/dicom/tools/generate-dictionary.mjs <attributes.json>
/**
 * The DICOM data dictionary (PS3.6) in a compact text form: entries separated by \`,\`, each
 * \`ggggeeee\` (lower-case hex; \`x\` for a wildcard digit), a two-letter VR (lower-case codes for
 * ambiguous VRs: \`xs\` US or SS, \`ox\` OB or OW, \`xw\` US or SS or OW, \`uw\` US or OW, \`na\` none),
 * the keyword, and \`*\` when retired.
 * @module
 */

/** Exact-tag entries, sorted by tag. */
export const DICTIONARY_EXACT: string =
  ${JSON.stringify(exact.join(','))};

/** Entries whose tag has wildcard digits (repeating groups such as 50xx and 60xx). */
export const DICTIONARY_MASKED: string =
  ${JSON.stringify(masked.join(','))};

/** Number of attributes in the source dictionary. */
export const DICTIONARY_SIZE: number = ${rows.length};
`;
writeFileSync(out, body);
console.log(`wrote ${out}: ${exact.length} exact + ${masked.length} masked entries`);
