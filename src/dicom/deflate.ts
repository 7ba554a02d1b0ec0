/**
 * Raw deflate (RFC 1951) for the Deflated Explicit VR Little Endian transfer syntax, synchronous
 * and identical on every runtime (fflate, pure JS).
 * @module
 */
import { concatBytes } from '../util/bytes.ts';
import { Inflate, deflateSync } from 'fflate';
import { InflateLimitError, installDeflateCodec, type DeflateCodec } from './deflate-codec.ts';

export { InflateLimitError } from './deflate-codec.ts';

/**
 * The most bytes a deflated data set may inflate to: 200 times its compressed size, at least
 * 64 MiB, at most 1 GiB. Deflate reaches about 1000:1 on zeros, so without a bound a few
 * megabytes could ask for gigabytes (a decompression bomb).
 * @param compressed - Compressed size in bytes.
 * @returns The limit in bytes.
 */
export function inflateLimit(compressed: number): number {
  return Math.min(1 << 30, Math.max(64 << 20, compressed * 200));
}

/**
 * Inflates a raw deflate stream, in steps, stopping as soon as the output passes `limit`.
 * @param data - Compressed bytes.
 * @param limit - Largest output accepted, in bytes.
 * @returns The inflated bytes.
 * @throws {@link InflateLimitError} past the limit; Error from the decoder when the stream is corrupt (callers wrap both).
 */
export function inflateRaw(data: Uint8Array, limit: number = inflateLimit(data.length)): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > limit) throw new InflateLimitError('inflated data set larger than the limit');
    chunks.push(chunk);
  });
  const STEP = 1 << 16;
  for (let at = 0; at < data.length; at += STEP) inflater.push(data.subarray(at, Math.min(data.length, at + STEP)), at + STEP >= data.length);
  if (data.length === 0) inflater.push(new Uint8Array(0), true);
  return concatBytes(chunks, { reuseSingle: true });
}

/**
 * Deflates bytes as a raw deflate stream (level 6; deterministic).
 * @param data - Bytes to compress.
 * @returns The compressed stream.
 */
export function deflateRaw(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 6 });
}

/** The codec of this module, for {@link installDeflateCodec}. */
export const FFLATE_CODEC: DeflateCodec = Object.freeze({ inflateRaw, deflateRaw });

// Importing this module makes the codec available to the parser and the writer.
installDeflateCodec(FFLATE_CODEC);
