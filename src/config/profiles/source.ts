/**
 * The shape of a configuration in the reference tool's file format, as the built-in
 * profiles are written (before validation and normalization).
 * @module
 */

/** One rule as written in a configuration file. */
export interface FhirRuleSource {
  /** FHIRPath expression, optionally prefixed with a resource type. */
  readonly path: string;
  /** Method name (any case). */
  readonly method: string;
  /** substitute: replacement. */
  readonly replaceWith?: unknown;
  /** perturb: noise span. */
  readonly span?: number | string;
  /** perturb: `fixed` or `proportional`. */
  readonly rangeType?: string;
  /** perturb: decimal places. */
  readonly roundTo?: number | string;
  /** generalize: predicate → value expression. */
  readonly cases?: Readonly<Record<string, string>>;
  /** generalize: `redact` or `keep`. */
  readonly otherValues?: string;
}

/** A configuration as written in a file (the reference tool's format). */
export interface FhirConfigSource {
  /** `R4`, `Stu3`/`STU3`, or empty. */
  readonly fhirVersion?: string;
  /** `raise` or `skip`. */
  readonly processingErrors?: string;
  /** Ordered rules. */
  readonly fhirPathRules: readonly FhirRuleSource[];
  /** Keys and switches. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}
