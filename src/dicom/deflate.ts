/**
 * Raw deflate (RFC 1951) for the Deflated Explicit VR Little Endian transfer syntax, synchronous
 * and identical on every runtime (fflate, pure JS).
 * @module
 */
import { deflateSync, inflateSync } from 'fflate';

/**
 * Inflates a raw deflate stream.
 * @param data - Compressed bytes.
 * @returns The inflated bytes.
 * @throws Error from the decoder when the stream is corrupt (callers wrap it).
 */
export function inflateRaw(data: Uint8Array): Uint8Array {
  return inflateSync(data);
}

/**
 * Deflates bytes as a raw deflate stream (level 6; deterministic).
 * @param data - Bytes to compress.
 * @returns The compressed stream.
 */
export function deflateRaw(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 6 });
}
