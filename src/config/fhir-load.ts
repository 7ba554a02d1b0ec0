/**
 * Loading a FHIR configuration: validation that throws.
 * @module
 */
import { ConfigError, ConfigParseError } from '../errors.ts';
import type { FhirConfig } from './fhir-types.ts';
import { validateFhirConfig } from './fhir-validate.ts';
import type { FhirConfigOptions } from './fhir-validate.ts';
import type { FhirConfigDiagnostic } from './fhir-diagnostics.ts';

/**
 * Loads, validates and normalizes a FHIR configuration in the reference tool's format.
 *
 * Reference files load unchanged: a UTF-8 BOM, trailing commas and comments are
 * accepted; top-level and `parameters` names match in any case; method names and
 * enumerations in any case. Defaults are the reference tool's; absent keys are random
 * (`dateShiftKey` per load, `cryptoHashKey` and `encryptKey` per process). Keys may
 * come from `options.keys`, a key file or the environment (in that order, before the
 * file's own `parameters`).
 * @param source - Configuration text (as read from a file), its UTF-8 bytes, or an already parsed object.
 * @param options - File name for locations, the release the data has, and key sources.
 * @returns The normalized, frozen configuration.
 * @throws {@link ConfigParseError} when the text (or the key file) is not JSON (line in `location`, column in the message; never content).
 * @throws {@link ConfigError} listing every problem found (`diagnostics`, each with `code`, `reason`, `pointer`, line and column); with `strict`, warnings too.
 * @example Loading the reference tool's sample with keys from the environment
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { loadFhirConfig } from 'health-anonymizer/config';
 * const config = loadFhirConfig(readFileSync('configuration-sample.json', 'utf8'), {
 *   file: 'configuration-sample.json',
 *   fhirVersion: 'R4',
 *   env: (name) => process.env[name],
 * });
 * config.fhirPathRules.length; // 193
 * ```
 */
export function loadFhirConfig(source: string | unknown, options: FhirConfigOptions = {}): FhirConfig {
  const result = validateFhirConfig(source, options);
  if (result.ok && result.config !== undefined) return result.config;
  const errors = options.strict === true ? result.diagnostics : result.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (errors.length === 1 && first !== undefined && first.reason === 'syntax') {
    const file = first.file ?? options.file;
    throw new ConfigParseError(first.column === undefined ? first.message : `${first.message} at column ${first.column}`, {
      location: { ...(file === undefined ? {} : { file }), ...(first.line === undefined ? {} : { line: first.line }) },
    });
  }
  // The location is the first problem's: a key-file problem names the key file, not the configuration.
  const file = first?.file ?? options.file;
  throw new ConfigError(summary(errors), errors, {
    location: file === undefined ? {} : { file, ...(first?.line === undefined ? {} : { line: first.line }) },
  });
}

function summary(errors: readonly FhirConfigDiagnostic[]): string {
  const n = errors.length;
  const head = errors[0];
  const first = head === undefined ? '' : `; first at ${head.pointer === '' ? '/' : head.pointer}: ${head.message}`;
  return `FHIR configuration is invalid: ${n} problem${n === 1 ? '' : 's'}${first}`;
}
