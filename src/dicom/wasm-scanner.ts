/**
 * The WASM twin of the data set walk in `parse.ts` (assembly/dicom/scan.ts): it scans the bytes in
 * WebAssembly and returns the same element tree. A malformed input returns `undefined`, and the
 * caller re-runs the JS walk, which throws the located {@link DicomParseError}.
 * @module
 */
import { WasmCoreError } from '../errors.ts';
import { implicitVr, sequenceTags } from './dictionary.ts';
import type { DicomElement, DicomItem } from './parse.ts';
import { IMPLICIT_LE, type DatasetEncoding } from './transfer-syntax.ts';
import { WASM_SHA256, wasmInstance } from './wasm/dicom-scan.generated.ts';

/** The exports of the DICOM WASM module (numbers-only ABI; see assembly/dicom/scan.ts and rewrite.ts). */
export interface ScanExports {
  /** Linear memory (only grows: re-derive views after every call that may grow it). */
  readonly memory: WebAssembly.Memory;
  /** Scans a data set into the record table. */
  scan(sqPtr: number, sqN: number, inPtr: number, start: number, inLen: number, flags: number, outPtr: number, cap: number): number;
  /** Rewrites the data set described by the record table. */
  rewrite(inPtr: number, recPtr: number, topCount: number, actPtr: number, insPtr: number, insN: number, flags: number, dstPtr: number, dstCap: number): number;
  /** First free byte after static data. */
  heapBase(): number;
}

/** SHA-256 of the embedded scanner module (for run reports). */
export const DICOM_SCANNER_WASM_SHA256: string = WASM_SHA256;

let exportsCache: ScanExports | undefined;
let sqPtr = 0;
let sqCount = 0;
const vrNames = new Map<number, string>();

function instance(): ScanExports {
  if (exportsCache !== undefined) return exportsCache;
  let inst: WebAssembly.Instance;
  try {
    inst = wasmInstance(); // no imports: the module is built with --noAssert and the stub runtime
  } catch {
    throw new WasmCoreError('DICOM scanner module failed to load');
  }
  const ex = inst.exports as unknown as ScanExports;
  const tags = sequenceTags();
  sqPtr = (ex.heapBase() + 15) & ~15;
  sqCount = tags.length;
  ensure(ex, sqPtr + tags.byteLength);
  new Uint32Array(ex.memory.buffer, sqPtr, tags.length).set(tags);
  exportsCache = ex;
  return ex;
}

/**
 * The loaded module and where its SQ-tag table ends (callers' regions start after it).
 * @returns Exports and the first free offset.
 * @throws {@link WasmCoreError} when the module cannot load.
 */
export function dicomWasm(): { readonly ex: ScanExports; readonly free: number } {
  const ex = instance();
  return { ex, free: (sqPtr + sqCount * 4 + 15) & ~15 };
}

/**
 * Grows the module's memory to at least `bytes`.
 * @param ex - Exports.
 * @param bytes - Needed size.
 */
export function ensureWasmMemory(ex: ScanExports, bytes: number): void {
  ensure(ex, bytes);
}

/**
 * Runs the scanner on bytes already in WASM memory.
 * @returns The record count, or a negative status.
 */
export function scanInPlace(ex: ScanExports, inPtr: number, start: number, inLen: number, enc: DatasetEncoding, outPtr: number, cap: number): number {
  ensure(ex, outPtr + cap * 32);
  return ex.scan(sqPtr, sqCount, inPtr, start, inLen, (enc.explicitVr ? 1 : 0) | (enc.littleEndian ? 2 : 0), outPtr, cap);
}

function ensure(ex: ScanExports, bytes: number): void {
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
}

function vrName(code: number, tag: number): string {
  if (code === 0) return implicitVr(tag);
  let name = vrNames.get(code);
  if (name === undefined) {
    name = String.fromCharCode(code >>> 8, code & 0xff);
    vrNames.set(code, name);
  }
  return name;
}

/**
 * Scans a data set with the WASM scanner.
 * @param bytes - The buffer holding the data set.
 * @param start - Offset of the data set.
 * @param enc - Its encoding.
 * @returns The elements (offsets into `bytes`), or `undefined` when the data set is malformed.
 * @throws {@link WasmCoreError} when the module cannot load or aborts.
 */
export function scanDatasetWasm(bytes: Uint8Array, start: number, enc: DatasetEncoding): DicomElement[] | undefined {
  const ex = instance();
  const inPtr = (sqPtr + sqCount * 4 + 15) & ~15;
  const outPtr = (inPtr + bytes.length + 15) & ~15;
  const maxCap = Math.ceil(bytes.length / 8) + 16;
  // Very large inputs stay on the JS path (WASM memory only grows).
  if (outPtr + maxCap * 32 > 1 << 30) return undefined;
  let cap = Math.min(maxCap, 4096);
  let count: number;
  ensure(ex, outPtr);
  new Uint8Array(ex.memory.buffer, inPtr, bytes.length).set(bytes);
  const flags = (enc.explicitVr ? 1 : 0) | (enc.littleEndian ? 2 : 0);
  for (;;) {
    ensure(ex, outPtr + cap * 32);
    count = ex.scan(sqPtr, sqCount, inPtr, start, bytes.length, flags, outPtr, cap);
    if (count !== -2 || cap >= maxCap) break;
    cap = Math.min(maxCap, cap * 4);
  }
  if (count < 0) return undefined;
  // Copied out of WASM memory (made after the last call that may grow it) into a plain array.
  const rec = new Uint32Array(ex.memory.buffer, outPtr, count * 8).slice();
  const state = { i: 0 };
  const out: DicomElement[] = [];
  while (state.i < count) out.push(readElement(rec, state));
  return out;
}

function readElement(rec: Uint32Array, state: { i: number }): DicomElement {
  const at = state.i++ * 8;
  const tag = rec[at + 1]!;
  const extra = rec[at + 7]!;
  const flag = extra & 0xff;
  const n = extra >>> 8;
  const vr = vrName(rec[at + 2]!, tag);
  let items: DicomItem[] | undefined;
  if (flag & 3) {
    items = [];
    for (let k = 0; k < n; k++) items.push(readItem(rec, state, (flag & 1) !== 0));
  }
  return {
    tag, vr, start: rec[at + 3]!, valueStart: rec[at + 4]!, length: rec[at + 5]!, end: rec[at + 6]!,
    items, itemEncoding: flag & 4 ? IMPLICIT_LE : undefined, encapsulated: (flag & 2) !== 0,
  };
}

function readItem(rec: Uint32Array, state: { i: number }, withElements: boolean): DicomItem {
  const at = state.i++ * 8;
  const elements: DicomElement[] = [];
  if (withElements) for (let k = rec[at + 7]!; k > 0; k--) elements.push(readElement(rec, state));
  return { start: rec[at + 3]!, valueStart: rec[at + 4]!, length: rec[at + 5]!, end: rec[at + 6]!, elements };
}
