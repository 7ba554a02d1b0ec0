/**
 * `health-anonymizer/dicom`: de-identification of DICOM Part 10 files at the byte level — the
 * PS3.15 Annex E Basic Application Level Confidentiality Profile and its options (default), or
 * the reference tool's DICOM configuration format — plus the parser and rewriter it is built on.
 *
 * @example Anonymizing a file with the PS3.15 Basic profile
 * ```ts
 * import { createDicomAnonymizer } from 'health-anonymizer/dicom';
 * declare const input: Uint8Array;
 * const anonymizer = createDicomAnonymizer({ key: new TextEncoder().encode('a site secret, 16+ bytes') });
 * const output = anonymizer.anonymize(input);
 * ```
 * @module
 */
import { createJsCore } from '../core/js.ts';
import { registerJsCore } from '../core/select.ts';
import { installDeflateCodec } from './deflate-codec.ts';
import { FFLATE_CODEC } from './deflate.ts';

// The SDK entry provides the pure-JS core (HEALTH_ANONYMIZER_CORE=js) as `health-anonymizer/core`
// does, and the deflate codec; the CLI loads each only when needed.
registerJsCore(createJsCore);
installDeflateCodec(FFLATE_CODEC);

export { createDicomAnonymizer, DICOM_SCANNER_ENV } from './anonymizer.ts';
export { DICOM_SCANNER_WASM_SHA256 } from './wasm-scanner.ts';
export type {
  DicomAnonymizer, DicomAnonymizerOptions, DicomAnonymizeContext, DicomAnonymizeResult, DicomProfileName, DicomWarning,
} from './anonymizer.ts';
export { parseDicom, textValue, hasLongLength, isKnownVr, UNDEFINED_LENGTH, MAX_DEPTH, PIXEL_DATA_TAG } from './parse.ts';
export type { DicomElement, DicomItem, ParsedDicom, ParseOptions } from './parse.ts';
export { rewriteDicom } from './rewrite.ts';
export type { DatasetContext, DatasetPlan, DatasetPolicy, ElementAction, NewElement, RewriteResult, WriteOptions } from './rewrite.ts';
export { lookupTag, implicitVr, tagForKeyword, formatTag, sequenceTags } from './dictionary.ts';
export type { DictionaryEntry } from './dictionary.ts';
export {
  transferSyntaxEncoding, transferSyntaxOf, IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE,
  IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
} from './transfer-syntax.ts';
export type { DatasetEncoding } from './transfer-syntax.ts';
export { encodeText, padEven, toByteOrder, decodeAscii, isTextVr } from './encode-value.ts';
export { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME, isUidExempt, createUidMapper } from './uids.ts';
export type { UidMapper } from './uids.ts';
export { ALWAYS_REMOVED } from './profile-policy.ts';
export { DICOM_OPTIONS, parseDicomOption } from './rules/options.ts';
export type { DicomOption } from './rules/options.ts';
