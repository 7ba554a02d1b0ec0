/**
 * `health-anonymizer`: offline, configuration-driven anonymization of FHIR and
 * DICOM data. The engines live in their own subpaths; this entry re-exports the
 * core and the errors.
 *
 * @example
 * ```ts
 * import { getCore, AnonymizerError } from 'health-anonymizer';
 * getCore().toHex(getCore().hash('sha256', ''));
 * ```
 * @module
 */
export * from './core/index.ts';
export * from './errors.ts';
