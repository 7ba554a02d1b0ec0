/**
 * Byte and text encodings shared by the JS core and the WASM binding:
 * UTF-8, lowercase hex and strict standard Base64 (RFC 4648 §4).
 * @module
 */
import { CiphertextError, InvalidArgumentError } from '../errors.ts';
import type { Message } from './types.ts';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 bytes of a message (bytes are returned as they are).
 * @param message - Text or bytes.
 * @returns The bytes.
 */
export function messageBytes(message: Message): Uint8Array {
  if (typeof message === 'string') return encoder.encode(message);
  if (message instanceof Uint8Array) return message;
  throw new InvalidArgumentError('"message" expected string or Uint8Array');
}

/**
 * Strict UTF-8 decoding; malformed bytes are an error, never replaced.
 * @param bytes - UTF-8 bytes.
 * @returns The text.
 * @throws {@link CiphertextError} when the bytes are not valid UTF-8.
 */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new CiphertextError('decrypted bytes are not valid UTF-8');
  }
}

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

/**
 * Lowercase hex.
 * @param bytes - Any bytes.
 * @returns Two hex digits per byte.
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!];
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/**
 * Standard Base64 with `=` padding.
 * @param bytes - Any bytes.
 * @returns The Base64 text.
 */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
  }
  if (i < n) {
    const b1 = i + 1 < n ? bytes[i + 1]! : 0;
    const v = (bytes[i]! << 16) | (b1 << 8);
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + (i + 1 < n ? B64[(v >> 6) & 63]! : '=') + '=';
  }
  return out;
}

/**
 * Strict standard Base64 decoding: the length must be a multiple of 4, only the
 * RFC 4648 alphabet is allowed, padding only at the end, and unused bits must be zero.
 * @param text - Base64 text.
 * @returns The decoded bytes.
 * @throws {@link CiphertextError} on any deviation.
 */
export function fromBase64(text: string): Uint8Array {
  const len = text.length;
  if (len % 4 !== 0) throw new CiphertextError('Base64 length is not a multiple of 4');
  let pad = 0;
  if (len > 0 && text.charCodeAt(len - 1) === 61) pad = text.charCodeAt(len - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((len / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const last = i + 4 === len;
    const quad = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      if (last && c === 61 && j >= 4 - pad) continue;
      const v = c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) throw new CiphertextError(`invalid Base64 character at index ${i + j}`);
      quad[j] = v;
    }
    const v = (quad[0]! << 18) | (quad[1]! << 12) | (quad[2]! << 6) | quad[3]!;
    if (last && pad > 0) {
      if ((pad === 2 && (v & 0xffff) !== 0) || (pad === 1 && (v & 0xff) !== 0)) {
        throw new CiphertextError('Base64 has non-zero padding bits');
      }
    }
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}
