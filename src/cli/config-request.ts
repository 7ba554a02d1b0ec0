/**
 * What the CLI reads to build its configuration (files and key variables), as plain data that
 * could be sent to another thread. Loading it needs the configuration module (FHIRPath and its
 * models); this module does not, so reading the request costs no start-up time.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { IoError } from '../errors.ts';
import type { FhirVersion } from '../config/fhir-types.ts';
import { FHIR_KEY_ENV_VARS } from '../config/fhir-keys.ts';
import { readEnv } from '../util/env.ts';
import type { FhirCliOptions } from './args.ts';
import { ioReason } from './files.ts';

/** A text file's content and name. */
export interface NamedText {
  readonly text: string;
  readonly file: string;
}

/** Everything needed to load the run's configuration, read on the main thread. */
export interface ConfigRequest {
  /** `-c FILE`. */
  readonly config?: NamedText;
  /** `--profile NAME` (or the default profile when neither is given). */
  readonly profile?: string;
  /** `--fhir-version`. */
  readonly fhirVersion?: FhirVersion;
  /** `--key-file FILE`. */
  readonly keyFile?: NamedText;
  /** The key variables that are set (values never leave this object, never reach a message). */
  readonly env: Readonly<Record<string, string>>;
}

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

/** Environment lookup for the key variables (never prompts or throws under Deno). */
export function envLookup(name: string): string | undefined {
  return readEnv(name);
}

/**
 * Reads the configuration file, key file and key variables named by the options.
 * @param opts - Parsed options.
 * @returns The request.
 * @throws {@link IoError} when a file cannot be read.
 */
export async function readConfigRequest(opts: Pick<FhirCliOptions, 'config' | 'profile' | 'fhirVersion' | 'keyFile'>): Promise<ConfigRequest> {
  const env: Record<string, string> = {};
  for (const name of Object.values(FHIR_KEY_ENV_VARS)) {
    const v = envLookup(name);
    if (v !== undefined && v !== '') env[name] = v;
  }
  return {
    env,
    ...(opts.config !== undefined ? { config: { text: await readTextFile(opts.config, 'configuration file'), file: opts.config } } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.fhirVersion !== undefined ? { fhirVersion: opts.fhirVersion } : {}),
    ...(opts.keyFile !== undefined ? { keyFile: { text: await readTextFile(opts.keyFile, 'key file'), file: opts.keyFile } } : {}),
  };
}
