/**
 * DICOM PS3.15 Table E.1-1 (edition 2024b): the action of the Basic Application Level
 * Confidentiality Profile and of its options on each attribute, the safe private attributes of
 * Table E.3.10-1, and the codes that record which profile and options were applied.
 *
 * The table is data ({@link PROFILE_ROWS_TEXT}, generated from innolitics/dicom-standard); this
 * module only resolves it:
 * - Conditional codes (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) resolve to their rightmost code (Z, D, D, D,
 *   U): without knowledge of the IOD that code removes the value just as well and keeps the object
 *   valid.
 * - An enabled option's code overrides the Basic code. When two enabled options give different
 *   codes for one row, C (clean) wins over K (keep): the more protective requirement applies.
 * - Rows with a date option column (dates and times) ignore the other options' columns unless a
 *   date option is on: Retain Device Identity alone does not keep calibration or manufacture dates.
 * - Full Dates and Modified Dates together are rejected (they exclude each other).
 * - `(50xx,xxxx)` covers every element of the even groups 5000–501E; `(60xx,3000)` and
 *   `(60xx,4000)` the even groups 6000–601E; the "odd group" row covers every private element.
 * @module
 */
import { InvalidArgumentError } from '../../errors.ts';
import { DICOM_OPTIONS, type DicomOption } from './options.ts';
import { PROFILE_EDITION, PROFILE_ROWS_TEXT } from './profile-table.ts';
import { SAFE_PRIVATE_TEXT } from './safe-private-table.ts';

export { PROFILE_EDITION, PROFILE_ROW_COUNT } from './profile-table.ts';
export { SAFE_PRIVATE_EDITION } from './safe-private-table.ts';

/**
 * An action code of Table E.1-1a after resolution of conditional codes:
 * `D` replace with a non-empty dummy value, `Z` replace with an empty value (or a dummy),
 * `X` remove, `K` keep (recursing into sequences), `C` clean (replace identifying content with
 * values of similar meaning), `U` replace a UID with a consistent non-identifying one.
 */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

/** A code of CID 7050 "De-identification Method" (coding scheme `DCM`) for (0012,0064). */
export interface DeidentificationCode {
  /** Code Value (0008,0100), for example `113100`. */
  readonly value: string;
  /** Code Meaning (0008,0104). */
  readonly meaning: string;
}

interface Row {
  /** Basic profile code as printed. */
  readonly printed: string;
  /** Basic profile action, conditional code resolved. */
  readonly basic: ProfileAction;
  /** Override per option index (DICOM_OPTIONS order), or undefined. */
  readonly overrides: readonly (ProfileAction | undefined)[];
}

/**
 * Resolves a code as printed in Table E.1-1 to one action: the rightmost code of a conditional.
 * @param code - `X`, `Z/D`, `X/Z/U*`, …
 * @returns The action.
 * @throws {@link InvalidArgumentError} for a code the table does not use.
 * @example Resolving conditional codes
 * ```ts
 * import { resolveConditionalCode } from './profile.ts';
 * resolveConditionalCode('X/Z/D'); // 'D'
 * resolveConditionalCode('X/Z/U*'); // 'U'
 * ```
 */
export function resolveConditionalCode(code: string): ProfileAction {
  const last = code.split('/').pop()!.replace('*', '');
  if (last === 'D' || last === 'Z' || last === 'X' || last === 'K' || last === 'C' || last === 'U') return last;
  throw new InvalidArgumentError('"code" expected a Table E.1-1 action code');
}

let exactRows: Map<number, Row> | undefined;
let curveRow: Row | undefined;
const overlayRows = new Map<number, Row>();
let privateRow: Row | undefined;

function parseRow(basic: string, options: string): Row {
  const overrides: (ProfileAction | undefined)[] = [];
  for (let i = 0; i < DICOM_OPTIONS.length; i++) {
    const c = options[i];
    overrides.push(c === '.' || c === undefined ? undefined : resolveConditionalCode(c));
  }
  return { printed: basic, basic: resolveConditionalCode(basic), overrides };
}

function table(): Map<number, Row> {
  if (exactRows !== undefined) return exactRows;
  const map = new Map<number, Row>();
  for (const line of PROFILE_ROWS_TEXT.split('\n')) {
    const [tag, basic, options] = line.split(' ') as [string, string, string];
    const row = parseRow(basic, options);
    if (tag === 'odd') privateRow = row;
    else if (tag === '50xxxxxx') curveRow = row;
    else if (tag.startsWith('60xx')) overlayRows.set(parseInt(tag.slice(4), 16), row);
    else map.set(parseInt(tag, 16) >>> 0, row);
  }
  exactRows = map;
  return map;
}

