// Fixed scratch regions of the WASM crypto core.
//
// The core never allocates: every buffer below is reserved statically with
// `memory.data`, so the instance's memory is sized once at instantiation and
// never grows, however many values or bytes pass through it. Large inputs are
// streamed through the IN window by the JS binding.

/** Input window: messages, keys, plaintexts and ciphertexts are copied here. */
export const IN_CAP: u32 = 512 * 1024;
export const IN: usize = memory.data(<i32>IN_CAP, 64);

/** Output window: digests, hex, ciphertexts and Base64 text are written here. */
export const OUT_CAP: u32 = 1024 * 1024;
export const OUT: usize = memory.data(<i32>OUT_CAP, 64);

/** Scratch for one batch item's IV ‖ ciphertext before Base64 encoding. */
export const CT_CAP: u32 = IN_CAP + 64;
export const CT: usize = memory.data(<i32>CT_CAP, 64);

/** Most values in one batch call. */
export const MAX_BATCH: u32 = 4096;
/** Offset table of a batch: MAX_BATCH + 1 little-endian u32 byte offsets into IN. */
export const OFFS: usize = memory.data(<i32>((MAX_BATCH + 1) * 4), 16);
/** Offset table of a batch's outputs: MAX_BATCH + 1 u32 byte offsets into OUT. */
export const OUT_OFFS: usize = memory.data(<i32>((MAX_BATCH + 1) * 4), 16);
/** IVs of a batch: 16 bytes per value. */
export const IVS: usize = memory.data(<i32>(MAX_BATCH * 16), 16);
/** A 16-byte IV, nonce or tag exchanged with JS. */
export const IV: usize = memory.data(64, 16);
