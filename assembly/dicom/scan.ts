// DICOM data set scanner and (re-exported from ./rewrite) rewriter (PS3.5 §7.1–7.5: data elements, explicit and implicit VR, sequences and
// items of defined and undefined length, encapsulated pixel data §A.4). The WASM twin of
// src/dicom/parse.ts: the same walk, the same checks, written as a flat pre-order record table
// that the JS side turns into the same element tree.
//
// Memory (owned by the caller, numbers-only ABI):
//   [sqPtr, sqPtr + 4*sqCount)  sorted u32 tags whose dictionary VR is SQ (implicit VR data sets)
//   [inPtr, inPtr + inLen)      the bytes holding the data set
//   [outPtr, outPtr + 32*cap)   records of 8 i32:
//     element: kind=1, tag, vrCode (b0<<8|b1, 0 for implicit), start, valueStart, length, end, flags|items<<8
//              flags: 1 sequence, 2 encapsulated, 4 items encoded implicit VR LE
//     item:    kind=2, 0, 0, start, valueStart, length, end, elementCount
// Returns the number of records, or a negative status: -1 malformed (the JS parser then reports
// where), -2 record table full.

const UNDEFINED: u32 = 0xffffffff;
const ITEM: u32 = 0xfffee000;
const ITEM_DELIM: u32 = 0xfffee00d;
const SEQ_DELIM: u32 = 0xfffee0dd;
const PIXEL_DATA: u32 = 0x7fe00010;
const MAX_DEPTH: i32 = 64;

let inBase: usize = 0;
let sqBase: usize = 0;
let sqCount: i32 = 0;
let outBase: usize = 0;
let outCap: i32 = 0;
let count: i32 = 0;
let failed: bool = false;

// @ts-ignore: decorator
@inline function byte(pos: u32): u32 {
  return <u32>load<u8>(inBase + <usize>pos);
}

// @ts-ignore: decorator
@inline function u16At(pos: u32, le: bool): u32 {
  const v = <u32>load<u16>(inBase + <usize>pos);
  return le ? v : ((v & 0xff) << 8) | (v >> 8);
}

// @ts-ignore: decorator
@inline function u32At(pos: u32, le: bool): u32 {
  const v = load<u32>(inBase + <usize>pos);
  return le ? v : bswap<u32>(v);
}

// @ts-ignore: decorator
@inline function tagAt(pos: u32, le: bool): u32 {
  return (u16At(pos, le) << 16) | u16At(pos + 2, le);
}

/** 0 unknown VR, 1 short length form, 2 long length form. */
function vrForm(code: u32): i32 {
  switch (code) {
    case 0x4f42: case 0x4f44: case 0x4f46: case 0x4f4c: case 0x4f56: case 0x4f57: // OB OD OF OL OV OW
    case 0x5351: case 0x5543: case 0x554e: case 0x5552: case 0x5554: case 0x5356: case 0x5556: // SQ UC UN UR UT SV UV
      return 2;
    case 0x4145: case 0x4153: case 0x4154: case 0x4353: case 0x4441: case 0x4453: case 0x4454: // AE AS AT CS DA DS DT
    case 0x4644: case 0x464c: case 0x4953: case 0x4c4f: case 0x4c54: case 0x504e: case 0x5348: // FD FL IS LO LT PN SH
    case 0x534c: case 0x5353: case 0x5354: case 0x544d: case 0x5549: case 0x554c: case 0x5553: // SL SS ST TM UI UL US
      return 1;
  }
  return 0;
}

