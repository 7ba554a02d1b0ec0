#!/usr/bin/env node
// DICOM benchmark driver. Needs `npm run build` first (uses build/).
//  (a) 1,000 copies of CT_small.dcm, whole-process time: our CLI (the machine's Node 20, build/;
//      also Node 24, reported as filesPerSVsGdcmanonNode24) vs gdcmanon
//      (Debian libgdcm-tools, its basic profile, with a throw-away certificate as it requires) vs a
//      dcmjs read–modify–write loop in one node process;
//  (b)(c) bench/dicom.ts in node 20 (build/), Node 24, deno and bun: header-heavy elements/s,
//      CT_small per-file time vs dcmjs, a 64 MiB pixel file vs a plain file copy.
// Prints figures; the last line is one JSON object.
// Usage: node bench/dicom-run.mjs [--files N] [--runs N] [--only node,deno,bun] [--delete-between]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_BINARIES as RT, root } from '../test/runtimes.mjs';


const samples = join(root, 'test', 'fixtures', 'dicom', 'samples');

// Child mode: dcmjs read–modify–write of every file of a folder (one process, like a CLI).
if (process.argv[2] === '--dcmjs-loop') {
  const [inDir, outDir] = process.argv.slice(3);
  const dcmjs = (await import('dcmjs')).default;
  dcmjs.log.setLevel('error');
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(inDir)) {
    const buf = readFileSync(join(inDir, name));
    const file = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict);
    nat.PatientName = 'ANONYMIZED';
    nat.PatientID = 'ANON';
    for (const k of Object.keys(nat)) if (/^[0-9A-F]{8}$/i.test(k) && parseInt(k.slice(0, 4), 16) & 1) delete nat[k];
    file.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(nat);
    writeFileSync(join(outDir, name), Buffer.from(file.write()));
  }
  process.exit(0);
}

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const fileCount = Number(opt('--files', '1000'));
const only = opt('--only', 'node,node24,deno,bun').split(',');

