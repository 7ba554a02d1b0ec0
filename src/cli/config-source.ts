/**
 * Loads the configuration for a CLI run: a file (`-c`) or a built-in profile (`--profile`,
 * default `hipaa-safe-harbor`), with keys from `--key-file` and the environment.
 * @module
 */
import { readEnv } from '../util/env.ts';
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { IoError } from '../errors.ts';
import type { FhirConfig, FhirVersion } from '../config/fhir-types.ts';
import { fingerprintConfig, getFhirProfile, loadFhirConfig } from '../config/index.ts';
import type { FhirCliOptions } from './args.ts';
import { ioReason } from './files.ts';

/** A loaded configuration and its key-free fingerprint. */
export interface LoadedConfig {
  readonly config: FhirConfig;
  readonly fingerprint: string;
}

/** Default profile when neither `-c` nor `--profile` is given. */
export const DEFAULT_PROFILE = 'hipaa-safe-harbor';

/**
 * Reads a text file for the CLI.
 * @param path - File path.
 * @param what - What the file is, for the message.
 * @returns Its text.
 * @throws {@link IoError} when it cannot be read.
 */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new IoError(`cannot read ${what} (${ioReason(err)})`, { location: { file: path }, cause: err });
  }
}

/** Environment lookup for the key variables. */
export function envLookup(name: string): string | undefined {
  return readEnv(name);
}

/**
 * Loads the configuration named by the options.
 * @param opts - Parsed CLI options.
 * @returns Configuration and fingerprint.
 * @throws `ConfigError`/`ConfigParseError` for a bad configuration or key file; {@link IoError} when a file cannot be read.
 */
export async function loadCliConfig(opts: Pick<FhirCliOptions, 'config' | 'profile' | 'fhirVersion' | 'keyFile'>): Promise<LoadedConfig> {
  const keyFile = opts.keyFile === undefined ? undefined : { text: await readTextFile(opts.keyFile, 'key file'), file: opts.keyFile };
  const keyOptions = { env: envLookup, ...(keyFile !== undefined ? { keyFile } : {}) };
  let config: FhirConfig;
  if (opts.config !== undefined) {
    const text = await readTextFile(opts.config, 'configuration file');
    config = loadFhirConfig(text, { file: opts.config, ...(opts.fhirVersion !== undefined ? { fhirVersion: opts.fhirVersion } : {}), ...keyOptions });
  } else {
    const version: FhirVersion = opts.fhirVersion ?? 'R4';
    config = getFhirProfile(opts.profile ?? DEFAULT_PROFILE, version, keyOptions);
  }
  return { config, fingerprint: fingerprintConfig(config) };
}