function isSqTag(tag: u32): bool {
  let lo: i32 = 0;
  let hi: i32 = sqCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = load<u32>(sqBase + (<usize>mid << 2));
    if (v == tag) return true;
    if (v < tag) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function record(kind: i32, tag: u32, vr: u32, start: u32, valueStart: u32, length: u32, end: u32, extra: i32): i32 {
  if (count >= outCap) {
    failed = true;
    return -1;
  }
  const at = outBase + (<usize>count << 5);
  store<i32>(at, kind);
  store<u32>(at, tag, 4);
  store<u32>(at, vr, 8);
  store<u32>(at, start, 12);
  store<u32>(at, valueStart, 16);
  store<u32>(at, length, 20);
  store<u32>(at, end, 24);
  store<i32>(at, extra, 28);
  return count++;
}

// @ts-ignore: decorator
@inline function setEnd(index: i32, end: u32): void {
  store<u32>(outBase + (<usize>index << 5), end, 24);
}

// @ts-ignore: decorator
@inline function setExtra(index: i32, extra: i32): void {
  store<i32>(outBase + (<usize>index << 5), extra, 28);
}

let tableFull: bool = false;

function fail(): u32 {
  failed = true;
  return 0;
}

/** Parses elements in [pos, end); returns the end position, or 0 after a failure. */
function dataset(pos: u32, end: u32, explicit: bool, le: bool, depth: i32, delimited: bool, counter: i32): u32 {
  let n: i32 = 0;
  let previous: i64 = -1;
  while (pos < end) {
    if (pos + 8 > end) return fail();
    const tag = tagAt(pos, le);
    if (tag == ITEM_DELIM) {
      if (!delimited) return fail();
      if (counter >= 0) setExtra(counter, n);
      return pos + 8;
    }
    if ((tag >>> 16) == 0xfffe) return fail();
    // Ascending order, each tag once (PS3.5 §7.1), as in parse.ts.
    if (<i64>tag <= previous) return fail();
    previous = <i64>tag;
    pos = element(pos, end, tag, explicit, le, depth);
    if (failed) return 0;
    n++;
  }
  if (delimited) return fail();
  if (counter >= 0) setExtra(counter, n);
  return pos;
}

function element(pos: u32, end: u32, tag: u32, explicit: bool, le: bool, depth: i32): u32 {
  let vr: u32 = 0;
  let length: u32;
  let valueStart: u32;
  let isSq: bool;
  let isObOw = false;
  let isUn: bool;
  if (explicit) {
    vr = (byte(pos + 4) << 8) | byte(pos + 5);
    const form = vrForm(vr);
    if (form == 0) return fail();
    if (form == 2) {
      if (pos + 12 > end) return fail();
      length = u32At(pos + 8, le);
      valueStart = pos + 12;
    } else {
      length = u16At(pos + 6, le);
      valueStart = pos + 8;
    }
    isSq = vr == 0x5351;
    isUn = vr == 0x554e;
    isObOw = vr == 0x4f42 || vr == 0x4f57;
  } else {
    length = u32At(pos + 4, le);
    valueStart = pos + 8;
    isSq = isSqTag(tag);
    isUn = !isSq;
  }
  if (length == UNDEFINED) {
    if (tag == PIXEL_DATA || (explicit && isObOw)) {
      const index = record(1, tag, vr, pos, valueStart, length, 0, 2);
      if (failed) return 0;
      const fragEnd = fragments(valueStart, end, index);
      if (failed) return 0;
      setEnd(index, fragEnd);
      return fragEnd;
    }
    if (isSq || isUn || !explicit) {
      const implicitItems = !isSq;
      const index = record(1, tag, vr, pos, valueStart, length, 0, implicitItems && explicit ? 5 : 1);
      if (failed) return 0;
      const seqEnd = sequence(valueStart, end, true, implicitItems ? false : explicit, implicitItems ? true : le, depth, index);
      if (failed) return 0;
      setEnd(index, seqEnd);
      return seqEnd;
    }
    return fail();
  }
  const valueEnd = valueStart + length;
  if (valueEnd > end || valueEnd < valueStart) return fail();
  if (isSq) {
    const index = record(1, tag, vr, pos, valueStart, length, valueEnd, 1);
    if (failed) return 0;
    sequence(valueStart, valueEnd, false, explicit, le, depth, index);
    if (failed) return 0;
    return valueEnd;
  }
  // A sequence re-encoded as UN with a defined length (PS3.5 §6.2.2; items implicit VR LE): an
  // explicit UN whose dictionary VR is SQ or whose value starts with an item tag (not Pixel Data);
  // in implicit VR, a private data element whose value starts with an item tag. Same rule as parse.ts.
  const startsWithItem = length >= 8 && tagAt(valueStart, true) == ITEM;
  const unSequence = explicit
    ? isUn && tag != PIXEL_DATA && (startsWithItem || isSqTag(tag))
    : startsWithItem && ((tag >>> 16) & 1) == 1 && (tag & 0xffff) >= 0x1000;
  if (unSequence) {
    const index = record(1, tag, vr, pos, valueStart, length, valueEnd, explicit ? 5 : 1);
    if (failed) return 0;
    sequence(valueStart, valueEnd, false, false, true, depth, index);
    if (failed) return 0;
    return valueEnd;
  }
  record(1, tag, vr, pos, valueStart, length, valueEnd, 0);
  if (failed) return 0;
  return valueEnd;
}

function sequence(pos: u32, end: u32, undefinedLength: bool, explicit: bool, le: bool, depth: i32, index: i32): u32 {
  if (depth + 1 > MAX_DEPTH) return fail();
  let items: i32 = 0;
  while (true) {
    if (!undefinedLength && pos == end) break;
    if (pos + 8 > end) return fail();
    const itemTag = tagAt(pos, le);
    if (itemTag == SEQ_DELIM) {
      if (!undefinedLength) return fail();
      pos += 8;
      break;
    }
    if (itemTag != ITEM) return fail();
    const length = u32At(pos + 4, le);
    const item = record(2, 0, 0, pos, pos + 8, length, 0, 0);
    if (failed) return 0;
    let itemEnd: u32;
    if (length == UNDEFINED) {
      itemEnd = dataset(pos + 8, end, explicit, le, depth + 1, true, item);
    } else {
      itemEnd = pos + 8 + length;
      if (itemEnd > end || itemEnd < pos) return fail();
      dataset(pos + 8, itemEnd, explicit, le, depth + 1, false, item);
    }
    if (failed) return 0;
    setEnd(item, itemEnd);
    items++;
    pos = itemEnd;
  }
  const at = outBase + (<usize>index << 5);
  store<i32>(at, (load<i32>(at, 28) & 0xff) | (items << 8), 28);
  return pos;
}

function fragments(pos: u32, end: u32, index: i32): u32 {
  let items: i32 = 0;
  while (true) {
    if (pos + 8 > end) return fail();
    const itemTag = tagAt(pos, true);
    if (itemTag == SEQ_DELIM) {
      const at = outBase + (<usize>index << 5);
      store<i32>(at, (load<i32>(at, 28) & 0xff) | (items << 8), 28);
      return pos + 8;
    }
    if (itemTag != ITEM) return fail();
    const length = u32At(pos + 4, true);
    if (length == UNDEFINED || pos + 8 + length > end || pos + 8 + length < pos) return fail();
    record(2, 0, 0, pos, pos + 8, length, pos + 8 + length, 0);
    if (failed) return 0;
    items++;
    pos += 8 + length;
  }
}

/**
 * Scans a data set.
 * @param sqPtr - Sorted SQ tags (implicit VR).
 * @param sqN - Their count.
 * @param inPtr - Start of the bytes.
 * @param start - Offset of the data set in the bytes.
 * @param inLen - Length of the bytes.
 * @param flags - 1 explicit VR, 2 little endian.
 * @param outPtr - Record table.
 * @param cap - Record capacity.
 * @returns Records written, or -1 malformed, -2 table full.
 */
export function scan(sqPtr: usize, sqN: i32, inPtr: usize, start: u32, inLen: u32, flags: i32, outPtr: usize, cap: i32): i32 {
  sqBase = sqPtr;
  sqCount = sqN;
  inBase = inPtr;
  outBase = outPtr;
  outCap = cap;
  count = 0;
  failed = false;
  tableFull = false;
  dataset(start, inLen, (flags & 1) != 0, (flags & 2) != 0, 0, false, -1);
  if (failed) return count >= outCap ? -2 : -1;
  return count;
}

/** First free byte after the module's static data: the caller's regions start here. */
export function heapBase(): usize {
  return __heap_base;
}

export { rewrite } from './rewrite';
