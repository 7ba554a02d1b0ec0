/**
 * Helpers shared by the in-process path and the workers: strict decoding of a JSON document
 * and engine counters in a thread-safe form.
 * @module
 */
import { InputParseError } from '../errors.ts';
import type { StatsSnapshot } from './protocol.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes a whole JSON document (a byte order mark is dropped).
 * @param bytes - The file's bytes.
 * @param name - File name for the error location.
 * @returns The text.
 * @throws {@link InputParseError} when the bytes are not valid UTF-8.
 */
export function decodeDocument(bytes: Uint8Array, name: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputParseError('input is not valid UTF-8', { location: { file: name } });
  }
}

/** The counters of an engine, as the engine exposes them. */
export interface StatsSource {
  readonly stats: {
    readonly resources: number;
    readonly byRule: readonly number[];
    readonly byMethod: Readonly<Record<string, number>>;
    readonly dateShiftOffsets: ReadonlyMap<number, number>;
  };
}

/**
 * Copies an engine's counters.
 * @param source - The engine.
 * @returns A structured-cloneable snapshot.
 */
export function snapshotStats(source: StatsSource): StatsSnapshot {
  const s = source.stats;
  return { resources: s.resources, byRule: [...s.byRule], byMethod: { ...s.byMethod }, dateShiftOffsets: [...s.dateShiftOffsets] };
}

/**
 * Adds `b` into `a`.
 * @param a - Accumulator (changed).
 * @param b - Counters to add.
 */
export function mergeStats(a: StatsSnapshot, b: StatsSnapshot): void {
  a.resources += b.resources;
  b.byRule.forEach((n, i) => {
    a.byRule[i] = (a.byRule[i] ?? 0) + (n ?? 0);
  });
  for (const [k, v] of Object.entries(b.byMethod)) a.byMethod[k] = (a.byMethod[k] ?? 0) + v;
  const map = new Map(a.dateShiftOffsets);
  for (const [k, v] of b.dateShiftOffsets) map.set(k, (map.get(k) ?? 0) + v);
  a.dateShiftOffsets = [...map];
}

/** Empty counters. */
export function emptyStats(): StatsSnapshot {
  return { resources: 0, byRule: [], byMethod: {}, dateShiftOffsets: [] };
}
