/**
 * The part of the FHIR engine that the I/O layer needs, so that I/O can be used (and tested)
 * with any object of this shape. `FhirAnonymizer` from `health-anonymizer/fhir` satisfies it.
 * @module
 */
import type { AsciiSource, Utf8Sink } from '../utf8-sink.ts';

/** Where a resource comes from, for the date-shift `file` and `folder` scopes. */
export interface IoRunContext {
  /** File name (the reference tool uses the name without directory). */
  readonly file?: string;
  /** Root input folder name. */
  readonly folder?: string;
}

/** Something that anonymizes one JSON document (a resource or a Bundle) given as text. */
export interface JsonAnonymizer {
  /**
   * @param text - One JSON resource or Bundle.
   * @param context - Scope names and output formatting.
   * @returns The anonymized JSON text.
   */
  anonymizeJson(text: string, context?: IoRunContext & { pretty?: boolean }): string;
  /**
   * Optional byte path: appends the compact output of {@link JsonAnonymizer.anonymizeJson} as UTF-8 to `sink`.
   * @param text - One JSON resource.
   * @param context - Scope names.
   * @param sink - Where the output goes (nothing is written when it throws).
   * @param ascii - The bytes the text was decoded from (copied as they are only when the text is ASCII).
   */
  anonymizeJsonTo?(text: string, context: IoRunContext, sink: Utf8Sink, ascii?: AsciiSource): void;
}

/** A schema check applied to a parsed resource: returns problems, never throws for invalid data. */
export interface ResourceValidator {
  /**
   * @param resource - A parsed FHIR resource (JSON object).
   * @returns Problems found, each with a JSON pointer; empty when valid.
   */
  validate(resource: unknown): readonly SchemaProblem[];
}

/** One schema violation. The message never quotes a value from the resource. */
export interface SchemaProblem {
  /** JSON pointer of the offending node. */
  readonly pointer: string;
  /** What is wrong, in words that never include the value. */
  readonly message: string;
}
