/**
 * The reference tool's names: top-level, `parameters` and rule keys, methods and
 * releases, matched as it matches them, with near-miss hints.
 * @module
 */
import type { Collector } from './diagnostic-collector.ts';
import { FHIR_METHODS } from './fhir-schema.ts';
import type { FhirMethod, FhirVersion } from './fhir-types.ts';
import { setOwn } from './json-value.ts';
import type { Json, JsonObject } from './json-value.ts';
import { joinPointer } from './pointer.ts';

/** Top-level keys, matched case-insensitively. */
export const TOP_KEYS = ['fhirVersion', 'processingErrors', 'fhirPathRules', 'parameters'] as const;
/** `parameters` keys, matched case-insensitively. */
export const PARAMETER_KEYS = [
  'dateShiftKey', 'dateShiftScope', 'dateShiftFixedOffsetInDays', 'cryptoHashKey', 'encryptKey',
  'enablePartialAgesForRedact', 'enablePartialDatesForRedact', 'enablePartialZipCodesForRedact',
  'restrictedZipCodeTabulationAreas', 'customSettings',
] as const;
/** Rule keys, case-sensitive as in the reference tool, with the methods that use them. */
export const RULE_KEYS: Readonly<Record<string, readonly FhirMethod[] | 'all'>> = {
  path: 'all',
  method: 'all',
  replaceWith: ['substitute'],
  span: ['perturb'],
  rangeType: ['perturb'],
  roundTo: ['perturb'],
  cases: ['generalize'],
  otherValues: ['generalize'],
};

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** A known name close to a misspelt one (edit distance ≤ 2, ignoring case), as a hint. */
export function nearName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Case-insensitive member matching (the reference's Newtonsoft binding) into canonical names. */
export function canonicalMembers(
  source: JsonObject,
  known: readonly string[],
  pointer: string,
  names: Map<string, string>,
  c: Collector,
  where: string,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (pointer === '' && key === '$schema') continue; // editor hint, see docs/fhir-configuration.md
    const canonical = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (canonical === undefined) {
      const near = nearName(key, known);
      c.warn('unknown-key', joinPointer(pointer, key), `${where} has a property the loader does not know; it is ignored${near === undefined ? '' : ` (did you mean ${near}?)`}`);
      continue;
    }
    if (names.has(canonical)) {
      c.error('ERR_CONFIG_INVALID', 'duplicate-key', joinPointer(pointer, key), `${where} gives ${canonical} twice (property names are case-insensitive here)`);
      continue;
    }
    names.set(canonical, key);
    setOwn(out, canonical, value);
  }
  return out;
}

/** The canonical name of a method written in any case. */
export function canonicalMethod(value: Json | undefined): FhirMethod | undefined {
  if (typeof value !== 'string') return undefined;
  return FHIR_METHODS.find((m) => m.toLowerCase() === value.toLowerCase()) as FhirMethod | undefined;
}

/** `R4` or `Stu3` from a `fhirVersion` value in any case. */
export function parseVersion(value: Json | undefined): FhirVersion | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  return v === 'r4' ? 'R4' : v === 'stu3' ? 'Stu3' : undefined;
}
