/**
 * Structural validation with ajv against the configuration's JSON Schema, and the
 * mapping of ajv's errors to diagnostics (one per pointer, with a message per field).
 * @module
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Collector } from './diagnostic-collector.ts';
import type { DiagnosticReason } from './fhir-diagnostics.ts';
import { FHIR_CONFIG_SCHEMA, FHIR_METHODS } from './fhir-schema.ts';
import { valueAt } from './json-value.ts';
import type { Json } from './json-value.ts';
import { joinPointer, splitPointer } from './pointer.ts';

let compiledSchema: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (compiledSchema === undefined) {
    // The schema is a constant of this package, checked against the draft-07 meta-schema by
    // test/config/profiles.test.ts; checking it at every load compiled the meta-schema (~20 ms).
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, logger: false, validateSchema: false });
    compiledSchema = ajv.compile(FHIR_CONFIG_SCHEMA);
  }
  return compiledSchema;
}

const FIELD_MESSAGES: Readonly<Record<string, string>> = {
  '': 'Configuration must be a JSON object',
  fhirVersion: 'fhirVersion must be "R4" or "STU3" (any case), or empty',
  processingErrors: 'processingErrors must be "raise" or "skip"',
  fhirPathRules: 'fhirPathRules must be an array of rules',
  rule: 'Each rule must be an object with path and method',
  path: 'Rule path must be a non-empty string holding a FHIRPath expression',
  method: `Rule method must be one of ${FHIR_METHODS.join(', ')} (any case)`,
  span: 'perturb span must be a number ≥ 0 (or a string holding one)',
  roundTo: 'perturb roundTo must be an integer from 0 to 28 (or a string holding one)',
  rangeType: 'perturb rangeType must be "fixed" or "proportional"',
  cases: 'generalize cases must be an object mapping FHIRPath predicates to FHIRPath expressions',
  case: 'generalize case value must be a FHIRPath expression string',
  otherValues: 'generalize otherValues must be "redact" or "keep"',
  parameters: 'parameters must be an object',
  dateShiftKey: 'dateShiftKey must be a string',
  cryptoHashKey: 'cryptoHashKey must be a string',
  encryptKey: 'encryptKey must be a string',
  dateShiftScope: 'dateShiftScope must be one of resource, file, folder, patient',
  dateShiftFixedOffsetInDays: 'dateShiftFixedOffsetInDays must be a whole number of days',
  enablePartialAgesForRedact: 'enablePartialAgesForRedact must be true or false',
  enablePartialDatesForRedact: 'enablePartialDatesForRedact must be true or false',
  enablePartialZipCodesForRedact: 'enablePartialZipCodesForRedact must be true or false',
  restrictedZipCodeTabulationAreas: 'restrictedZipCodeTabulationAreas must be an array of strings',
  zip: 'Each restricted ZIP code area must be a string',
};

function fieldOf(pointer: string): string {
  const t = splitPointer(pointer);
  if (t.length === 0) return '';
  if (t[0] === 'fhirPathRules') {
    if (t.length === 1) return 'fhirPathRules';
    if (t.length === 2) return 'rule';
    if (t.length === 3) return t[2]!;
    return t[2] === 'cases' ? 'case' : t[2]!;
  }
  if (t[0] === 'parameters') {
    if (t.length === 1) return 'parameters';
    if (t.length === 2) return t[1]!;
    return 'zip';
  }
  return t[0]!;
}

/** Validates against the schema and adds a diagnostic per offending pointer. */
export function schemaDiagnostics(doc: Json, c: Collector): void {
  const validate = schemaValidator();
  if (validate(doc)) return;
  const groups = new Map<string, ErrorObject[]>();
  for (const err of validate.errors ?? []) {
    if (err.keyword === 'if') continue;
    if (err.keyword === 'required') {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      const pointer = joinPointer(err.instancePath, missing);
      const field = fieldOf(pointer);
      const what = field === 'fhirPathRules' ? 'fhirPathRules is required' :
        field === 'replaceWith' ? 'substitute rule needs replaceWith (it may be null)' :
        field === 'span' ? 'perturb rule needs span' :
        field === 'cases' ? 'generalize rule needs cases' :
        `Rule needs ${missing}`;
      c.error('ERR_CONFIG_INVALID', 'missing', pointer, what);
      continue;
    }
    const list = groups.get(err.instancePath) ?? [];
    list.push(err);
    groups.set(err.instancePath, list);
  }
  for (const [pointer, errors] of groups) {
    const field = fieldOf(pointer);
    // A number where an integer is wanted is a bad value, not a bad type.
    const fractional = typeof valueAt(doc, pointer) === 'number' && errors.some((e) => e.keyword === 'type' && (e.params as { type?: string }).type === 'integer');
    const onlyType = !fractional && errors.every((e) => e.keyword === 'type' || e.keyword === 'anyOf');
    let reason: DiagnosticReason = onlyType ? 'type' : 'invalid-value';
    if (!onlyType && field === 'method') reason = 'unknown-method';
    if (!onlyType && field === 'fhirVersion') reason = 'unsupported-version';
    c.error('ERR_CONFIG_INVALID', reason, pointer, FIELD_MESSAGES[field] ?? 'Value is not valid here');
  }
}
