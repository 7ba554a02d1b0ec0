/**
 * `health-anonymizer/config`: loading, validating and fingerprinting FHIR
 * anonymization configurations in the format of Microsoft's
 * Tools-for-Health-Data-Anonymization, and the built-in profiles.
 *
 * @example Load a configuration file, or the default profile
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { loadFhirConfig, getFhirProfile, DEFAULT_FHIR_PROFILE, fingerprintConfig } from 'health-anonymizer/config';
 * const config = process.argv[2]
 *   ? loadFhirConfig(readFileSync(process.argv[2], 'utf8'), { file: process.argv[2], fhirVersion: 'R4' })
 *   : getFhirProfile(DEFAULT_FHIR_PROFILE, 'R4');
 * console.log(fingerprintConfig(config));
 * ```
 * @module
 */
export type {
  DateShiftScope,
  FhirConfig,
  FhirKeySource,
  FhirMethod,
  FhirParameters,
  FhirRule,
  FhirVersion,
  ProcessingErrors,
} from './fhir-types.ts';
export type { DiagnosticReason, FhirConfigDiagnostic } from './fhir-diagnostics.ts';
export { loadFhirConfig } from './fhir-load.ts';
export { validateFhirConfig } from './fhir-validate.ts';
export type { FhirConfigOptions, FhirConfigValidation } from './fhir-validate.ts';
export { FHIR_KEY_ENV_VARS, FHIR_KEY_NAMES, parseKeyFile, readKeyFile, resolveKeys } from './fhir-keys.ts';
export type { FhirKeyName, FhirKeys, KeyFileInput, KeyInputs, KeySource, ResolvedKey } from './fhir-keys.ts';
export { canonicalJson, fingerprintConfig } from './fingerprint.ts';
export { hasRandomDateShiftKey, withDateShiftKey, withFreshDateShiftKey } from './fresh-keys.ts';
export { validateConfigCommand } from './validate-command.ts';
export type { ValidateConfigCommandOptions, ValidateConfigCommandResult } from './validate-command.ts';
export { DEFAULT_FHIR_PROFILE, getFhirProfile, getFhirProfileSource, listFhirProfiles } from './profiles/index.ts';
export type { FhirConfigSource, FhirProfileInfo, FhirRuleSource } from './profiles/index.ts';
export { FHIR_CONFIG_SCHEMA, FHIR_METHODS } from './fhir-schema.ts';
export { readJsonText, tryReadJsonText } from './json-reader.ts';
export type { DuplicateKey, JsonReadResult, JsonSyntaxProblem, TextPosition } from './json-reader.ts';