function rowFor(tag: number): Row | undefined {
  const rows = table();
  const exact = rows.get(tag);
  if (exact !== undefined) return exact;
  const group = tag >>> 16;
  if (group & 1) return privateRow;
  if (group >= 0x5000 && group <= 0x501e) return curveRow;
  if (group >= 0x6000 && group <= 0x601e) return overlayRows.get(tag & 0xffff);
  return undefined;
}

const FULL_DATES = DICOM_OPTIONS.indexOf('retainLongitudinalFullDates');
const MODIFIED_DATES = DICOM_OPTIONS.indexOf('retainLongitudinalModifiedDates');

function apply(row: Row, options: ReadonlySet<DicomOption>): ProfileAction {
  let action: ProfileAction | undefined;
  // A date or time row that another option also lists (the 11 device calibration, manufacture
  // and installation dates of Retain Device Identity) is a date first: without a date option it
  // keeps its Basic action, since dates are not device identity.
  const dateRow = row.overrides[FULL_DATES] !== undefined || row.overrides[MODIFIED_DATES] !== undefined;
  const datesOn = options.has('retainLongitudinalFullDates') || options.has('retainLongitudinalModifiedDates');
  for (let i = 0; i < row.overrides.length; i++) {
    const o = row.overrides[i];
    if (o === undefined || !options.has(DICOM_OPTIONS[i]!)) continue;
    if (dateRow && !datesOn && i !== FULL_DATES && i !== MODIFIED_DATES) continue;
    if (action === undefined || o === 'C') action = o;
  }
  return action ?? row.basic;
}

/**
 * Rejects Full Dates together with Modified Dates: PS3.15 makes the two Retain Longitudinal
 * Temporal Information options exclusive, and one output cannot both keep and modify its dates.
 * @param options - The enabled options.
 * @throws {@link InvalidArgumentError} when both are enabled.
 */
function checkDateOptions(options: ReadonlySet<DicomOption>): void {
  if (options.has('retainLongitudinalFullDates') && options.has('retainLongitudinalModifiedDates')) {
    throw new InvalidArgumentError('"options" retainLongitudinalFullDates and retainLongitudinalModifiedDates exclude each other');
  }
}

/**
 * The action of Table E.1-1 for one attribute under the given options.
 *
 * Private attributes (odd groups) give `X`, or `C` under `retainSafePrivate` (then keep only what
 * {@link isSafePrivate} accepts, with its creator). Curve groups 50xx (even, 5000–501E) give the
 * Curve Data row's action for every element; in even groups 6000–601E only Overlay Data
 * (60xx,3000) and Overlay Comments (60xx,4000) are in the table.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @param options - The enabled options.
 * @returns The action, or `undefined` when the attribute is not in the table (the caller keeps
 * public attributes not in the table).
 * @throws {@link InvalidArgumentError} when both Retain Longitudinal Temporal Information options
 * (Full Dates and Modified Dates) are enabled: they exclude each other.
 * @example Patient's Name and an option override
 * ```ts
 * import { profileAction } from './profile.ts';
 * profileAction(0x00100010, new Set()); // 'Z'
 * profileAction(0x0020000d, new Set()); // 'U'
 * profileAction(0x0020000d, new Set(['retainUIDs'])); // 'K'
 * profileAction(0x00280010, new Set()); // undefined (Rows is not in the table)
 * ```
 */
export function profileAction(tag: number, options: ReadonlySet<DicomOption>): ProfileAction | undefined {
  checkDateOptions(options);
  const row = rowFor(tag >>> 0);
  return row === undefined ? undefined : apply(row, options);
}

/**
 * The Basic-profile code of one attribute exactly as printed in Table E.1-1 (before resolution).
 * @param tag - `((group << 16) | element) >>> 0`.
 * @returns The printed code (e.g. `X/Z/D`), or `undefined` when not in the table.
 * @example Patient ID is Z/D in 2024b
 * ```ts
 * import { basicProfileCode } from './profile.ts';
 * basicProfileCode(0x00100020); // 'Z/D' (Patient ID, 2024b)
 * ```
 */
