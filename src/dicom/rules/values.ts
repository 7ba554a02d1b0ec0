/**
 * Value functions of DICOM de-identification: dummy values, UID mapping, date shifting.
 * @module
 */
import type { CryptoCore } from '../../core/types.ts';

/**
 * A dummy value valid for the VR.
 * @param vr - Two-letter VR.
 * @param tag - The attribute tag.
 * @returns Text for string VRs, bytes for binary VRs.
 */
export function dummyValue(vr: string, tag: number): string | Uint8Array {
  void vr; void tag;
  return '';
}

/**
 * Whether a UID is in the PS3.6 Annex A registry.
 * @param uid - The UID.
 * @returns `true` for well-known UIDs.
 */
export function isWellKnownUid(uid: string): boolean {
  void uid;
  return false;
}

/**
 * Keyed deterministic UID mapping to `2.25.<decimal>`.
 * @param uid - Original UID.
 * @param key - HMAC key.
 * @param core - Crypto core.
 * @returns The new UID.
 */
export function mapUid(uid: string, key: Uint8Array, core: CryptoCore): string {
  void key; void core;
  return uid;
}

/**
 * Shifts DA or DT values by a number of days.
 * @param vr - `DA` or `DT`.
 * @param value - The value (may be multi-valued).
 * @param days - Days to add.
 * @returns The shifted value, or `undefined` when not parseable.
 */
export function shiftDate(vr: 'DA' | 'DT', value: string, days: number): string | undefined {
  void vr; void value; void days;
  return undefined;
}

/**
 * A per-patient keyed date offset.
 * @param patientId - Patient ID.
 * @param key - HMAC key.
 * @param range - Maximum absolute offset in days.
 * @param core - Crypto core.
 * @returns The offset in days.
 */
export function patientDateOffset(patientId: string, key: Uint8Array, range: number, core: CryptoCore): number {
  void patientId; void key; void range; void core;
  return 0;
}
