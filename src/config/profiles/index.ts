/**
 * Built-in FHIR profiles, embedded as modules (no file is read at run time).
 *
 * `hipaa-safe-harbor` (R4 and STU3) is the reference tool's HIPAA Safe Harbor sample
 * with its path typos fixed; it is the default when no configuration is given. Its
 * keys are empty, so they are random per run unless supplied through the loader's
 * `keys`, key file or environment options: a built-in, published key would let
 * anyone recompute the pseudonyms.
 * @module
 */
import { UnsupportedError } from '../../errors.ts';
import { loadFhirConfig } from '../fhir-load.ts';
import type { FhirConfigOptions } from '../fhir-validate.ts';
import type { FhirConfig, FhirVersion } from '../fhir-types.ts';
import type { FhirConfigSource } from './source.ts';
import { HIPAA_SAFE_HARBOR_R4 } from './hipaa-safe-harbor-r4.ts';
import { HIPAA_SAFE_HARBOR_STU3 } from './hipaa-safe-harbor-stu3.ts';

export type { FhirConfigSource, FhirRuleSource } from './source.ts';

/** Name of the profile used when no configuration is given. */
export const DEFAULT_FHIR_PROFILE = 'hipaa-safe-harbor';

/** What {@link listFhirProfiles} tells about one profile. */
export interface FhirProfileInfo {
  /** Name to pass to {@link getFhirProfile}. */
  readonly name: string;
  /** Releases it exists for. */
  readonly versions: readonly FhirVersion[];
  /** One sentence. */
  readonly description: string;
  /** Where it comes from. */
  readonly source: string;
}

const PROFILES: ReadonlyArray<FhirProfileInfo & { readonly sources: Readonly<Partial<Record<FhirVersion, FhirConfigSource>>> }> = [
  {
    name: DEFAULT_FHIR_PROFILE,
    versions: ['R4', 'Stu3'],
    description: 'HIPAA Safe Harbor de-identification (the reference tool\'s sample configuration, with its path typos fixed and rules added where it leaves identifiers).',
    source: 'microsoft/Tools-for-Health-Data-Anonymization FHIR/src/*CommandLineTool/configuration-sample.json (MIT)',
    sources: { R4: HIPAA_SAFE_HARBOR_R4, Stu3: HIPAA_SAFE_HARBOR_STU3 },
  },
];

/**
 * Lists the built-in FHIR profiles.
 * @returns Name, releases, description and provenance of each.
 * @example Names of the built-in profiles
 * ```ts
 * import { listFhirProfiles } from 'health-anonymizer/config';
 * listFhirProfiles().map((p) => p.name); // ['hipaa-safe-harbor']
 * ```
 */
export function listFhirProfiles(): readonly FhirProfileInfo[] {
  return PROFILES.map(({ name, versions, description, source }) => ({ name, versions, description, source }));
}

function findSource(name: string, version: FhirVersion): FhirConfigSource {
  const profile = PROFILES.find((p) => p.name === name);
  const source = profile?.sources[version];
  if (source === undefined) {
    throw new UnsupportedError(profile === undefined ? 'No built-in FHIR profile has this name' : 'This built-in FHIR profile does not exist for this FHIR release');
  }
  return source;
}

/**
 * A built-in profile in the reference tool's file format (a fresh copy), e.g. to
 * write it out as a starting point for a custom configuration.
 * @param name - Profile name (see {@link listFhirProfiles}).
 * @param version - `R4` or `Stu3`.
 * @returns A deep copy of the profile's source.
 * @throws {@link UnsupportedError} for an unknown name or a release the profile lacks.
 * @example Writing the profile out as a starting point
 * ```ts
 * import { getFhirProfileSource } from 'health-anonymizer/config';
 * JSON.stringify(getFhirProfileSource('hipaa-safe-harbor', 'R4'), null, 2);
 * ```
 */
export function getFhirProfileSource(name: string, version: FhirVersion): FhirConfigSource {
  return structuredClone(findSource(name, version)) as FhirConfigSource;
}

/**
 * A built-in profile, loaded and normalized like a configuration file. Keys are
 * taken from `options` (option, key file, environment) and otherwise random.
 * @param name - Profile name (see {@link listFhirProfiles}); `hipaa-safe-harbor` is the default profile.
 * @param version - `R4` or `Stu3`.
 * @param options - Key sources as for `loadFhirConfig` (`fhirVersion` is set to `version`).
 * @returns The normalized configuration.
 * @throws {@link UnsupportedError} for an unknown name or a release the profile lacks.
 * @throws {@link ConfigError} when a supplied key is invalid (e.g. an encrypt key of the wrong size).
 * @example Safe Harbor with a reproducible hash key
 * ```ts
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const config = getFhirProfile('hipaa-safe-harbor', 'R4', { keys: { cryptoHashKey: 'from-a-vault' } });
 * config.keySources?.cryptoHashKey; // 'option'
 * ```
 */
export function getFhirProfile(name: string, version: FhirVersion, options: Omit<FhirConfigOptions, 'fhirVersion'> = {}): FhirConfig {
  return loadFhirConfig(findSource(name, version), { file: `profile:${name}`, ...options, fhirVersion: version });
}
