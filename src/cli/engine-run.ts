/**
 * Helpers shared by the in-process path and the workers: the one call that anonymizes an NDJSON
 * chunk or a JSON document, strict decoding of a JSON document, and engine counters in a
 * thread-safe form.
 * @module
 */
import { InputParseError } from '../errors.ts';
import type { StatsSnapshot, TaskContext } from './protocol.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import { withDateShiftKey } from '../config/fresh-keys.ts';
import type { FhirAnonymizer, FhirAnonymizerOptions } from '../fhir/anonymizer.ts';
import { anonymizeJsonDocument } from '../fhir/io/json-document.ts';
import { anonymizeNdjsonBytes } from '../fhir/io/ndjson-bytes.ts';
import type { ResourceValidator } from '../fhir/io/types.ts';
import { createSchemaValidator, type SchemaVersion } from '../fhir/io/schema-validator.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const encoder = new TextEncoder();

/** Schema checks of a run (absent: not checked). */
export interface Validators {
  readonly validateInput?: ResourceValidator;
  readonly validateOutput?: ResourceValidator;
}

/**
 * Builds the schema checks of a run.
 * @param input - Release to check inputs against (absent: not checked).
 * @param output - Release to check outputs against (absent: not checked).
 * @returns The validators.
 */
export async function createValidators(input: SchemaVersion | undefined, output: SchemaVersion | undefined): Promise<Validators> {
  return {
    ...(input !== undefined ? { validateInput: await createSchemaValidator(input) } : {}),
    ...(output !== undefined ? { validateOutput: await createSchemaValidator(output) } : {}),
  };
}

/** Output of one NDJSON chunk or JSON document, wherever it ran. */
export interface PieceResult {
  readonly bytes: Uint8Array;
  /** Lines of an NDJSON chunk (0 for a JSON document). */
  readonly lines: number;
  readonly resources: number;
}

/**
 * Anonymizes one NDJSON chunk or JSON document: the call every thread makes on the same piece,
 * so the output bytes do not depend on where it ran. Errors carry chunk-relative line numbers.
 * @param engines - The thread's engines.
 * @param validators - Schema checks of the run.
 * @param ctx - The input's names and date-shift key.
 * @param piece - The bytes; for a chunk, whether it starts the input.
 * @returns Output bytes and counts.
 */
export function anonymizePiece(
  engines: EngineCache<FhirAnonymizer>,
  validators: Validators,
  ctx: TaskContext,
  piece: { readonly kind: 'ndjson'; readonly bytes: Uint8Array; readonly first: boolean } | { readonly kind: 'json'; readonly bytes: Uint8Array },
): PieceResult {
  const anonymizer = engines.get(ctx.dateShiftKey);
  const common = {
    file: ctx.file,
    displayName: ctx.displayName,
    ...(ctx.folder !== undefined ? { folder: ctx.folder } : {}),
    ...(validators.validateInput !== undefined ? { validateInput: validators.validateInput } : {}),
    ...(validators.validateOutput !== undefined ? { validateOutput: validators.validateOutput } : {}),
  };
  if (piece.kind === 'ndjson') {
    const r = anonymizeNdjsonBytes(anonymizer, piece.bytes, { ...common, firstLine: 1, atStart: piece.first });
    return { bytes: r.output, lines: r.lines, resources: r.resources };
  }
  const before = anonymizer.stats.resources;
  const out = anonymizeJsonDocument(anonymizer, decodeDocument(piece.bytes, ctx.displayName), common);
  return { bytes: encoder.encode(out), lines: 0, resources: Math.max(1, anonymizer.stats.resources - before) };
}

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

/** The engine calls the CLI makes, with counters. */
export interface CliEngine extends StatsSource {
  anonymizeJson(text: string, context?: { file?: string; folder?: string; pretty?: boolean }): string;
}

/**
 * Engines by date-shift key. A run whose `dateShiftKey` was not supplied gives each input file
 * its own random key, as the reference tool does by loading its configuration per file
 * (otherwise every id-less resource of the run would share one offset). The key is drawn once
 * per file on the main thread and sent with every chunk, so all workers shift a file alike.
 * Keeps the few most recent engines; counters of retired ones are kept.
 */
export class EngineCache<E extends CliEngine> {
  private readonly base: E;
  private readonly make: (dateShiftKey: string) => E;
  private readonly byKey = new Map<string, E>();
  private readonly retired: StatsSnapshot = emptyStats();

  /**
   * @param base - The engine of the loaded configuration.
   * @param make - Builds an engine for another date-shift key.
   */
  constructor(base: E, make: (dateShiftKey: string) => E) {
    this.base = base;
    this.make = make;
  }

  /**
   * The engine for a key (the base engine when none is given).
   * @param dateShiftKey - Per-file key, if any.
   * @returns The engine.
   */
  get(dateShiftKey: string | undefined): E {
    if (dateShiftKey === undefined) return this.base;
    let engine = this.byKey.get(dateShiftKey);
    if (engine === undefined) {
      if (this.byKey.size >= 4) {
        const [oldKey, oldEngine] = this.byKey.entries().next().value as [string, E];
        mergeStats(this.retired, snapshotStats(oldEngine));
        this.byKey.delete(oldKey);
      }
      engine = this.make(dateShiftKey);
      this.byKey.set(dateShiftKey, engine);
    }
    return engine;
  }

  /** Counters of every engine this cache has held. */
  stats(): StatsSnapshot {
    const total = emptyStats();
    mergeStats(total, this.retired);
    mergeStats(total, snapshotStats(this.base));
    for (const e of this.byKey.values()) mergeStats(total, snapshotStats(e));
    return total;
  }
}

/**
 * The FHIR engines of a run: the loaded configuration's, and one per per-file date-shift key.
 * @param create - `createFhirAnonymizer` (passed in so the main thread loads it only when needed).
 * @param config - The loaded configuration.
 * @param options - Engine options.
 * @returns The cache.
 */
export function fhirEngineCache(
  create: (config: FhirConfig, options: FhirAnonymizerOptions) => FhirAnonymizer,
  config: FhirConfig,
  options: FhirAnonymizerOptions,
): EngineCache<FhirAnonymizer> {
  return new EngineCache(create(config, options), (dateShiftKey) => create(withDateShiftKey(config, dateShiftKey), options));
}
