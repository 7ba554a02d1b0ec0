/**
 * A fresh random date-shift key per input, for a configuration whose `dateShiftKey`
 * was not supplied.
 *
 * The reference tool loads its configuration once per input file, so a missing
 * `dateShiftKey` gives every file its own random key, hence its own offsets. A run that
 * loads the configuration once and shares it would give every patient of the run the
 * same offset whenever the scope prefix is empty (e.g. id-less Bundles): one known true
 * date would then reveal every date of the run. Callers that process several inputs with
 * one loaded configuration call {@link withFreshDateShiftKey} once per input.
 * A supplied key (option, key file, environment, configuration) is kept: the user asked
 * for reproducible shifts.
 * @module
 */
import type { FhirConfig } from './fhir-types.ts';
import { randomDefaultKey } from './fhir-keys.ts';

/**
 * Whether the configuration's `dateShiftKey` is the random default (no key was supplied)
 * and the key is in use (no `dateShiftFixedOffsetInDays`), so each input should get its own.
 * @param config - A configuration from the loader (`keySources` set).
 * @returns `true` when {@link withFreshDateShiftKey} would draw a new key.
 * @example Only the random default is renewed
 * ```ts
 * import { getFhirProfile, hasRandomDateShiftKey } from 'health-anonymizer/config';
 * hasRandomDateShiftKey(getFhirProfile('hipaa-safe-harbor', 'R4')); // true
 * hasRandomDateShiftKey(getFhirProfile('hipaa-safe-harbor', 'R4', { keys: { dateShiftKey: 'k' } })); // false
 * ```
 */
export function hasRandomDateShiftKey(config: FhirConfig): boolean {
  return config.keySources?.dateShiftKey === 'random' && config.parameters.dateShiftFixedOffsetInDays === undefined;
}

/**
 * The same configuration with a new random `dateShiftKey` when the key was not supplied
 * (`keySources.dateShiftKey === 'random'` and no fixed offset); otherwise the very same
 * object. Rules, other keys, `keySources` and the fingerprint are unchanged.
 * @param config - A configuration from the loader.
 * @returns A frozen copy with a fresh key (16 random bytes from `crypto.getRandomValues`, as 32 hex digits), or `config` itself.
 * @example One key per input file
 * ```ts
 * import { getFhirProfile, withFreshDateShiftKey } from 'health-anonymizer/config';
 * const loaded = getFhirProfile('hipaa-safe-harbor', 'R4');
 * const a = withFreshDateShiftKey(loaded); // for the first file
 * const b = withFreshDateShiftKey(loaded); // for the second file
 * a.parameters.dateShiftKey !== b.parameters.dateShiftKey; // true
 * ```
 */
export function withFreshDateShiftKey(config: FhirConfig): FhirConfig {
  return hasRandomDateShiftKey(config) ? withDateShiftKey(config, randomDefaultKey('dateShiftKey')) : config;
}

/**
 * The same configuration with another `dateShiftKey` (for a key drawn elsewhere, such as the CLI's
 * per-file key that one thread draws and every worker uses). Rules, other keys, `keySources` and
 * the fingerprint are unchanged.
 * @param config - A configuration from the loader.
 * @param dateShiftKey - The key to use.
 * @returns A frozen copy.
 * @example
 * ```ts
 * import { getFhirProfile, withDateShiftKey } from 'health-anonymizer/config';
 * withDateShiftKey(getFhirProfile('hipaa-safe-harbor', 'R4'), 'k').parameters.dateShiftKey; // 'k'
 * ```
 */
export function withDateShiftKey(config: FhirConfig, dateShiftKey: string): FhirConfig {
  return Object.freeze({ ...config, parameters: Object.freeze({ ...config.parameters, dateShiftKey }) });
}
