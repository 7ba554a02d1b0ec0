/**
 * Diagnostics of a FHIR configuration: one entry per problem, each with a stable
 * `code` (the error code the problem maps to), a stable `reason`, a JSON pointer and,
 * when the configuration came as text, a line and column. Messages say where and
 * what kind of problem, never a key or other value.
 * @module
 */
import type { ConfigDiagnostic } from '../errors.ts';

/**
 * Stable identifiers of the kinds of problem, finer than the error codes:
 * - `syntax`: not JSON (code `ERR_CONFIG_PARSE`);
 * - `duplicate-key`: a property name given twice (also case-insensitively where names are case-insensitive);
 * - `unknown-key` (warning): a property the loader ignores; an error in a key file;
 * - `ignored-key` (warning): a known rule key that the rule's method does not use;
 * - `missing`: a required property is absent;
 * - `type`: a value of the wrong JSON type;
 * - `invalid-value`: a value out of range or not one of the allowed words;
 * - `unknown-method`: not one of the eight methods (custom processors are not supported);
 * - `fhirpath`: an expression that does not compile, or calls an unknown function (code `ERR_RULE_COMPILE`);
 * - `offline`: an expression that needs a network service;
 * - `key-size`: an encrypt key whose UTF-8 length is not 16, 24 or 32 bytes (code `ERR_KEY_SIZE`);
 * - `unsupported-version`: `fhirVersion` is neither R4 nor STU3;
 * - `version-mismatch`: `fhirVersion` differs from the release the caller processes (code `ERR_UNSUPPORTED`);
 * - `no-version` (warning): `fhirVersion` is empty;
 * - `unknown-element` (warning): a simple path names an element or type the FHIR model does not define, so it matches nothing;
 * - `no-effect` (warning): a setting that leaves values unchanged while labelling them changed (perturb `span` 0, `dateShiftFixedOffsetInDays` 0).
 */
export type DiagnosticReason =
  | 'syntax'
  | 'duplicate-key'
  | 'unknown-key'
  | 'ignored-key'
  | 'missing'
  | 'type'
  | 'invalid-value'
  | 'unknown-method'
  | 'fhirpath'
  | 'offline'
  | 'key-size'
  | 'unsupported-version'
  | 'version-mismatch'
  | 'no-version'
  | 'unknown-element'
  | 'no-effect';

/** One problem found in a FHIR configuration (or in its key file). */
export interface FhirConfigDiagnostic extends ConfigDiagnostic {
  /** Errors stop the load; warnings do not (unless a strict caller says so). */
  readonly severity: 'error' | 'warning';
  /** Stable kind of problem. */
  readonly reason: DiagnosticReason;
  /** 1-based line in the configuration text, when known. */
  readonly line?: number;
  /** 1-based column in the configuration text, when known. */
  readonly column?: number;
  /** Set when the problem is in another file than the configuration (the key file). */
  readonly file?: string;
}
