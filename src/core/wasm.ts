/**
 * The WASM crypto core: SHA-2, HMAC and AES compiled from AssemblyScript (`assembly/`),
 * embedded in the package and driven through fixed memory windows. It implements the same
 * {@link CryptoCore} interface as the pure-JS core, with the same argument checks and the
 * same error classes, and gives identical bytes.
 *
 * Batches are packed into the input window: a run of strings is joined and UTF-8 encoded
 * with one `encodeInto`; if it was all ASCII the offsets are the string lengths, otherwise
 * the run is re-encoded value by value. Inputs larger than the window are streamed, so the
 * instance's memory stays at its initial size (about 2 MiB) however much data passes.
 * @module
 */
import { CiphertextError, InvalidArgumentError } from '../errors.ts';
import {
  checkAesKey, checkBatchIvs, checkBytes, checkCbcCiphertextLength, checkGcmArgs, checkIv,
  digestLength, splitIvCiphertext,
} from './checks.ts';
import { fromBase64, messageBytes, toBase64, toHex, utf8Decode } from './encoding.ts';
import type { CryptoCore, HashAlgorithm, Message } from './types.ts';
import { type CoreHandle, loadCore } from './wasm-instance.ts';

/** getRandomValues fills at most 65,536 bytes per call (Web Crypto); larger regions go in pieces. */
function fillRandom(region: Uint8Array): Uint8Array {
  for (let at = 0; at < region.length; at += 65536) crypto.getRandomValues(region.subarray(at, Math.min(region.length, at + 65536)));
  return region;
}

export { WASM_SHA256 } from './wasm.generated.ts';

const ALG: Readonly<Record<HashAlgorithm, number>> = { sha256: 0, sha384: 1, sha512: 2 };
const encoder = new TextEncoder();
const asciiDecoder = new TextDecoder();
const handles = new WeakMap<CryptoCore, CoreHandle>();

/** Key cache check; compares every byte, so its time does not depend on where keys differ. */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The binding's state around one instance. */
class WasmBinding {
  readonly h: CoreHandle;
  private readonly hmacKeys: (Uint8Array | undefined)[] = [undefined, undefined, undefined];
  private aesKey: Uint8Array | undefined;

  constructor(h: CoreHandle) {
    this.h = h;
  }

  /** Copies `bytes` into the input window at `offset` (the caller ensures it fits). */
  put(bytes: Uint8Array, offset = 0): void {
    this.h.bytes().set(bytes, this.h.inPtr + offset);
  }

  /** Copies `len` bytes out of the output window. */
  take(len: number, offset = 0): Uint8Array {
    const start = this.h.outPtr + offset;
    return this.h.bytes().slice(start, start + len);
  }

  /** Encodes a string straight into the input window when its worst case fits, else returns its bytes. */
  stage(message: Message): number | Uint8Array {
    if (typeof message === 'string' && message.length * 3 <= this.h.inCap) {
      const window = this.h.bytes().subarray(this.h.inPtr, this.h.inPtr + this.h.inCap);
      return encoder.encodeInto(message, window).written;
    }
    const bytes = messageBytes(message);
    if (bytes.length <= this.h.inCap) {
      this.put(bytes);
      return bytes.length;
    }
    return bytes;
  }

  /** Feeds bytes to the running hash or HMAC of `alg`, one window at a time. */
  feedHash(alg: number, bytes: Uint8Array): void {
    const cap = this.h.inCap;
    for (let off = 0; off < bytes.length; off += cap) {
      const n = Math.min(cap, bytes.length - off);
      this.put(bytes.subarray(off, off + n));
      this.h.exports.hashUpdate(alg, this.h.inPtr, n);
    }
  }

  digest(alg: number, message: Message): Uint8Array {
    const ex = this.h.exports;
    ex.hashInit(alg);
    const staged = this.stage(message);
    if (typeof staged === 'number') ex.hashUpdate(alg, this.h.inPtr, staged);
    else this.feedHash(alg, staged);
    ex.hashFinal(alg, this.h.outPtr);
    return this.take(ex.digestSize(alg));
  }

  setHmacKey(alg: number, key: Uint8Array): void {
    if (sameBytes(this.hmacKeys[alg], key)) return;
    let material = key;
    if (key.length > this.h.inCap) material = this.digest(alg, key);
    this.put(material);
    this.h.exports.hmacSetKey(alg, this.h.inPtr, material.length);
    // Key material must not linger in the shared windows once the pads are derived.
    this.h.bytes().fill(0, this.h.inPtr, this.h.inPtr + material.length);
    if (material !== key) this.h.bytes().fill(0, this.h.outPtr, this.h.outPtr + material.length);
    // A copy, never a view: Buffer.prototype.slice shares memory with the caller's key.
    this.hmacKeys[alg] = new Uint8Array(key);
  }

