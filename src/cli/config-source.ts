/**
 * Loads the configuration of a CLI run from a {@link ConfigRequest}: a file (`-c`) or a built-in
 * profile (`--profile`, default `hipaa-safe-harbor`), with keys from the key file and the
 * environment. Runs on the main thread, which sends the result to the pool's workers.
 * @module
 */
import type { FhirConfig, FhirVersion } from '../config/fhir-types.ts';
import { fingerprintConfig, getFhirProfile, loadFhirConfig } from '../config/index.ts';
import type { ConfigRequest } from './config-request.ts';

/** A loaded configuration and its key-free fingerprint. */
export interface LoadedConfig {
  readonly config: FhirConfig;
  readonly fingerprint: string;
}

/** Default profile when neither `-c` nor `--profile` is given. */
export const DEFAULT_PROFILE = 'hipaa-safe-harbor';

/**
 * Loads the configuration a request names.
 * @param request - Texts and key variables read by the main thread.
 * @returns Configuration and fingerprint.
 * @throws `ConfigError`/`ConfigParseError` for a bad configuration or key file; `UnsupportedError` for an unknown profile.
 */
export function loadConfigRequest(request: ConfigRequest): LoadedConfig {
  const keyOptions = {
    env: (name: string): string | undefined => request.env[name],
    ...(request.keyFile !== undefined ? { keyFile: request.keyFile } : {}),
  };
  let config: FhirConfig;
  if (request.config !== undefined) {
    config = loadFhirConfig(request.config.text, {
      file: request.config.file,
      ...(request.fhirVersion !== undefined ? { fhirVersion: request.fhirVersion } : {}),
      ...keyOptions,
    });
  } else {
    const version: FhirVersion = request.fhirVersion ?? 'R4';
    config = getFhirProfile(request.profile ?? DEFAULT_PROFILE, version, keyOptions);
  }
  return { config, fingerprint: fingerprintConfig(config) };
}