export function basicProfileCode(tag: number): string | undefined {
  return rowFor(tag >>> 0)?.printed;
}

let safeSet: Set<string> | undefined;

/**
 * Whether a private data element is on the safe list of Table E.3.10-1 (PS3.15 2023b), matched
 * by its private creator (leading and trailing spaces ignored, case-sensitive) and by the
 * element's low byte within the creator's block, so the block number of the file does not matter.
 * Private creator elements themselves (gggg,0010–00FF) are never "safe": keep a creator when one
 * of its block's elements is kept.
 * @param group - Odd group number.
 * @param element - Full element number, e.g. `0x1023` for block 10, offset 23.
 * @param creator - The value of the block's private creator element.
 * @returns `true` when listed.
 * @example GE's table speed
 * ```ts
 * import { isSafePrivate } from './profile.ts';
 * isSafePrivate(0x0019, 0x1023, 'GEMS_ACQU_01'); // true
 * isSafePrivate(0x0019, 0x1123, 'GEMS_ACQU_01 '); // true (block 11, trailing space)
 * isSafePrivate(0x0019, 0x1023, 'OTHER'); // false
 * ```
 */
export function isSafePrivate(group: number, element: number, creator: string): boolean {
  if ((group & 1) === 0 || element < 0x1000 || element > 0xffff || typeof creator !== 'string') return false;
  if (safeSet === undefined) safeSet = new Set(SAFE_PRIVATE_TEXT.split('\n'));
  const key = group.toString(16).padStart(4, '0').toUpperCase() + (element & 0xff).toString(16).padStart(2, '0').toUpperCase();
  return safeSet.has(`${key}|${creator.trim()}`);
}

/** CID 7050 codes per option, in DICOM_OPTIONS order. */
const OPTION_CODES: Readonly<Record<DicomOption, DeidentificationCode>> = {
  retainSafePrivate: { value: '113111', meaning: 'Retain Safe Private Option' },
  retainUIDs: { value: '113110', meaning: 'Retain UIDs Option' },
  retainDeviceIdentity: { value: '113109', meaning: 'Retain Device Identity Option' },
  retainInstitutionIdentity: { value: '113112', meaning: 'Retain Institution Identity Option' },
  retainPatientCharacteristics: { value: '113108', meaning: 'Retain Patient Characteristics Option' },
  retainLongitudinalFullDates: { value: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  retainLongitudinalModifiedDates: { value: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  cleanDescriptors: { value: '113105', meaning: 'Clean Descriptors Option' },
  cleanStructuredContent: { value: '113104', meaning: 'Clean Structured Content Option' },
  cleanGraphics: { value: '113103', meaning: 'Clean Graphics Option' },
};

/**
 * The values that record the de-identification in the output (PS3.15 E.1.1): codes of CID 7050
 * (coding scheme designator `DCM`) for De-identification Method Code Sequence (0012,0064), one
 * item each, and texts for De-identification Method (0012,0063), one value each, every text at most
 * 64 characters (LO). The first text names the standard edition. Pixel options (113101, 113102)
 * are never claimed.
 * @param options - The enabled options.
 * @returns `codes` (113100 first, then one per option) and `methodText`.
 * @throws {@link InvalidArgumentError} when Full Dates and Modified Dates are both enabled.
 * @example Basic profile with Retain UIDs
 * ```ts
 * import { deidentificationCodes } from './profile.ts';
 * const { codes, methodText } = deidentificationCodes(new Set(['retainUIDs']));
 * codes.map((c) => c.value); // ['113100', '113110']
 * methodText; // ['PS3.15 2024b Basic Application Confidentiality Profile', 'Retain UIDs Option']
 * ```
 */
export function deidentificationCodes(options: ReadonlySet<DicomOption>): { codes: { value: string; meaning: string }[]; methodText: string[] } {
  const codes: { value: string; meaning: string }[] = [{ value: '113100', meaning: 'Basic Application Confidentiality Profile' }];
  const methodText: string[] = [`PS3.15 ${PROFILE_EDITION} Basic Application Confidentiality Profile`];
  checkDateOptions(options);
  for (const option of DICOM_OPTIONS.filter((o) => options.has(o))) {
    const code = OPTION_CODES[option];
    codes.push({ value: code.value, meaning: code.meaning });
    methodText.push(code.meaning);
  }
  return { codes, methodText };
}