  /** HMAC of one message under the key already set for `alg`; the tag is left in OUT. */
  mac(alg: number, message: Message): void {
    const ex = this.h.exports;
    ex.hmacStart(alg);
    const staged = this.stage(message);
    if (typeof staged === 'number') ex.hashUpdate(alg, this.h.inPtr, staged);
    else this.feedHash(alg, staged);
    ex.hmacFinish(alg, this.h.outPtr);
  }

  setAesKey(key: Uint8Array): void {
    if (sameBytes(this.aesKey, key)) return;
    this.h.bytes().set(key, this.h.ivPtr);
    this.h.exports.aesSetKey(this.h.ivPtr, key.length);
    this.h.bytes().fill(0, this.h.ivPtr, this.h.ivPtr + 64);
    this.aesKey = new Uint8Array(key);
  }

  /**
   * Packs `messages[start..]` into the input window with their offsets; returns the end index.
   * Returns `start` when the first message alone does not fit the window.
   */
  pack(messages: readonly Message[], start: number): number {
    const { inPtr, inCap, offsPtr, maxBatch } = this.h;
    const total = messages.length;
    const base = offsPtr >>> 2;
    let end = start;
    let chars = 0;
    while (end < total && end - start < maxBatch) {
      const m = messages[end];
      if (typeof m !== 'string' || chars + m.length > inCap) break;
      chars += m.length;
      end++;
    }
    if (end > start) {
      const joined = end - start === 1 ? (messages[start] as string) : messages.slice(start, end).join('');
      const window = this.h.bytes().subarray(inPtr, inPtr + inCap);
      const r = encoder.encodeInto(joined, window);
      if (r.read === joined.length && r.written === joined.length) {
        const offs = this.h.words();
        let pos = 0;
        offs[base] = 0;
        for (let i = start; i < end; i++) {
          pos += (messages[i] as string).length;
          offs[base + i - start + 1] = pos;
        }
        return end;
      }
    }
    const u8 = this.h.bytes();
    const offs = this.h.words();
    let pos = 0;
    let i = start;
    offs[base] = 0;
    while (i < total && i - start < maxBatch) {
      const m = messages[i];
      if (typeof m === 'string') {
        const r = encoder.encodeInto(m, u8.subarray(inPtr + pos, inPtr + inCap));
        if (r.read !== m.length) break;
        pos += r.written;
      } else if (m instanceof Uint8Array) {
        if (m.length > inCap - pos) break;
        u8.set(m, inPtr + pos);
        pos += m.length;
      } else {
        throw new InvalidArgumentError('"message" expected string or Uint8Array');
      }
      i++;
      offs[base + i - start] = pos;
    }
    return i;
  }

  /** AES-CBC with PKCS#7 over any length; the key and IV must be set. */
  cbcEncryptBytes(plain: Uint8Array): Uint8Array {
    const ex = this.h.exports;
    const out = new Uint8Array((Math.floor(plain.length / 16) + 1) * 16);
    const cap = this.h.inCap;
    let off = 0;
    for (;;) {
      const n = Math.min(cap, plain.length - off);
      const final = off + n === plain.length;
      this.put(plain.subarray(off, off + n));
      const written = ex.cbcEncrypt(this.h.inPtr, n, this.h.outPtr, final ? 1 : 0);
      out.set(this.take(written), off);
      off += n;
      if (final) return out;
    }
  }

  /** AES-CBC decryption and PKCS#7 check; nothing is returned unless the padding is valid. */
  cbcDecryptBytes(cipher: Uint8Array): Uint8Array {
    const ex = this.h.exports;
    const out = new Uint8Array(cipher.length);
    const cap = this.h.inCap;
    let off = 0;
    for (;;) {
      const n = Math.min(cap, cipher.length - off);
      const final = off + n === cipher.length;
      this.put(cipher.subarray(off, off + n));
      const written = ex.cbcDecrypt(this.h.inPtr, n, this.h.outPtr, final ? 1 : 0);
      if (written < 0) {
        out.fill(0);
        this.h.bytes().fill(0, this.h.outPtr, this.h.outPtr + n);
        throw new CiphertextError('ciphertext has invalid padding');
      }
      out.set(this.take(written), off);
      off += n;
      if (final) return out.subarray(0, off - n + written);
    }
  }

