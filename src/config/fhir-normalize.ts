/**
 * Normalization of a validated configuration into the engine's `FhirConfig` shape.
 * @module
 */
import type { FhirRule } from './fhir-types.ts';
import { canonicalMethod } from './fhir-names.ts';
import { normalizeRulePath } from './fhirpath-check.ts';
import type { Json, JsonObject } from './json-value.ts';

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A non-empty string, or `undefined`. */
export function stringOrUndefined(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Puts generalize cases in the file's order. */
export type CaseOrder = (index: number, entries: Array<readonly [string, string]>) => Array<readonly [string, string]>;

/** One rule in canonical form, with the defaults of its method. */
export function normalizeRule(rule: JsonObject, index: number, order: CaseOrder): FhirRule {
  const method = canonicalMethod(rule['method'])!;
  const path = normalizeRulePath(rule['path'] as string);
  switch (method) {
    case 'substitute':
      return { path, method, replaceWith: structuredClone(rule['replaceWith']), index };
    case 'perturb': {
      const rangeType = typeof rule['rangeType'] === 'string' && rule['rangeType'].toLowerCase() === 'proportional' ? 'proportional' : 'fixed';
      const roundTo = rule['roundTo'] === undefined ? 2 : Number(String(rule['roundTo']).trim());
      return { path, method, span: Number(String(rule['span']).trim()), rangeType, roundTo, index };
    }
    case 'generalize': {
      const cases = order(index, Object.entries(rule['cases'] as JsonObject).map(([k, v]) => [k, String(v)] as const));
      const otherValues = typeof rule['otherValues'] === 'string' && rule['otherValues'].toLowerCase() === 'keep' ? 'keep' : 'redact';
      return { path, method, cases, otherValues, index };
    }
    default:
      return { path, method, index };
  }
}
