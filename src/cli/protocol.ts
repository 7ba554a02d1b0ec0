/**
 * Messages between the CLI's main thread and its workers, and the (de)serialization of
 * errors across the thread boundary (code, value-free message, location).
 * @module
 */
import {
  AnonymizerError, CiphertextError, ConfigError, ConfigParseError, DicomParseError, DicomUnsupportedTransferSyntaxError,
  InputParseError, InvalidArgumentError, InvalidInputError, IoError, KeySizeError, ProcessingError, RuleCompileError,
  UnsupportedError, UsageError, WasmCoreError,
} from '../errors.ts';
import type { ConfigDiagnostic, ErrorCode, ErrorLocation } from '../errors.ts';
import type { FhirConfig } from '../config/fhir-types.ts';
import { bareMessage, relocate } from '../fhir/io/locate.ts';

/** Options every worker gets at start (the configuration follows in a `configure` task). */
export interface WorkerInit {
  /**
   * Claim flags of this worker's chunk tasks (an `Int32Array` over a `SharedArrayBuffer`, one
   * entry per ticket, {@link CLAIM_RING} of them). Set by the pool; see {@link CLAIM_OPEN}.
   */
  readonly claims?: SharedArrayBuffer;
  readonly referenceDate?: Date;
  /** Release of the data for schema validation (default: the configuration's, else R4). */
  readonly fhirVersion?: 'R4' | 'Stu3';
  readonly validateInput: boolean;
  readonly validateOutput: boolean;
}

/**
 * A chunk task's claim entry: {@link CLAIM_OPEN} when sent; the worker sets {@link CLAIM_WORKER}
 * (compare-and-exchange) when it starts the chunk, or the main thread sets {@link CLAIM_MAIN} when
 * it runs the chunk itself instead of waiting; whoever flips the entry first runs the chunk, the
 * other leaves it. So a chunk queued on a busy or still-starting worker never holds up the output.
 */
export const CLAIM_OPEN = 0;
/** Claimed by the worker. */
export const CLAIM_WORKER = 1;
/** Claimed by the main thread (the worker answers `skipped`). */
export const CLAIM_MAIN = 2;
/** Entries in a worker's claim ring; more than the tasks a worker may hold at once. */
export const CLAIM_RING = 64;

/** Scope and naming of one input, sent with each task. */
export interface TaskContext {
  readonly file: string;
  readonly folder?: string;
  readonly displayName: string;
  /** This input's own random date-shift key, when the run has no supplied key. */
  readonly dateShiftKey?: string;
}

/**
 * A chunk of whole NDJSON lines, or a whole JSON document. Bytes travel as whole, transferred
 * `ArrayBuffer`s: Deno clones typed arrays element by element (~100 ms per MiB) but moves an
 * `ArrayBuffer` in well under a millisecond.
 */
export type WorkerTask =
  | { readonly kind: 'ndjson'; readonly id: number; readonly bytes: ArrayBuffer; readonly first: boolean; readonly context: TaskContext; readonly ticket?: number }
  | { readonly kind: 'json'; readonly id: number; readonly bytes: ArrayBuffer; readonly context: TaskContext }
  | { readonly kind: 'stats'; readonly id: number }
  /** Build the engine from the normalized configuration the main thread loaded (same keys everywhere). */
  | { readonly kind: 'configure'; readonly id: number; readonly config: FhirConfig };

/** Engine counters in a form that crosses threads. */
export interface StatsSnapshot {
  resources: number;
  byRule: number[];
  byMethod: Record<string, number>;
  dateShiftOffsets: Array<[number, number]>;
}

/** A serialized error. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly location: ErrorLocation;
  readonly diagnostics?: readonly ConfigDiagnostic[];
}

/** A worker's answer. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly bytes: ArrayBuffer; readonly lines: number; readonly resources: number }
  | { readonly id: number; readonly ok: true; readonly stats: StatsSnapshot }
  /** The main thread claimed this chunk first; the worker did nothing. */
  | { readonly id: number; readonly ok: true; readonly skipped: true }
  | { readonly id: number; readonly ok: true; readonly configured: true }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/**
 * The bytes of a view as a whole `ArrayBuffer` that can be transferred (copied only when the
 * view does not cover its whole buffer).
 * @param view - Bytes.
 * @returns A buffer holding exactly those bytes.
 */
export function wholeBuffer(view: Uint8Array): ArrayBuffer {
  // A fresh copy with the typed-array constructor: a Node Buffer's `slice` is a view, not a copy.
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Uint8Array(view);
  return whole.buffer as ArrayBuffer;
}

/**
 * Serializes any thrown value without letting a foreign message through.
 * @param err - What was thrown.
 * @returns Code, bare message and location.
 */
export function toWire(err: unknown): WireError {
  const e = err instanceof AnonymizerError ? err : relocate(err, {});
  const wire: WireError = { code: e.code, message: bareMessage(e), location: { ...e.location } };
  return e instanceof ConfigError ? { ...wire, diagnostics: e.diagnostics } : wire;
}

const classes: Record<ErrorCode, new (message: string, options: { location: ErrorLocation }) => AnonymizerError> = {
  ERR_INVALID_ARGUMENT: InvalidArgumentError,
  ERR_KEY_SIZE: KeySizeError,
  ERR_CIPHERTEXT_INVALID: CiphertextError,
  ERR_WASM_CORE: WasmCoreError,
  ERR_CONFIG_INVALID: ProcessingError,
  ERR_CONFIG_PARSE: ConfigParseError,
  ERR_RULE_COMPILE: RuleCompileError,
  ERR_INPUT_INVALID: InvalidInputError,
  ERR_INPUT_PARSE: InputParseError,
  ERR_PROCESSING: ProcessingError,
  ERR_UNSUPPORTED: UnsupportedError,
  ERR_DICOM_PARSE: DicomParseError,
  ERR_DICOM_UNSUPPORTED_TS: DicomUnsupportedTransferSyntaxError,
  ERR_IO: IoError,
  ERR_USAGE: UsageError,
};

/**
 * Rebuilds an error of the right class, optionally shifting its line number.
 * @param wire - The serialized error.
 * @param lineOffset - Added to `location.line` (lines before the chunk).
 * @returns The error.
 */
export function fromWire(wire: WireError, lineOffset = 0): AnonymizerError {
  const location: ErrorLocation = wire.location.line !== undefined ? { ...wire.location, line: wire.location.line + lineOffset } : wire.location;
  if (wire.code === 'ERR_CONFIG_INVALID') return new ConfigError(wire.message, wire.diagnostics ?? [], { location });
  const Ctor = classes[wire.code] ?? ProcessingError;
  return new Ctor(wire.message, { location });
}
