/**
 * Semantic checks of the rules: unknown and unused keys, FHIRPath expressions
 * compiled with the release's model, paths that name nothing, settings without effect.
 * @module
 */
import type { Collector } from './diagnostic-collector.ts';
import type { FhirVersion } from './fhir-types.ts';
import { checkFhirPath, normalizeRulePath } from './fhirpath-check.ts';
import { findUnknownElement } from './fhir-model-check.ts';
import { canonicalMethod, nearName, RULE_KEYS } from './fhir-names.ts';
import { isObject } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { joinPointer } from './pointer.ts';

/** Checks every rule of `fhirPathRules` beyond the schema. */
export function checkRules(doc: JsonObject, version: FhirVersion, c: Collector): void {
  const rules = doc['fhirPathRules'];
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, i) => {
    if (!isObject(rule)) return;
    const base = joinPointer('/fhirPathRules', i);
    const method = canonicalMethod(rule['method']);
    for (const key of Object.keys(rule)) {
      const usedBy = RULE_KEYS[key];
      if (usedBy === undefined) {
        const sameLetters = Object.keys(RULE_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
        const near = nearName(key, Object.keys(RULE_KEYS));
        c.warn('unknown-key', joinPointer(base, key), sameLetters !== undefined
          ? `Rule property names are case-sensitive: this one is ignored; write ${sameLetters}`
          : `Rule has a property the loader does not know; it is ignored${near === undefined ? '' : ` (did you mean ${near}?)`}`);
      } else if (usedBy !== 'all' && method !== undefined && !usedBy.includes(method)) {
        c.warn('ignored-key', joinPointer(base, key), `Rule property ${key} is ignored by method ${method}`);
      }
    }
    const path = rule['path'];
    if (typeof path === 'string' && path !== '') {
      const normalized = normalizeRulePath(path);
      const problems = checkFhirPath(normalized);
      for (const p of problems) {
        c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', joinPointer(base, 'path'), `Rule path ${p.message}`);
      }
      if (problems.length === 0) {
        const unknown = findUnknownElement(normalized, version);
        if (unknown !== undefined) {
          c.warn('unknown-element', joinPointer(base, 'path'), unknown.kind === 'type'
            ? `Rule path starts with ${unknown.name}, which is not a ${version} resource or data type; the rule matches nothing`
            : `Rule path names the element ${unknown.name}, which the ${version} model does not define; the rule matches nothing`);
        }
      }
    }
    if (method === 'perturb' && (rule['span'] === 0 || (typeof rule['span'] === 'string' && Number(rule['span'].trim()) === 0))) {
      c.warn('no-effect', joinPointer(base, 'span'), 'perturb span is 0: values are kept exactly, yet labelled PERTURBED');
    }
    const cases = rule['cases'];
    if (method === 'generalize' && isObject(cases)) {
      for (const [predicate, value] of Object.entries(cases)) {
        const pointer = joinPointer(joinPointer(base, 'cases'), predicate);
        for (const p of checkFhirPath(predicate)) {
          c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', pointer, `generalize case predicate ${p.message}`);
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          for (const p of checkFhirPath(String(value))) {
            c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', pointer, `generalize case value ${p.message}`);
          }
        }
      }
    }
  });
}