const node = RT.node20;
// The CLI as shipped (the package's bin: the compiled modules bundled by tools/bundle-cli.mjs).
const cliMain = join(root, 'dist', 'bin', 'main.js');
if (!existsSync(cliMain) || !existsSync(join(root, 'build', 'bench', 'dicom.js'))) {
  console.log('build missing: running npm run build');
  spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

// NODE_EXTRA_CA_CERTS makes Node 20 read and parse a whole CA bundle while it starts (about 35 ms
// here, measured with `node -e 0`: 57 ms with the variable, 22 ms without); Node 24 defers it and
// gdcmanon never reads it. Sandboxes behind a TLS proxy set it for every process. The processes
// timed here get the environment without it, so the figures are about the tools; when it was set,
// our CLI is also timed with it (filesPerSVsGdcmanonInheritedEnv).
const inheritedCaCerts = process.env.NODE_EXTRA_CA_CERTS;
const benchEnv = { ...process.env };
delete benchEnv.NODE_EXTRA_CA_CERTS;

function timed(cmd, argv, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: benchEnv, ...options });
  const ms = performance.now() - t0;
  if (r.error) return { ms, ok: false, out: String(r.error) };
  return { ms, ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const work = mkdtempSync(join(tmpdir(), 'ha-dicom-bench-'));
const inDir = join(work, 'in');
mkdirSync(inDir);
for (let i = 0; i < fileCount; i++) copyFileSync(join(samples, 'CT_small.dcm'), join(inDir, `ct${String(i).padStart(5, '0')}.dcm`));
writeFileSync(join(work, 'key.txt'), 'bench-key-0123456789abcdef');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Round 0 is an untimed warm-up of every contender (page cache, binaries, node's module files);
// then `runs` timed rounds, round-robin, medians reported.
const runs = Number(opt('--runs', '5'));
const ours = [];
const oursInherited = [];
const ours24 = [];
const ours2 = [];
const gdcm = [];
const dcmjsTimes = [];
const hasGdcm = spawnSync('gdcmanon', ['--version'], { encoding: 'utf8' }).error === undefined;
const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).error === undefined;
if (hasGdcm && hasOpenssl) {
  spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'k.pem'), '-out', join(work, 'cert.pem'), '-subj', '/CN=bench', '-days', '2'], { encoding: 'utf8' });
}
// Each run writes into a folder of its own, and outputs are deleted only at the end: on ext4
// without a journal (this VM's file system), an inode freed in the last 60 s (300 s while its
// inode table block is dirty) is skipped when a file is created (the kernel's recently_deleted
// check), so deleting the previous round's 1,000 outputs just before a run made every file
// creation step over them (seen with perf: 0.15–0.3 ms per created file, for both tools alike)
// and the figures depended on the cleanup order. --delete-between restores the old way.
const deleteBetween = args.includes('--delete-between');
for (let r = -1; r < runs; r++) {
  const keep = (list, ms) => {
    if (r >= 0) list.push(ms);
  };
  const outDir = (name) => {
    const dir = join(work, deleteBetween ? name : `${name}-${r + 1}`);
    rmSync(dir, { recursive: true, force: true });
    return dir;
  };
  const a = timed(node, [cliMain, 'dicom', '-I', inDir, '-O', outDir('out'), '--key-file', join(work, 'key.txt')]);
  if (!a.ok) throw new Error(`our CLI failed: ${a.out}`);
  keep(ours, a.ms);
  if (inheritedCaCerts !== undefined) {
    const ai = timed(node, [cliMain, 'dicom', '-I', inDir, '-O', outDir('outenv'), '--key-file', join(work, 'key.txt')], { env: process.env });
    if (!ai.ok) throw new Error(`our CLI (inherited environment) failed: ${ai.out}`);
    keep(oursInherited, ai.ms);
  }
  // The same CLI on Node 24 (the project tests both): reported beside the Node 20 headline figure.
  if (existsSync(RT.node24)) {
    const a24 = timed(RT.node24, [cliMain, 'dicom', '-I', inDir, '-O', outDir('out24'), '--key-file', join(work, 'key.txt')]);
    if (!a24.ok) throw new Error(`our CLI (Node 24) failed: ${a24.out}`);
    keep(ours24, a24.ms);
  }
  const a2 = timed(node, [cliMain, 'dicom', '-I', inDir, '-O', outDir('out2'), '--key-file', join(work, 'key.txt'), '--workers', '2']);
  if (!a2.ok) throw new Error(`our CLI (workers) failed: ${a2.out}`);
  keep(ours2, a2.ms);
  if (hasGdcm && hasOpenssl) {
    const g = timed('gdcmanon', ['-e', '-c', join(work, 'cert.pem'), '-r', '-i', inDir, '-o', outDir('gout')]);
    if (!g.ok) throw new Error(`gdcmanon failed: ${g.out}`);
    keep(gdcm, g.ms);
  }
  const d = timed(node, [fileURLToPath(import.meta.url), '--dcmjs-loop', inDir, outDir('dout')]);
  if (!d.ok) throw new Error(`dcmjs loop failed: ${d.out}`);
  keep(dcmjsTimes, d.ms);
}
const oursMs = median(ours);
console.log(`(a) ${fileCount} × CT_small.dcm, whole process, median of ${runs}:`);
console.log(`    health-anonymizer CLI (node ${process.versions.node}, PS3.15 basic): ${oursMs.toFixed(0)} ms = ${(fileCount / oursMs * 1000).toFixed(0)} files/s`);
const oursInheritedMs = oursInherited.length > 0 ? median(oursInherited) : null;
if (oursInheritedMs !== null) console.log(`    health-anonymizer CLI (node ${process.versions.node}) with the inherited NODE_EXTRA_CA_CERTS: ${oursInheritedMs.toFixed(0)} ms = ${(fileCount / oursInheritedMs * 1000).toFixed(0)} files/s`);
const ours24Ms = ours24.length > 0 ? median(ours24) : null;
if (ours24Ms !== null) console.log(`    health-anonymizer CLI (Node 24): ${ours24Ms.toFixed(0)} ms = ${(fileCount / ours24Ms * 1000).toFixed(0)} files/s`);
const ours2Ms = median(ours2);
console.log(`    health-anonymizer CLI --workers 2: ${ours2Ms.toFixed(0)} ms = ${(fileCount / ours2Ms * 1000).toFixed(0)} files/s`);
let filesPerSVsGdcmanon = null;
let filesPerSVsGdcmanonWorkers2 = null;
let filesPerSVsGdcmanonNode24 = null;
let filesPerSVsGdcmanonInheritedEnv = null;
if (gdcm.length > 0) {
  const g = median(gdcm);
  filesPerSVsGdcmanon = +(g / oursMs).toFixed(2);
  filesPerSVsGdcmanonWorkers2 = +(g / ours2Ms).toFixed(2);
  if (ours24Ms !== null) filesPerSVsGdcmanonNode24 = +(g / ours24Ms).toFixed(2);
  if (oursInheritedMs !== null) filesPerSVsGdcmanonInheritedEnv = +(g / oursInheritedMs).toFixed(2);
  console.log(`    gdcmanon (PS3.15-2008 basic, CMS-encrypted originals): ${g.toFixed(0)} ms = ${(fileCount / g * 1000).toFixed(0)} files/s → ours ${filesPerSVsGdcmanon}×`);
} else {
  console.log('    gdcmanon: skipped (install libgdcm-tools and openssl)');
}
const dcmjsMs = median(dcmjsTimes);
const vsDcmjsProcess = +(dcmjsMs / oursMs).toFixed(2);
console.log(`    dcmjs read+naturalize+edit+write loop: ${dcmjsMs.toFixed(0)} ms = ${(fileCount / dcmjsMs * 1000).toFixed(0)} files/s → ours ${vsDcmjsProcess}×`);

