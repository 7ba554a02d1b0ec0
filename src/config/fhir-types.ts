/**
 * The normalized FHIR configuration: what the loader produces from a reference-tool
 * configuration file after validation, and what the FHIR engine consumes.
 * Method names are canonical (`dateShift`, not `dateshift`); optional keys are filled
 * with their documented defaults by the loader.
 * @module
 */

/** FHIR release a configuration targets. */
export type FhirVersion = 'R4' | 'Stu3';

/** The built-in FHIR anonymization methods (the reference tool's names). */
export type FhirMethod =
  | 'keep'
  | 'redact'
  | 'dateShift'
  | 'cryptoHash'
  | 'encrypt'
  | 'substitute'
  | 'perturb'
  | 'generalize';

/** What happens when a method fails on a value: stop the run, or emit an empty resource with a REDACTED label. */
export type ProcessingErrors = 'raise' | 'skip';

/** Scope of the date-shift offset. `patient` is this project's extension. */
export type DateShiftScope = 'resource' | 'file' | 'folder' | 'patient';

/** One rule of `fhirPathRules`, in configuration order. */
export interface FhirRule {
  /** FHIRPath expression, optionally prefixed with a resource type (`Patient.name`). */
  readonly path: string;
  /** Canonical method name. */
  readonly method: FhirMethod;
  /** substitute: the replacement (primitive, object or null). `undefined` only for other methods. */
  readonly replaceWith?: unknown;
  /** perturb: noise span (≥ 0). */
  readonly span?: number;
  /** perturb: `fixed` (default) or `proportional`. */
  readonly rangeType?: 'fixed' | 'proportional';
  /** perturb: decimal places to round to, 0–28 (default 2). */
  readonly roundTo?: number;
  /** generalize: FHIRPath predicate → FHIRPath value expression, in document order. */
  readonly cases?: ReadonlyArray<readonly [predicate: string, value: string]>;
  /** generalize: what to do when no case matches (default `redact`). */
  readonly otherValues?: 'redact' | 'keep';
  /** Position of the rule in `fhirPathRules` (for reports and error locations). */
  readonly index: number;
}

/** `parameters` of a configuration, with defaults applied. */
export interface FhirParameters {
  /** Key of the date-shift offset. A random value per load when absent (as the reference does). */
  readonly dateShiftKey: string;
  /** Scope of the date-shift prefix (default `resource`). */
  readonly dateShiftScope: DateShiftScope;
  /** Fixed offset in days; when set, key and scope are ignored. */
  readonly dateShiftFixedOffsetInDays?: number;
  /** HMAC key of cryptoHash (UTF-8). A random value per process when absent. */
  readonly cryptoHashKey: string;
  /** AES key of encrypt (UTF-8, 16/24/32 bytes). A random value per process when absent. */
  readonly encryptKey: string;
  readonly enablePartialAgesForRedact: boolean;
  readonly enablePartialDatesForRedact: boolean;
  readonly enablePartialZipCodesForRedact: boolean;
  /** 3-digit ZIP prefixes that are always zeroed. */
  readonly restrictedZipCodeTabulationAreas: readonly string[];
}

/** Where a key in effect came from (see `fhir-keys.ts` for the precedence). Never the key itself. */
export type FhirKeySource = 'option' | 'keyFile' | 'env' | 'config' | 'random';

/** A validated, normalized FHIR configuration. */
export interface FhirConfig {
  /** Target release; `undefined` when the file leaves it empty (the reference only warns). */
  readonly fhirVersion?: FhirVersion;
  readonly processingErrors: ProcessingErrors;
  readonly fhirPathRules: readonly FhirRule[];
  readonly parameters: FhirParameters;
  /**
   * Where each key came from, for run reports (a `random` cryptoHash key means hashes
   * are not reproducible across runs). Set by the loader; absent in hand-built configs.
   */
  readonly keySources?: {
    readonly cryptoHashKey: FhirKeySource;
    readonly encryptKey: FhirKeySource;
    readonly dateShiftKey: FhirKeySource;
  };
}
