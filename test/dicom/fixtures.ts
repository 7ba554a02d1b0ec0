/** Paths and loaders for the DICOM test fixtures (test/fixtures/dicom), from source or build/. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The public entry registers the deflate codec (deflated samples); tests that import deep modules get it here.
import '../../src/dicom/index.ts';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'fixtures'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** Repository root. */
export const ROOT: string = findRoot();
/** Folder of the pydicom samples. */
export const SAMPLES: string = join(ROOT, 'test', 'fixtures', 'dicom', 'samples');
/** Folder of the reference tool's fixtures. */
export const MS: string = join(ROOT, 'test', 'fixtures', 'dicom', 'ms');

/** Samples that are malformed on purpose. */
export const MALFORMED: ReadonlySet<string> = new Set(['MR_truncated.dcm', 'no_meta.dcm']);

/** Names of all samples. */
export function sampleNames(): string[] {
  return readdirSync(SAMPLES).filter((n) => n.endsWith('.dcm')).sort();
}

/** Names of the well-formed samples. */
export function wellFormedSamples(): string[] {
  return sampleNames().filter((n) => !MALFORMED.has(n));
}

/** Reads one sample. */
export function readSample(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(SAMPLES, name)));
}