  setIv(iv: Uint8Array): void {
    this.h.bytes().set(iv, this.h.ivPtr);
    this.h.exports.cbcStart();
  }

  /** GCM setup: H, J0 for any nonce length, then the AAD into GHASH. */
  gcmBegin(nonce: Uint8Array, aad: Uint8Array | undefined): void {
    const ex = this.h.exports;
    ex.gcmInit();
    if (nonce.length === 12) {
      this.h.bytes().set(nonce, this.h.ivPtr);
      ex.gcmJ0Short();
    } else {
      this.ghash(nonce);
      ex.gcmJ0Long(nonce.length);
    }
    ex.gcmStart();
    if (aad !== undefined) this.ghash(aad);
  }

  private ghash(bytes: Uint8Array): void {
    const cap = this.h.inCap;
    for (let off = 0; off < bytes.length; off += cap) {
      const n = Math.min(cap, bytes.length - off);
      this.put(bytes.subarray(off, off + n));
      this.h.exports.ghashUpdate(this.h.inPtr, n);
    }
  }

  gcmRun(src: Uint8Array, out: Uint8Array, encrypt: boolean): void {
    const ex = this.h.exports;
    const cap = this.h.inCap;
    for (let off = 0; off < src.length; off += cap) {
      const n = Math.min(cap, src.length - off);
      this.put(src.subarray(off, off + n));
      if (encrypt) ex.gcmEncryptChunk(this.h.inPtr, n, this.h.outPtr);
      else ex.gcmDecryptChunk(this.h.inPtr, n, this.h.outPtr);
      out.set(this.take(n), off);
    }
  }
}

/**
 * Creates a WASM core with its own instance of the embedded module.
 * @returns A {@link CryptoCore} whose `kind` is `'wasm'`.
 * @throws {@link WasmCoreError} when the runtime cannot load the module (for example, no WASM SIMD).
 * @example HMAC-SHA-256 hex of many values in one call
 * ```ts
 * import { createWasmCore } from 'health-anonymizer/core';
 * const core = createWasmCore();
 * core.hmacHexBatch('sha256', new TextEncoder().encode('123'), ['abc']);
 * // ['8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae']
 * ```
 */
