#!/usr/bin/env node
// Builds the DICOM scanner WASM and embeds it as base64 in src/dicom/wasm/dicom-scan.generated.ts.
//   node assembly/dicom/embed.mjs          build (npx asc --config assembly/dicom/asconfig.json) + embed
//   node assembly/dicom/embed.mjs --check  fail if the embedded module differs from a fresh build
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmPath = join(root, 'build', 'wasm', 'dicom-scan.wasm');
const outPath = join(root, 'src', 'dicom', 'wasm', 'dicom-scan.generated.ts');
const asc = join(root, 'node_modules', '.bin', 'asc');
execFileSync(asc, ['--config', 'assembly/dicom/asconfig.json', '--target', 'release'], { cwd: root, stdio: 'inherit' });
const wasm = readFileSync(wasmPath);
const sha = createHash('sha256').update(wasm).digest('hex');
const ascVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version;
const text = `// generated — do not edit. AssemblyScript ${ascVersion}; npx asc --config assembly/dicom/asconfig.json --target release
// (-O3, runtime stub, noAssert); source assembly/dicom/scan.ts; ${wasm.length} bytes; sha256 ${sha}.
// Regenerate: node assembly/dicom/embed.mjs
/**
 * The DICOM scanner WASM module, embedded so it loads without file access in every runtime.
 * @module
 */

/** SHA-256 (hex) of the embedded module. */
export const DICOM_SCAN_WASM_SHA256: string = '${sha}';

/** The module, base64. */
export const DICOM_SCAN_WASM_BASE64: string =
  '${wasm.toString('base64')}';
`;
if (process.argv.includes('--check')) {
  const current = readFileSync(outPath, 'utf8');
  if (current !== text) {
    console.error('src/dicom/wasm/dicom-scan.generated.ts is stale: run node assembly/dicom/embed.mjs');
    process.exit(1);
  }
  console.log('embedded DICOM scanner is up to date');
} else {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath} (${wasm.length} bytes, sha256 ${sha})`);
}
