/**
 * The WASM twin of the data set rewriter (assembly/dicom/rewrite.ts): the policy plans in JS, in
 * the same order as the JS rewriter; the module writes the bytes. Returns `undefined` when the JS
 * rewriter must take over (it then reports any error with its location).
 * @module
 */
import type { DicomElement, ParsedDicom } from './parse.ts';
import { encodeNewElement, type DatasetPolicy, type ElementAction } from './rewrite.ts';
import type { DatasetEncoding } from './transfer-syntax.ts';
import { dicomWasm, ensureWasmMemory, scanInPlace } from './wasm-scanner.ts';

/** Largest WASM memory the twin uses; bigger inputs go through the JS path. */
const WASM_LIMIT = 1 << 30;

const KIND: Readonly<Record<ElementAction['kind'], number>> = { keep: 0, recurse: 1, remove: 2, empty: 3, replace: 4 };

/**
 * Rewrites the data set of a parsed file with the WASM module.
 * @param parsed - The parsed file.
 * @param policy - The policy (planned here, in the JS rewriter's order).
 * @returns The new data set bytes and whether anything changed, or `undefined` to fall back to JS.
 * @throws {@link WasmCoreError} when the module cannot load.
 */
export function rewriteDatasetWasm(parsed: ParsedDicom, policy: DatasetPolicy): { body: Uint8Array; changed: boolean } | undefined {
  const bytes = parsed.bytes;
  // Record indices in scan order: element, then for each item its record and its elements.
  const index = new Map<object, number>();
  let n = 0;
  const number = (els: readonly DicomElement[]): void => {
    for (const el of els) {
      index.set(el, n++);
      if (el.items !== undefined) {
        for (const item of el.items) {
          index.set(item, n++);
          if (!el.encapsulated) number(item.elements);
        }
      }
    }
  };
  number(parsed.dataset);
  // Plan, in the JS rewriter's order.
  const actions: (ElementAction | undefined)[] = new Array(n);
  const inserts: { key: number; tag: number; blob: Uint8Array }[] = [];
  let valueBytes = 0;
  const plan = (elements: readonly DicomElement[], enc: DatasetEncoding, depth: number, path: number[], key: number): void => {
    const p = policy.planDataset(elements, { depth, path, encoding: enc, bytes });
    const ins = p.inserts ?? [];
    const insTags = new Set<number>();
    for (const e of ins) {
      const blob = encodeNewElement(e, enc);
      inserts.push({ key, tag: e.tag, blob });
      insTags.add(e.tag);
      valueBytes += blob.length;
    }
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i]!;
      if (insTags.has(el.tag)) continue;
      const action = p.actions[i] ?? { kind: 'keep' };
      actions[index.get(el)!] = action;
      if (action.kind === 'replace') valueBytes += action.value.length;
      if (action.kind === 'recurse' && el.items !== undefined && !el.encapsulated) {
        path.push(el.tag);
        for (const item of el.items) plan(item.elements, el.itemEncoding ?? enc, depth + 1, path, index.get(item)!);
        path.pop();
      }
    }
  };
  plan(parsed.dataset, parsed.encoding, 0, [], 0xffffffff);

  const { ex, free } = dicomWasm();
  const align = (x: number): number => (x + 15) & ~15;
  const inPtr = free;
  const recPtr = align(inPtr + bytes.length);
  const actPtr = align(recPtr + n * 32);
  const insPtr = align(actPtr + n * 16);
  const valPtr = align(insPtr + inserts.length * 16);
  const dstPtr = align(valPtr + valueBytes);
  const dstCap = bytes.length - parsed.bytesStart + valueBytes + 1024;
  // Very large inputs stay on the JS path (it passes pixel data by reference; WASM memory only grows).
  if (dstPtr + dstCap > WASM_LIMIT) return undefined;
  ensureWasmMemory(ex, dstPtr + dstCap);
  new Uint8Array(ex.memory.buffer, inPtr, bytes.length).set(bytes);
  const count = scanInPlace(ex, inPtr, parsed.bytesStart, bytes.length, parsed.encoding, recPtr, n);
  if (count !== n) return undefined;
  // Memory may have grown in scanInPlace: views from here on.
  const mem = new Uint8Array(ex.memory.buffer);
  const act = new Uint32Array(ex.memory.buffer, actPtr, n * 4);
  act.fill(0);
  let val = valPtr;
  for (let i = 0; i < n; i++) {
    const a = actions[i];
    if (a === undefined) continue;
    act[i * 4] = KIND[a.kind];
    if (a.kind === 'replace') {
      mem.set(a.value, val);
      act[i * 4 + 1] = val;
      act[i * 4 + 2] = a.value.length;
      act[i * 4 + 3] = a.vr !== undefined ? (a.vr.charCodeAt(0) << 8) | a.vr.charCodeAt(1) : 0;
      val += a.value.length;
    }
  }
  inserts.sort((x, y) => (x.key - y.key) || (x.tag - y.tag));
  const insTable = new Uint32Array(ex.memory.buffer, insPtr, inserts.length * 4);
  inserts.forEach((e, i) => {
    mem.set(e.blob, val);
    insTable[i * 4] = e.key >>> 0;
    insTable[i * 4 + 1] = e.tag >>> 0;
    insTable[i * 4 + 2] = val;
    insTable[i * 4 + 3] = e.blob.length;
    val += e.blob.length;
  });
  const flags = (parsed.encoding.explicitVr ? 1 : 0) | (parsed.encoding.littleEndian ? 2 : 0);
  const length = ex.rewrite(inPtr, recPtr, parsed.dataset.length, actPtr, insPtr, inserts.length, flags, dstPtr, dstCap);
  if (length === -1) return { body: new Uint8Array(0), changed: false };
  if (length < 0) return undefined;
  return { body: new Uint8Array(ex.memory.buffer, dstPtr, length).slice(), changed: true };
}