const runtimes = {
  node: [node, [join(root, 'build', 'bench', 'dicom.js'), samples]],
  node24: [RT.node24, [join(root, 'build', 'bench', 'dicom.js'), samples]],
  deno: [RT.deno, ['run', '-A', '--quiet', join(root, 'bench', 'dicom.ts'), samples]],
  bun: [RT.bun, [join(root, 'bench', 'dicom.ts'), samples]],
};
const results = {};
for (const name of only) {
  const [cmd, argv] = runtimes[name] ?? [];
  if (!cmd || !existsSync(cmd)) {
    console.log(`(b,c) ${name}: missing`);
    continue;
  }
  const r = timed(cmd, argv);
  const lines = r.out.trim().split('\n');
  for (const l of lines.slice(0, -1)) console.log(`(b,c) ${l}`);
  try {
    results[name] = JSON.parse(lines[lines.length - 1]);
  } catch {
    console.log(`(b,c) ${name}: failed: ${r.out.slice(0, 500)}`);
  }
}
rmSync(work, { recursive: true, force: true });
const main = results.node ?? Object.values(results)[0] ?? {};
const perRuntime = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { elementsPerS: v.elementsPerS, wasmElementsPerS: v.wasmElementsPerS, vsDcmjs: v.vsDcmjs, pixelVsCopy: v.pixelVsCopy }]));
console.log(JSON.stringify({
  bench: 'dicom',
  runtime: main.runtime ?? `node ${process.versions.node}`,
  files: fileCount,
  filesPerSVsGdcmanon,
  filesPerSVsGdcmanonWorkers2,
  filesPerSVsGdcmanonNode24,
  filesPerSVsGdcmanonInheritedEnv,
  vsDcmjs: main.vsDcmjs ?? null,
  vsDcmjsProcess,
  elementsPerS: main.elementsPerS ?? null,
  pixelVsCopy: main.pixelVsCopy ?? null,
  perRuntime,
}));
