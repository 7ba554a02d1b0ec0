// Lowercase hex (RFC 4648 §8) and standard Base64 with padding (RFC 4648 §4),
// used to format batch outputs without leaving WASM.

const HEX_DIGITS: usize = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
]);

const B64_ALPHABET: usize = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118,
  119, 120, 121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

/** Writes `2 * len` lowercase hex digits of `src[0..len)` to `dst`. */
export function hexEncode(src: usize, len: usize, dst: usize): void {
  for (let i: usize = 0; i < len; i++) {
    const b = <usize>load<u8>(src + i);
    store<u8>(dst + (i << 1), load<u8>(HEX_DIGITS + (b >> 4)));
    store<u8>(dst + (i << 1) + 1, load<u8>(HEX_DIGITS + (b & 15)));
  }
}

/** Length of the padded Base64 text of `len` bytes. */
// @ts-ignore: decorator
@inline export function base64Length(len: usize): usize {
  return ((len + 2) / 3) << 2;
}

/** Writes the padded Base64 text of `src[0..len)` to `dst`; returns its length. */
export function base64Encode(src: usize, len: usize, dst: usize): usize {
  let i: usize = 0;
  let o: usize = dst;
  while (i + 3 <= len) {
    const v = (<u32>load<u8>(src + i) << 16) | (<u32>load<u8>(src + i + 1) << 8) | <u32>load<u8>(src + i + 2);
    store<u8>(o, load<u8>(B64_ALPHABET + (v >> 18)));
    store<u8>(o + 1, load<u8>(B64_ALPHABET + ((v >> 12) & 63)));
    store<u8>(o + 2, load<u8>(B64_ALPHABET + ((v >> 6) & 63)));
    store<u8>(o + 3, load<u8>(B64_ALPHABET + (v & 63)));
    i += 3;
    o += 4;
  }
  const rest = len - i;
  if (rest > 0) {
    let v = <u32>load<u8>(src + i) << 16;
    if (rest == 2) v |= <u32>load<u8>(src + i + 1) << 8;
    store<u8>(o, load<u8>(B64_ALPHABET + (v >> 18)));
    store<u8>(o + 1, load<u8>(B64_ALPHABET + ((v >> 12) & 63)));
    store<u8>(o + 2, rest == 2 ? load<u8>(B64_ALPHABET + ((v >> 6) & 63)) : 61);
    store<u8>(o + 3, 61);
    o += 4;
  }
  return o - dst;
}
