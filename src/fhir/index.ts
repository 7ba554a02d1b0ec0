/**
 * `health-anonymizer/fhir`: the FHIR anonymizer SDK — the engine, NDJSON and JSON I/O over
 * Web Streams, FHIR JSON schema validation, and the run report. Works in Node, Deno and Bun
 * without file-system access or permissions.
 *
 * @example Anonymizing an NDJSON stream with the built-in HIPAA Safe Harbor profile
 * ```ts
 * import { createFhirAnonymizer, anonymizeNdjsonStream } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 *
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'), { referenceDate: new Date('2025-01-01') });
 * const input = new Blob(['{"resourceType":"Patient","id":"p1","birthDate":"1950-03-04"}\n']).stream();
 * const output = await new Response(anonymizeNdjsonStream(anonymizer, input)).text();
 * ```
 * @module
 */
export { createFhirAnonymizer, decryptValue } from './anonymizer.ts';
export type { FhirAnonymizer, FhirAnonymizerOptions, FhirRunContext, FhirStats } from './anonymizer.ts';
export type { DateShiftScope, FhirConfig, FhirMethod, FhirParameters, FhirRule, FhirVersion, ProcessingErrors } from '../config/fhir-types.ts';
export { anonymizeNdjsonLine, anonymizeNdjsonLineTo, anonymizeNdjsonStream, anonymizeNdjsonText } from './io/ndjson.ts';
export { Utf8Sink } from './utf8-sink.ts';
export type { AsciiSource } from './utf8-sink.ts';
export type { NdjsonChunkResult, NdjsonOptions } from './io/ndjson.ts';
export { anonymizeNdjsonBytes } from './io/ndjson-bytes.ts';
export type { NdjsonBytesResult } from './io/ndjson-bytes.ts';
export { anonymizeJsonDocument } from './io/json-document.ts';
export type { JsonDocumentOptions } from './io/json-document.ts';
export { DEFAULT_MAX_LINE_CHARS, LineSplitter, splitNdjsonLines } from './io/lines.ts';
export type { LineSplitOptions, NdjsonLine } from './io/lines.ts';
export { createSchemaValidator } from './io/schema-validator.ts';
export type { SchemaVersion } from './io/schema-validator.ts';
export type { IoRunContext, JsonAnonymizer, ResourceValidator, SchemaProblem } from './io/types.ts';
export { RunReportBuilder, singleDateShiftOffsetWarning, WARN_SINGLE_DATE_SHIFT_OFFSET } from '../audit/report.ts';
export type { FileStatus, ReportError, ReportFile, ReportRule, ReportTotals, ReportWarning, RunReport, RunReportStart } from '../audit/report.ts';
