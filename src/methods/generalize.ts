/**
 * `generalize`: map a value to a coarser one through ordered cases. The cases are
 * expressions the engine evaluates (FHIRPath for FHIR); this module holds the
 * engine-independent selection logic.
 * @module
 */

/** One case: a predicate and the expression giving the new value. */
export interface GeneralizeCase<C> {
  readonly predicate: (context: C) => boolean;
  readonly value: (context: C) => unknown;
}

/** Outcome of {@link generalizeValue}. */
export type GeneralizeOutcome = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'keep' } | { readonly kind: 'redact' };

/**
 * Picks the first case whose predicate holds and returns its value; with no match,
 * keeps or redacts according to `otherValues`.
 * @param context - The value being generalized, in whatever form the evaluators take.
 * @param cases - Cases in configuration order.
 * @param otherValues - `redact` (default) or `keep`.
 * @returns What to do with the value.
 * @example Age bands
 * ```ts
 * generalizeValue(43, [{ predicate: (x) => x >= 40 && x < 60, value: () => 60 }], 'redact'); // { kind: 'value', value: 60 }
 * ```
 */
export function generalizeValue<C>(context: C, cases: readonly GeneralizeCase<C>[], otherValues: 'redact' | 'keep'): GeneralizeOutcome {
  for (const c of cases) {
    if (c.predicate(context)) return { kind: 'value', value: c.value(context) };
  }
  return otherValues === 'keep' ? { kind: 'keep' } : { kind: 'redact' };
}
