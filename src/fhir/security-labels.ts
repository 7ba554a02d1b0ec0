/**
 * The `meta.security` labels the reference tool adds to anonymized resources
 * (HL7 v3 ObservationValue codes, with its own spelling `CRYTOHASH`), in the
 * order it adds them.
 * @module
 */

/** A security label code. */
export type SecurityLabelCode = 'REDACTED' | 'ABSTRED' | 'CRYTOHASH' | 'MASKED' | 'PERTURBED' | 'SUBSTITUTED' | 'GENERALIZED';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';

/** The codings, in insertion order. */
export const SECURITY_LABELS: ReadonlyArray<{ readonly code: SecurityLabelCode; readonly coding: Readonly<Record<string, string>> }> = [
  { code: 'REDACTED', coding: { system: V3, code: 'REDACTED', display: 'redacted' } },
  { code: 'ABSTRED', coding: { system: V3, code: 'ABSTRED', display: 'abstracted' } },
  { code: 'CRYTOHASH', coding: { system: V3, code: 'CRYTOHASH', display: 'cryptographic hash function' } },
  { code: 'MASKED', coding: { system: V3, code: 'MASKED', display: 'masked' } },
  { code: 'PERTURBED', coding: { code: 'PERTURBED', display: 'exact value is replaced with another exact value' } },
  { code: 'SUBSTITUTED', coding: { code: 'SUBSTITUTED', display: 'exact value is replaced with a predefined value' } },
  { code: 'GENERALIZED', coding: { code: 'GENERALIZED', display: 'exact value is replaced with a general value' } },
];

/**
 * Adds labels to a resource's JSON (`meta.security`), keeping existing codings and
 * never adding a code twice. `meta` is created right after `id` when absent.
 * @param resource - The output resource object.
 * @param codes - Codes recorded for it.
 * @returns The resource object to use (a new object when `meta` had to be inserted).
 * @example Labelling a redacted resource
 * ```ts
 * addSecurityLabels({ resourceType: 'Patient' }, new Set(['REDACTED']));
 * // { resourceType: 'Patient', meta: { security: [{ system: '…v3-ObservationValue', code: 'REDACTED', display: 'redacted' }] } }
 * ```
 */
export function addSecurityLabels(resource: Record<string, unknown>, codes: ReadonlySet<string>): Record<string, unknown> {
  if (codes.size === 0) return resource;
  let meta = resource['meta'] as Record<string, unknown> | undefined;
  let out = resource;
  if (meta === undefined || meta === null || typeof meta !== 'object') {
    meta = {};
    out = {};
    let placed = false;
    for (const [k, v] of Object.entries(resource)) {
      if (!placed && k !== 'resourceType' && k !== 'id') {
        out['meta'] = meta;
        placed = true;
      }
      out[k] = v;
    }
    if (!placed) out['meta'] = meta;
  }
  const existing = Array.isArray(meta['security']) ? (meta['security'] as unknown[]) : [];
  const security = [...existing];
  for (const label of SECURITY_LABELS) {
    if (!codes.has(label.code)) continue;
    const present = security.some((c) => c !== null && typeof c === 'object' && (c as Record<string, unknown>)['code'] === label.code);
    if (!present) security.push({ ...label.coding });
  }
  meta['security'] = security;
  return out;
}
