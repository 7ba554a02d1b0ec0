/**
 * DICOM PS3.15 Table E.1-1 (edition 2024b): the action of the Basic Application Level
 * Confidentiality Profile and its options on each attribute.
 * @module
 */
import type { DicomOption } from './options.ts';

/**
 * An action code of Table E.1-1 after resolution of conditional codes:
 * D replace with a dummy value, Z replace with zero length or dummy, X remove,
 * K keep, C clean (replace identifying text with similar non-identifying values),
 * U replace a UID with a consistent non-identifying one.
 */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

/** A code for (0012,0064) De-identification Method Code Sequence (CID 7050). */
export interface DeidentificationCode {
  /** Code Value, e.g. `113100`. */
  readonly value: string;
  /** Code Meaning, e.g. `Basic Application Confidentiality Profile`. */
  readonly meaning: string;
}

/**
 * The action for one attribute tag under the given options.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @param options - The enabled options.
 * @returns The action, or `undefined` when the attribute is not in the table.
 */
export function profileAction(tag: number, options: ReadonlySet<DicomOption>): ProfileAction | undefined {
  void tag; void options;
  return undefined;
}

/**
 * Whether a private attribute is on the safe list of Table E.3.10-1.
 * @param group - Odd group number.
 * @param element - Full element number (block in the high byte).
 * @param creator - The private creator string of the block.
 * @returns `true` when listed.
 */
export function isSafePrivate(group: number, element: number, creator: string): boolean {
  void group; void element; void creator;
  return false;
}

/**
 * Codes for (0012,0064) and texts for (0012,0063).
 * @param options - The enabled options.
 * @returns The codes and method texts.
 */
export function deidentificationCodes(options: ReadonlySet<DicomOption>): { codes: { value: string; meaning: string }[]; methodText: string[] } {
  void options;
  return { codes: [], methodText: [] };
}
