/**
 * One instance of the embedded WASM crypto core and typed access to its fixed regions.
 * The module's memory is sized at instantiation and the core never grows it, but every
 * view is still re-derived whenever the underlying buffer changes (a grown memory
 * detaches the old buffer), so no caller ever writes through a stale view.
 * @module
 */
import { WasmCoreError } from '../errors.ts';
import { wasmInstance } from './wasm.generated.ts';

/** The functions the WASM core exports (numbers-only ABI: addresses, lengths, codes). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  inPtr(): number;
  inCap(): number;
  outPtr(): number;
  outCap(): number;
  offsPtr(): number;
  outOffsPtr(): number;
  ivsPtr(): number;
  ivPtr(): number;
  maxBatch(): number;
  digestSize(alg: number): number;
  hashInit(alg: number): void;
  hashUpdate(alg: number, ptr: number, len: number): void;
  hashFinal(alg: number, out: number): void;
  hmacSetKey(alg: number, key: number, keyLen: number): void;
  hmacStart(alg: number): void;
  hmacFinish(alg: number, out: number): void;
  hmacBatch(alg: number, n: number, hex: number): void;
  aesTables(): void;
  aesSetKey(key: number, keyLen: number): number;
  aesClearKey(): void;
  cbcStart(): void;
  cbcEncrypt(src: number, len: number, dst: number, final: number): number;
  cbcDecrypt(src: number, len: number, dst: number, final: number): number;
  cbcBatchBase64(n: number): void;
  gcmInit(): void;
  gcmJ0Short(): void;
  gcmJ0Long(ivBytes: number): void;
  gcmStart(): void;
  ghashUpdate(ptr: number, len: number): void;
  gcmEncryptChunk(src: number, len: number, dst: number): void;
  gcmDecryptChunk(src: number, len: number, dst: number): void;
  gcmTag(aadBytes: number, ctBytes: number, out: number): void;
  ctEqual(a: number, b: number, len: number): number;
}

/** A loaded core with the addresses and sizes of its regions. */
export interface CoreHandle {
  readonly exports: CoreExports;
  /** Input window address and size. */
  readonly inPtr: number;
  readonly inCap: number;
  /** Output window address and size. */
  readonly outPtr: number;
  readonly outCap: number;
  /** Batch offset tables and IV region. */
  readonly offsPtr: number;
  readonly outOffsPtr: number;
  readonly ivsPtr: number;
  /** 64-byte slot for a key, IV, nonce or tag. */
  readonly ivPtr: number;
  readonly maxBatch: number;
  /** A byte view of the whole memory, re-derived if the buffer changed. */
  bytes(): Uint8Array;
  /** A u32 view of the whole memory, re-derived if the buffer changed. */
  words(): Uint32Array;
}

/**
 * Instantiates the embedded module.
 * @returns A handle on a new instance.
 * @throws {@link WasmCoreError} when the runtime cannot compile or instantiate the module.
 * @example Load a core
 * ```ts
 * const core = loadCore();
 * core.bytes().length >= core.inCap; // true
 * ```
 */
export function loadCore(): CoreHandle {
  let exports: CoreExports;
  try {
    exports = wasmInstance().exports as unknown as CoreExports;
    exports.aesTables();
  } catch (err) {
    throw new WasmCoreError('the embedded WASM crypto core could not be loaded', { cause: err });
  }
  let u8 = new Uint8Array(exports.memory.buffer);
  let u32 = new Uint32Array(exports.memory.buffer);
  return {
    exports,
    inPtr: exports.inPtr(),
    inCap: exports.inCap(),
    outPtr: exports.outPtr(),
    outCap: exports.outCap(),
    offsPtr: exports.offsPtr(),
    outOffsPtr: exports.outOffsPtr(),
    ivsPtr: exports.ivsPtr(),
    ivPtr: exports.ivPtr(),
    maxBatch: exports.maxBatch(),
    bytes(): Uint8Array {
      if (u8.buffer !== exports.memory.buffer) u8 = new Uint8Array(exports.memory.buffer);
      return u8;
    },
    words(): Uint32Array {
      if (u32.buffer !== exports.memory.buffer) u32 = new Uint32Array(exports.memory.buffer);
      return u32;
    },
  };
}
