/**
 * The options of the DICOM PS3.15 Basic Application Level Confidentiality Profile
 * (Table E.1-1 columns), with their names as used in configurations and on the command line.
 * @module
 */
import { UsageError } from '../../errors.ts';

/** One option of DICOM PS3.15 Annex E (a column of Table E.1-1 besides "Basic Profile"). */
export type DicomOption =
  | 'retainSafePrivate'
  | 'retainUIDs'
  | 'retainDeviceIdentity'
  | 'retainInstitutionIdentity'
  | 'retainPatientCharacteristics'
  | 'retainLongitudinalFullDates'
  | 'retainLongitudinalModifiedDates'
  | 'cleanDescriptors'
  | 'cleanStructuredContent'
  | 'cleanGraphics';

/**
 * Every option, in the column order of Table E.1-1.
 * @example Listing the options
 * ```ts
 * import { DICOM_OPTIONS } from './options.ts';
 * DICOM_OPTIONS.length; // 10
 * ```
 */
export const DICOM_OPTIONS: readonly DicomOption[] = Object.freeze([
  'retainSafePrivate',
  'retainUIDs',
  'retainDeviceIdentity',
  'retainInstitutionIdentity',
  'retainPatientCharacteristics',
  'retainLongitudinalFullDates',
  'retainLongitudinalModifiedDates',
  'cleanDescriptors',
  'cleanStructuredContent',
  'cleanGraphics',
] as const);

function toCamel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const byLowerName: ReadonlyMap<string, DicomOption> = new Map(DICOM_OPTIONS.map((o) => [o.toLowerCase(), o]));

/**
 * Parses an option name written in camelCase (`retainUIDs`) or kebab-case (`retain-uids`).
 * Matching ignores letter case.
 * @param name - The option as written by the user.
 * @returns The canonical option name.
 * @throws {@link UsageError} when the name is not one of {@link DICOM_OPTIONS}.
 * @example Parsing a command-line option
 * ```ts
 * import { parseDicomOption } from './options.ts';
 * parseDicomOption('retain-safe-private'); // 'retainSafePrivate'
 * ```
 */
export function parseDicomOption(name: string): DicomOption {
  const option = typeof name === 'string' ? byLowerName.get(toCamel(name.trim().toLowerCase()).toLowerCase()) : undefined;
  if (option === undefined) {
    throw new UsageError(`unknown DICOM profile option; expected one of ${DICOM_OPTIONS.join(', ')} (or kebab-case)`);
  }
  return option;
}
