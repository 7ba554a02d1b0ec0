/**
 * The slot that holds the raw-deflate codec of the Deflated Explicit VR Little Endian transfer
 * syntax. The parser and the writer reach the codec through it, so the codec's library (fflate,
 * about 9 ms of module start-up) loads only where deflated files can occur: the SDK entry
 * installs it on import, the CLI when it first meets a deflated file.
 * @module
 */
import { UnsupportedError } from '../errors.ts';

/** Thrown by a codec's `inflateRaw` when the output would pass its limit. */
export class InflateLimitError extends Error {}

/** Raw deflate (RFC 1951), synchronous. */
export interface DeflateCodec {
  /** Inflates a raw deflate stream; throws {@link InflateLimitError} past `limit` bytes. */
  readonly inflateRaw: (data: Uint8Array, limit?: number) => Uint8Array;
  /** Deflates bytes as a raw deflate stream (deterministic). */
  readonly deflateRaw: (data: Uint8Array) => Uint8Array;
}

let installed: DeflateCodec | undefined;

/**
 * Installs the codec (the first one installed stays).
 * @param codec - The codec, normally `FFLATE_CODEC` of `deflate.ts`.
 * @returns Nothing.
 * @example Installing the bundled codec
 * ```ts
 * import { FFLATE_CODEC } from './deflate.ts';
 * installDeflateCodec(FFLATE_CODEC);
 * ```
 */
export function installDeflateCodec(codec: DeflateCodec): void {
  installed ??= codec;
}

/**
 * Whether a codec is installed.
 * @returns `true` once {@link installDeflateCodec} was called.
 * @example
 * ```ts
 * if (!hasDeflateCodec()) installDeflateCodec((await import('./deflate.ts')).FFLATE_CODEC);
 * ```
 */
export function hasDeflateCodec(): boolean {
  return installed !== undefined;
}

/**
 * The installed codec.
 * @param file - File name for the error location.
 * @param offset - Byte offset of the deflated data for the error location.
 * @returns The codec.
 * @throws {@link UnsupportedError} when none is installed (import `health-anonymizer/dicom`).
 * @example
 * ```ts
 * const inflated = deflateCodec().inflateRaw(compressed);
 * ```
 */
export function deflateCodec(file?: string, offset?: number): DeflateCodec {
  if (installed === undefined) {
    throw new UnsupportedError('deflated data set: the deflate codec is not loaded (import health-anonymizer/dicom)', {
      location: { ...(file !== undefined ? { file } : {}), ...(offset !== undefined ? { offset } : {}) },
    });
  }
  return installed;
}
