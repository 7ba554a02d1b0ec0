/**
 * In-process DICOM benchmark (run by bench/dicom-run.mjs under node, deno and bun):
 * (b) header-heavy files, elements per second; (c) a pixel-heavy file against a plain file copy;
 * and our anonymizer against a dcmjs read–modify–write of CT_small.dcm.
 * Usage: <runtime> bench/dicom.ts [fixturesDir] [workDir]. Last line: one JSON object.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDicomAnonymizer } from '../src/dicom/index.ts';
import { parseDicom } from '../src/dicom/parse.ts';
import { rewriteDicom, type ElementAction } from '../src/dicom/rewrite.ts';
import { processDicomFile } from '../src/cli/dicom.ts';

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string }; process: { version: string; argv: string[] } };
const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}` : `node ${g.process.version.slice(1)}`;
const args = g.process.argv.slice(2);
const samples = args[0] ?? join(new URL('..', import.meta.url).pathname.replace(/\/build\/$/, '/'), 'test/fixtures/dicom/samples');
const work = args[1] ?? mkdtempSync(join(tmpdir(), 'ha-dicom-bench-'));

const anonymizer = createDicomAnonymizer({ key: new TextEncoder().encode('bench-key-0123456789abcdef') });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(fn: () => void, minMs = 300, rounds = 5): number {
  // Returns median ms per call.
  fn();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < minMs / rounds) {
      fn();
      n++;
      t = performance.now();
    }
    per.push((t - t0) / n);
  }
  return median(per);
}

async function timeInterleaved(fns: (() => Promise<void>)[], rounds: number): Promise<number[]> {
  for (const fn of fns) await fn();
  const per: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t0 = performance.now();
      await fns[i]!();
      per[i]!.push(performance.now() - t0);
    }
  }
  return per.map(median);
}

// (b) Header-heavy files.
let elementsPerS = 0;
let wasmElementsPerS = 0;
{
  const names = ['test-SR.dcm', 'reportsi.dcm', 'liver_1frame.dcm'];
  const files = names.map((n) => readFileSync(join(samples, n)));
  const counts = files.map((f) => anonymizer.anonymizeWithStats(new Uint8Array(f)).elements);
  const msPerRound = timeIt(() => {
    for (const f of files) anonymizer.anonymize(f);
  }, 1500);
  const elements = counts.reduce((a, b) => a + b, 0);
  elementsPerS = elements / (msPerRound / 1000);
  const parseMs = timeIt(() => {
    for (const f of files) parseDicom(f);
  }, 600);
  const wasmAnonymizer = createDicomAnonymizer({ key: new TextEncoder().encode('bench-key-0123456789abcdef'), scanner: 'wasm' });
  const wasmMs = timeIt(() => {
    for (const f of files) wasmAnonymizer.anonymize(f);
  }, 1000);
  const wasmParseMs = timeIt(() => {
    for (const f of files) parseDicom(f, { scanner: 'wasm' });
  }, 600);
  wasmElementsPerS = elements / (wasmMs / 1000);
  console.log(`${runtime} header-heavy (${names.join(', ')}; ${elements} elements): anonymize ${(msPerRound * 1000).toFixed(0)} µs/round = ${(elementsPerS / 1e6).toFixed(2)} M elements/s (WASM scanner ${(wasmElementsPerS / 1e6).toFixed(2)}); parse only: JS ${((elements / parseMs) / 1000).toFixed(2)}, WASM ${((elements / wasmParseMs) / 1000).toFixed(2)} M elements/s`);
}

// Ours vs dcmjs read–modify–write on CT_small.dcm.
let vsDcmjs = 0;
{
  const ct = readFileSync(join(samples, 'CT_small.dcm'));
  const ours = timeIt(() => anonymizer.anonymize(ct), 1000);
  const dcmjs = (await import('dcmjs' as string)).default as {
    data: { DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, unknown>; meta: Record<string, unknown>; write(): ArrayBuffer } }; DicomMetaDictionary: { naturalizeDataset(d: unknown): Record<string, unknown>; denaturalizeDataset(d: unknown): Record<string, unknown> } };
    log: { setLevel(l: string): void };
  };
  dcmjs.log.setLevel('error');
  const ab = ct.buffer.slice(ct.byteOffset, ct.byteOffset + ct.byteLength) as ArrayBuffer;
  const theirs = timeIt(() => {
    const file = dcmjs.data.DicomMessage.readFile(ab);
    const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict);
    nat['PatientName'] = 'ANONYMIZED';
    nat['PatientID'] = 'ANON';
    for (const k of Object.keys(file.dict)) if (parseInt(k.slice(0, 4), 16) & 1) delete file.dict[k];
    file.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(nat);
    file.write();
  }, 1500);
  vsDcmjs = theirs / ours;
  console.log(`${runtime} CT_small.dcm per file: ours ${(ours * 1000).toFixed(0)} µs (full PS3.15 profile), dcmjs read+naturalize+edit+write ${(theirs * 1000).toFixed(0)} µs → ${vsDcmjs.toFixed(1)}×`);
}

// (c) Pixel-heavy file (64 MiB of pixel data, generated) against a plain file copy.
let pixelVsCopy = 0;
{
  const mr = readFileSync(join(samples, 'MR_small.dcm'));
  const parsed = parseDicom(mr);
  const pixels = new Uint8Array(64 * 1024 * 1024);
  for (let i = 0; i < pixels.length; i += 4096) pixels[i] = i & 255;
  const big = rewriteDicom(parsed, {
    planDataset: (els) => ({ actions: els.map((e): ElementAction => (e.tag === 0x7fe00010 ? { kind: 'replace', value: pixels } : { kind: 'keep' })) }),
  }, { meta: 'keep', zeroPreamble: false }).bytes;
  const src = join(work, 'big.dcm');
  writeFileSync(src, big);
  // Interleaved rounds, medians: file-system noise (page-cache writeback) hits both alike.
  const [copy, anon] = await timeInterleaved([
    async () => {
      await writeFile(join(work, 'copy.dcm'), await readFile(src));
    },
    async () => {
      const outcome = await processDicomFile(anonymizer, src, join(work, 'anon.dcm'));
      if (outcome.file.status !== 'ok') throw new Error('bench file failed');
    },
  ], 15);
  pixelVsCopy = copy / anon;
  console.log(`${runtime} pixel-heavy ${(big.length / 1048576).toFixed(1)} MiB: fs read+write copy ${copy.toFixed(1)} ms, CLI path read+anonymize+write ${anon.toFixed(1)} ms → ${pixelVsCopy.toFixed(2)} of copy speed`);
}

if (args[1] === undefined) rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'dicom-inprocess', runtime, vsDcmjs: +vsDcmjs.toFixed(2), elementsPerS: Math.round(elementsPerS), wasmElementsPerS: Math.round(wasmElementsPerS), pixelVsCopy: +pixelVsCopy.toFixed(3) }));