export function createWasmCore(): CryptoCore {
  const b = new WasmBinding(loadCore());
  const h = b.h;
  const ex = h.exports;

  function hmacInto(algorithm: HashAlgorithm, key: Uint8Array, messages: readonly Message[], hex: boolean): Uint8Array | string[] {
    checkBytes('key', key);
    const dl = digestLength(algorithm);
    const alg = ALG[algorithm];
    b.setHmacKey(alg, key);
    const n = messages.length;
    const raw = hex ? undefined : new Uint8Array(n * dl);
    const strings: string[] | undefined = hex ? new Array<string>(n) : undefined;
    const size = hex ? dl * 2 : dl;
    let i = 0;
    while (i < n) {
      const end = b.pack(messages, i);
      if (end === i) {
        b.mac(alg, messages[i]!);
        const tag = b.take(dl);
        if (raw) raw.set(tag, i * dl);
        else strings![i] = toHex(tag);
        i++;
        continue;
      }
      const count = end - i;
      ex.hmacBatch(alg, count, hex ? 1 : 0);
      if (raw) {
        raw.set(h.bytes().subarray(h.outPtr, h.outPtr + count * dl), i * dl);
      } else {
        const text = asciiDecoder.decode(h.bytes().subarray(h.outPtr, h.outPtr + count * size));
        for (let k = 0; k < count; k++) strings![i + k] = text.slice(k * size, (k + 1) * size);
      }
      i = end;
    }
    return raw ?? strings!;
  }

  const core: CryptoCore = {
    kind: 'wasm',
    hash(algorithm, data) {
      digestLength(algorithm);
      return b.digest(ALG[algorithm], data);
    },
    hmac(algorithm, key, data) {
      checkBytes('key', key);
      const dl = digestLength(algorithm);
      const alg = ALG[algorithm];
      b.setHmacKey(alg, key);
      b.mac(alg, data);
      return b.take(dl);
    },
    hmacBatch(algorithm, key, messages) {
      return hmacInto(algorithm, key, messages, false) as Uint8Array;
    },
    hmacHexBatch(algorithm, key, messages) {
      return hmacInto(algorithm, key, messages, true) as string[];
    },
    aesCbcEncrypt(key, iv, plaintext) {
      checkAesKey(key);
      checkIv(iv);
      const plain = messageBytes(plaintext);
      b.setAesKey(key);
      b.setIv(iv);
      return b.cbcEncryptBytes(plain);
    },
    aesCbcDecrypt(key, iv, ciphertext) {
      checkAesKey(key);
      checkIv(iv);
      checkBytes('ciphertext', ciphertext);
      checkCbcCiphertextLength(ciphertext.length);
      b.setAesKey(key);
      b.setIv(iv);
      return b.cbcDecryptBytes(ciphertext).slice();
    },
    aesGcmEncrypt(key, nonce, plaintext, aad) {
      checkGcmArgs(key, nonce, aad);
      const plain = messageBytes(plaintext);
      b.setAesKey(key);
      b.gcmBegin(nonce, aad);
      const out = new Uint8Array(plain.length + 16);
      b.gcmRun(plain, out, true);
      ex.gcmTag(aad?.length ?? 0, plain.length, h.ivPtr);
      out.set(h.bytes().subarray(h.ivPtr, h.ivPtr + 16), plain.length);
      return out;
    },
    aesGcmDecrypt(key, nonce, sealed, aad) {
      checkGcmArgs(key, nonce, aad, sealed);
      const ctLen = sealed.length - 16;
      b.setAesKey(key);
      b.gcmBegin(nonce, aad);
      const out = new Uint8Array(ctLen);
      b.gcmRun(sealed.subarray(0, ctLen), out, false);
      ex.gcmTag(aad?.length ?? 0, ctLen, h.ivPtr);
      h.bytes().set(sealed.subarray(ctLen), h.ivPtr + 16);
      if (ex.ctEqual(h.ivPtr, h.ivPtr + 16, 16) !== 1) {
        out.fill(0);
        h.bytes().fill(0, h.outPtr, h.outPtr + Math.min(ctLen, h.inCap));
        throw new CiphertextError('authentication tag does not match');
      }
      return out;
    },
    encryptTextsCbcBase64(key, texts, ivs) {
      checkAesKey(key);
      checkBatchIvs(ivs, texts.length);
      b.setAesKey(key);
      const n = texts.length;
      const out: string[] = new Array<string>(n);
      let i = 0;
      while (i < n) {
        const end = b.pack(texts, i);
        if (end === i) {
          const iv = ivs ? ivs.slice(i * 16, i * 16 + 16) : fillRandom(new Uint8Array(16));
          b.setIv(iv);
          const ct = b.cbcEncryptBytes(messageBytes(texts[i]!));
          const joined = new Uint8Array(16 + ct.length);
          joined.set(iv);
          joined.set(ct, 16);
          out[i] = toBase64(joined);
          i++;
          continue;
        }
        const count = end - i;
        const ivRegion = h.bytes().subarray(h.ivsPtr, h.ivsPtr + count * 16);
        if (ivs) ivRegion.set(ivs.subarray(i * 16, end * 16));
        else fillRandom(ivRegion);
        ex.cbcBatchBase64(count);
        const words = h.words();
        const ob = h.outOffsPtr >>> 2;
        const text = asciiDecoder.decode(h.bytes().subarray(h.outPtr, h.outPtr + words[ob + count]!));
        for (let k = 0; k < count; k++) out[i + k] = text.slice(words[ob + k]!, words[ob + k + 1]!);
        i = end;
      }
      return out;
    },
    decryptTextCbcBase64(key, base64) {
      checkAesKey(key);
      const { iv, ciphertext } = splitIvCiphertext(fromBase64(base64));
      b.setAesKey(key);
      b.setIv(iv);
      return utf8Decode(b.cbcDecryptBytes(ciphertext));
    },
    toHex,
    toBase64,
    fromBase64,
  };
  handles.set(core, h);
  return core;
}

/**
 * Size in bytes of the WASM memory behind a core made by {@link createWasmCore}; it stays
 * at its initial size because large inputs are streamed through fixed windows.
 * @param core - A WASM core.
 * @returns The memory's byte length.
 * @throws {@link InvalidArgumentError} when `core` is not a WASM core.
 * @example Check the memory bound after a long run
 * ```ts
 * import { createWasmCore, wasmMemoryBytes } from 'health-anonymizer/core';
 * const core = createWasmCore();
 * core.hash('sha256', new Uint8Array(64 << 20));
 * wasmMemoryBytes(core) < 4 << 20; // true
 * ```
 */
export function wasmMemoryBytes(core: CryptoCore): number {
  const h = handles.get(core);
  if (h === undefined) throw new InvalidArgumentError('"core" expected a core made by createWasmCore');
  return h.exports.memory.buffer.byteLength;
}
