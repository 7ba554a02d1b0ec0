/**
 * Transfer syntaxes (PS3.5 §10 and Annex A): how a data set is encoded on the wire.
 * @module
 */

/** How the elements of a data set are encoded. */
export interface DatasetEncoding {
  /** Byte order of tags, lengths and binary values. */
  readonly littleEndian: boolean;
  /** Whether each element header carries its VR. */
  readonly explicitVr: boolean;
}

/** Implicit VR Little Endian, the DICOM default. */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
/** Explicit VR Little Endian. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Deflated Explicit VR Little Endian (the whole data set is deflate-compressed, RFC 1951). */
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
/** Explicit VR Big Endian (retired, still found in archives). */
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Encoding of implicit VR little endian data sets (also used inside UN sequences). */
export const IMPLICIT_LE: DatasetEncoding = Object.freeze({ littleEndian: true, explicitVr: false });
/** Encoding of explicit VR little endian data sets (and of the file meta group). */
export const EXPLICIT_LE: DatasetEncoding = Object.freeze({ littleEndian: true, explicitVr: true });
/** Encoding of explicit VR big endian data sets. */
export const EXPLICIT_BE: DatasetEncoding = Object.freeze({ littleEndian: false, explicitVr: true });

/**
 * The data set encoding of a transfer syntax. Every transfer syntax other than the implicit
 * and big-endian ones encodes its data set as explicit VR little endian (compressed pixel data
 * lives in encapsulated fragments).
 * @param uid - Transfer Syntax UID, without padding.
 * @returns The encoding and whether the data set is deflated.
 * @example
 * ```ts
 * import { transferSyntaxEncoding } from 'health-anonymizer/dicom';
 * transferSyntaxEncoding('1.2.840.10008.1.2').encoding.explicitVr; // false
 * ```
 */
export function transferSyntaxEncoding(uid: string): { readonly encoding: DatasetEncoding; readonly deflated: boolean } {
  switch (uid) {
    case IMPLICIT_VR_LITTLE_ENDIAN: return { encoding: IMPLICIT_LE, deflated: false };
    case EXPLICIT_VR_BIG_ENDIAN: return { encoding: EXPLICIT_BE, deflated: false };
    case DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN: return { encoding: EXPLICIT_LE, deflated: true };
    default: return { encoding: EXPLICIT_LE, deflated: false };
  }
}

/**
 * The transfer syntax UID that names an encoding (for files written without file meta).
 * @param encoding - A data set encoding.
 * @returns Its transfer syntax UID.
 * @example
 * ```ts
 * import { transferSyntaxOf, IMPLICIT_LE } from 'health-anonymizer/dicom';
 * transferSyntaxOf(IMPLICIT_LE); // '1.2.840.10008.1.2'
 * ```
 */
export function transferSyntaxOf(encoding: DatasetEncoding): string {
  if (!encoding.explicitVr) return IMPLICIT_VR_LITTLE_ENDIAN;
  return encoding.littleEndian ? EXPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_BIG_ENDIAN;
}
