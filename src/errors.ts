/**
 * Typed errors of health-anonymizer, exported from `health-anonymizer/errors`.
 *
 * Every error carries a stable string `code` that callers can switch on, and a
 * `location` that says *where* the problem is (file, line, JSON pointer, byte
 * offset, DICOM tag). No message or field ever holds a value taken from the
 * input being anonymized: errors say where, never what.
 *
 * @example Telling errors apart
 * ```ts
 * import { AnonymizerError } from 'health-anonymizer/errors';
 * try {
 *   run();
 * } catch (err) {
 *   if (err instanceof AnonymizerError && err.code === 'ERR_KEY_SIZE') console.error(err.message);
 *   else throw err;
 * }
 * ```
 * @module
 */

/** Every stable error code the package can raise. New codes may be added; existing ones never change meaning. */
export type ErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_KEY_SIZE'
  | 'ERR_CIPHERTEXT_INVALID'
  | 'ERR_WASM_CORE'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CONFIG_PARSE'
  | 'ERR_RULE_COMPILE'
  | 'ERR_INPUT_INVALID'
  | 'ERR_INPUT_PARSE'
  | 'ERR_PROCESSING'
  | 'ERR_UNSUPPORTED'
  | 'ERR_DICOM_PARSE'
  | 'ERR_DICOM_UNSUPPORTED_TS'
  | 'ERR_IO'
  | 'ERR_USAGE';

/**
 * Where a problem was found. Every field is optional; fill what is known.
 * Values are positions and names, never data.
 */
export interface ErrorLocation {
  /** Input or configuration file path. */
  readonly file?: string;
  /** 1-based line number (NDJSON line, configuration line). */
  readonly line?: number;
  /** RFC 6901 JSON pointer inside the resource or configuration. */
  readonly pointer?: string;
  /** Byte offset inside a binary input (DICOM). */
  readonly offset?: number;
  /** DICOM tag as `(gggg,eeee)`, outermost first for nested items. */
  readonly tag?: string;
}

/** Options shared by every error constructor. */
export interface AnonymizerErrorOptions {
  /** Where the problem was found. */
  readonly location?: ErrorLocation;
  /** The lower-level error, if any. It must not carry input values either. */
  readonly cause?: unknown;
}

function describeLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.pointer !== undefined) parts.push(`at ${location.pointer === '' ? '/' : location.pointer}`);
  if (location.tag !== undefined) parts.push(`tag ${location.tag}`);
  if (location.offset !== undefined) parts.push(`byte ${location.offset}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * The base class of every error this package throws on purpose.
 *
 * @example
 * ```ts
 * import { AnonymizerError } from 'health-anonymizer/errors';
 * const err = new AnonymizerError('something failed', { location: { file: 'a.ndjson', line: 3 } });
 * err.code; // 'ERR_PROCESSING'
 * err.message; // 'something failed (a.ndjson, line 3)'
 * ```
 */
export class AnonymizerError extends Error {
  /** The code of this class; instances expose it as `code`. */
  static readonly code: ErrorCode = 'ERR_PROCESSING';
  /** Stable, machine-readable error code. */
  readonly code: ErrorCode;
  /** Where the problem was found, if known. */
  readonly location: ErrorLocation | undefined;
  /** The message without its location suffix (what went wrong, never a value). */
  readonly detail: string;

  /**
   * @param message - What went wrong, in words that never include an input value.
   * @param options - Location and cause.
   */
  constructor(message: string, options: AnonymizerErrorOptions = {}) {
    super(message + describeLocation(options.location), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = (new.target as typeof AnonymizerError).code;
    this.location = options.location;
    this.detail = message;
  }
}

/** A function was called with an argument of the wrong type or range. */
export class InvalidArgumentError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_INVALID_ARGUMENT';
}

/** A key has a length the algorithm does not accept (AES: 16, 24 or 32 bytes). */
export class KeySizeError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_KEY_SIZE';
}

/** A ciphertext is malformed: bad Base64, too short, not a whole number of blocks, bad padding or tag. */
export class CiphertextError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_CIPHERTEXT_INVALID';
}

/** The WASM core failed to load or reported an internal fault. */
export class WasmCoreError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_WASM_CORE';
}

/** One problem found in a configuration. */
export interface ConfigDiagnostic {
  /** Stable code of this problem, for example `ERR_CONFIG_INVALID` or `ERR_RULE_COMPILE`. */
  readonly code: ErrorCode;
  /** JSON pointer to the offending node of the configuration. */
  readonly pointer: string;
  /** A sentence saying what is wrong; never contains a key. */
  readonly message: string;
}

/** A configuration could not be loaded. Holds every problem found, not only the first. */
export class ConfigError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_CONFIG_INVALID';
  /** All problems found, in document order. */
  readonly diagnostics: readonly ConfigDiagnostic[];

  /**
   * @param message - Summary line.
   * @param diagnostics - Every problem found.
   * @param options - Location (usually the configuration file) and cause.
   */
  constructor(message: string, diagnostics: readonly ConfigDiagnostic[], options: AnonymizerErrorOptions = {}) {
    super(message, options);
    this.diagnostics = diagnostics;
  }
}

/** A configuration file is not parseable JSON. */
export class ConfigParseError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_CONFIG_PARSE';
}

/** A rule's path or expression could not be compiled. */
export class RuleCompileError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_RULE_COMPILE';
}

/** An input is well-formed but not valid for its model (unknown element or resource type, schema violation). */
export class InvalidInputError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_INPUT_INVALID';
}

/** An input could not be parsed (bad JSON, truncated file). */
export class InputParseError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_INPUT_PARSE';
}

/** A method failed on a value while processing (the reference tool's skippable processing error). */
export class ProcessingError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_PROCESSING';
}

/** A requested feature or input variant is not supported. */
export class UnsupportedError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_UNSUPPORTED';
}

/** A DICOM file is malformed (truncated, bad VR, length past the end, not DICOM). */
export class DicomParseError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_DICOM_PARSE';
}

/** A DICOM file uses a transfer syntax the engine cannot rewrite. */
export class DicomUnsupportedTransferSyntaxError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_DICOM_UNSUPPORTED_TS';
}

/** Reading or writing a file failed. */
export class IoError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_IO';
}

/** The command line was used wrongly. */
export class UsageError extends AnonymizerError {
  static override readonly code: ErrorCode = 'ERR_USAGE';
}

/** Any error class exported here, for exhaustive `switch (err.code)` handling. */
export type AnyAnonymizerError =
  | InvalidArgumentError
  | KeySizeError
  | CiphertextError
  | WasmCoreError
  | ConfigError
  | ConfigParseError
  | RuleCompileError
  | InvalidInputError
  | InputParseError
  | ProcessingError
  | UnsupportedError
  | DicomParseError
  | DicomUnsupportedTransferSyntaxError
  | IoError
  | UsageError;
