/**
 * `perturb`: add uniform noise to a number and round it half-to-even, as the
 * reference does; integer kinds are rounded to units and clamped to their domain.
 * Noise comes from `crypto.getRandomValues`. Shared by the FHIR and DICOM engines.
 * @module
 */

/** How the noise span is read. */
export type PerturbRangeType = 'fixed' | 'proportional';

/** Settings of one perturb rule. */
export interface PerturbOptions {
  /** Width of the noise interval (fixed) or its fraction of the value (proportional). */
  readonly span: number;
  readonly rangeType: PerturbRangeType;
  /** Decimal places of the result (forced to 0 for integer kinds). */
  readonly roundTo: number;
  /** Lower bound after rounding (1 for positiveInt, 0 for unsignedInt). */
  readonly min?: number;
  /** Whether the value is an integer kind. */
  readonly integer?: boolean;
}

/**
 * A uniform random number in [0, 1) with 53 random bits.
 * @returns The number.
 * @example Drawing noise
 * ```ts
 * const u = uniform01(); // 0 <= u < 1
 * ```
 */
export function uniform01(): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ((words[0]! >>> 5) * 67108864 + (words[1]! >>> 6)) / 9007199254740992;
}

/**
 * Rounds half to even (banker's rounding) at a number of decimal places.
 * @param value - The number.
 * @param places - 0–28.
 * @returns The rounded number.
 * @example Banker's rounding
 * ```ts
 * roundHalfEven(2.5, 0); // 2
 * roundHalfEven(0.125, 2); // 0.12
 * ```
 */
export function roundHalfEven(value: number, places: number): number {
  const p = Math.min(Math.max(places, 0), 15);
  const f = 10 ** p;
  const scaled = value * f;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const eps = 1e-9 * Math.max(1, Math.abs(scaled));
  let r: number;
  if (Math.abs(diff - 0.5) <= eps) r = floor % 2 === 0 ? floor : floor + 1;
  else r = Math.round(scaled);
  return Number((r / f).toFixed(p));
}

/**
 * Perturbs a number.
 * @param value - The original value.
 * @param options - Span, range type, rounding and bounds.
 * @param random - Source of uniform [0, 1) numbers (default {@link uniform01}).
 * @returns The noisy, rounded value.
 * @example Fixed span
 * ```ts
 * const v = perturbNumber(5.234, { span: 6, rangeType: 'fixed', roundTo: 2 }); // in [2.23, 8.23]
 * ```
 */
export function perturbNumber(value: number, options: PerturbOptions, random: () => number = uniform01): number {
  const width = options.rangeType === 'proportional' ? Math.abs(value) * options.span : options.span;
  const noise = (random() - 0.5) * width;
  let out = roundHalfEven(value + noise, options.integer === true ? 0 : options.roundTo);
  if (options.min !== undefined && out < options.min) out = options.min;
  return out === 0 ? 0 : out;
}
