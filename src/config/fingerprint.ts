/**
 * A stable fingerprint of a normalized FHIR configuration for run reports: the same
 * configuration meaning gives the same fingerprint on every runtime, and no key
 * ever contributes to it.
 * @module
 */
import { getCore } from '../core/index.ts';
import type { FhirConfig } from './fhir-types.ts';

const KEY_PARAMETERS = new Set(['cryptoHashKey', 'encryptKey', 'dateShiftKey']);

/**
 * Canonical JSON (RFC 8785 style): object members sorted by UTF-16 code units, no
 * whitespace, `undefined` members left out, numbers and strings as `JSON.stringify`
 * writes them.
 * @param value - A JSON-compatible value.
 * @returns Its canonical text.
 * @throws {@link TypeError} for a non-finite number or a non-JSON value.
 * @example Member order does not matter
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new TypeError('canonicalJson: not a JSON value');
}

/**
 * The configuration without its keys and key sources: what the fingerprint covers.
 * @param config - A normalized configuration.
 * @returns A plain object: `fhirVersion`, `processingErrors`, `fhirPathRules`, and `parameters` without `cryptoHashKey`, `encryptKey`, `dateShiftKey`.
 * @example No key survives
 * ```ts
 * 'cryptoHashKey' in fingerprintInput(config).parameters; // false
 * ```
 */
export function fingerprintInput(config: FhirConfig): { readonly [key: string]: unknown; readonly parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.parameters)) if (!KEY_PARAMETERS.has(k)) parameters[k] = v;
  return {
    fhirVersion: config.fhirVersion,
    processingErrors: config.processingErrors,
    fhirPathRules: config.fhirPathRules,
    parameters,
  };
}

/**
 * SHA-256 (lowercase hex, through the crypto core) of the canonical JSON of a
 * normalized configuration with every key removed. Stable across runtimes and
 * across key changes; any change of rules or non-secret parameters changes it.
 * @param config - A normalized configuration (from `loadFhirConfig` or a profile).
 * @returns 64 lowercase hex digits.
 * @example Keys do not change the fingerprint
 * ```ts
 * import { loadFhirConfig, fingerprintConfig } from 'health-anonymizer/config';
 * const a = loadFhirConfig({ fhirPathRules: [], parameters: { cryptoHashKey: 'one' } });
 * const b = loadFhirConfig({ fhirPathRules: [], parameters: { cryptoHashKey: 'two' } });
 * fingerprintConfig(a) === fingerprintConfig(b); // true
 * ```
 */
export function fingerprintConfig(config: FhirConfig): string {
  const core = getCore();
  return core.toHex(core.hash('sha256', canonicalJson(fingerprintInput(config))));
}
