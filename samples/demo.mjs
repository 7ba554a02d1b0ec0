#!/usr/bin/env node
// `npm run demo`: builds if needed, then anonymizes the bundled samples with the built-in defaults:
// samples/fhir (Synthea, synthetic) with HIPAA Safe Harbor (R4) into out/fhir, and samples/dicom
// (pydicom test files) with the PS3.15 Basic profile into out/dicom; writes a JSON run report for
// each and prints a summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const main = join(root, 'dist', 'bin', 'main.js');
if (!existsSync(main)) {
  console.log('building (npm run build)…');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
function cli(args) {
  console.log(`$ health-anonymizer ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [main, ...args], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`health-anonymizer exited with ${run.status}`);
    process.exit(run.status ?? 1);
  }
}

rmSync(join(root, 'out', 'fhir'), { recursive: true, force: true });
cli(['fhir', '-i', 'samples/fhir', '-o', 'out/fhir', '-r', '--report', 'out/fhir-report.json', '-v']);
const report = JSON.parse(readFileSync(join(root, 'out', 'fhir-report.json'), 'utf8'));
const t = report.totals;
console.log(`\n${t.ok} files anonymized, ${t.error} failed, ${t.resources} resources, in ${report.durationMs} ms`);
console.log(`methods applied: ${Object.entries(report.methods).map(([m, n]) => `${m} ${n}`).join(', ')}`);
console.log(`rules that fired: ${report.rules.filter((r) => r.count > 0).length} of ${report.rules.length}`);
console.log(`configuration fingerprint: ${report.configFingerprint}`);
for (const w of report.warnings) console.log(`warning: ${w.message}`);
console.log('outputs in out/fhir, report in out/fhir-report.json\n');

rmSync(join(root, 'out', 'dicom'), { recursive: true, force: true });
cli(['dicom', '-I', 'samples/dicom', '-O', 'out/dicom', '--report', 'out/dicom-report.json']);
const dicom = JSON.parse(readFileSync(join(root, 'out', 'dicom-report.json'), 'utf8'));
console.log(`\n${dicom.totals.ok} DICOM files anonymized, ${dicom.totals.error} failed, ${dicom.totals.elements} elements, in ${dicom.durationMs} ms`);
console.log(`actions: ${Object.entries(dicom.methods).map(([m, n]) => `${m} ${n}`).join(', ')}`);
console.log('outputs in out/dicom, report in out/dicom-report.json');
console.log('\n(no keys were given, so hashes, UIDs and date shifts use random keys and differ from run to run)');
