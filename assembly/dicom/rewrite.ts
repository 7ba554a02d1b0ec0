// DICOM data set rewriter (PS3.5 §7.1–7.5): the WASM twin of the Rewriter in src/dicom/rewrite.ts.
// It walks the record table written by scan(), applies one action per element record (decided in JS
// by the policy), inserts pre-encoded elements, recomputes defined lengths of changed items and
// sequences and of changed groups' (gggg,0000), and copies unchanged subtrees byte for byte.
//
// Tables (caller-owned memory):
//   records  [recPtr]  8 × u32 per record, as written by scan()
//   actions  [actPtr]  4 × u32 per record: kind (0 keep, 1 recurse, 2 remove, 3 empty, 4 replace),
//                      value pointer, value length, VR code for replace (0: the element's own VR)
//   inserts  [insPtr]  4 × u32 per insert, sorted by (dataset key, tag): dataset key (0xFFFFFFFF for
//                      the top level, else the item record index), tag, pointer, length (bytes
//                      already encoded in the data set's encoding)
//   output   [dstPtr, dstPtr + cap)
// Returns the output length; -2 when the output does not fit; -3 when a value is too long for a
// short-length VR (the JS rewriter then reports it).

const UNDEFINED: u32 = 0xffffffff;
const ITEM: u32 = 0xfffee000;
const ITEM_DELIM: u32 = 0xfffee00d;
const SEQ_DELIM: u32 = 0xfffee0dd;

let src: usize = 0;
let rec: usize = 0;
let act: usize = 0;
let ins: usize = 0;
let insCount: i32 = 0;
let dst: usize = 0;
let cap: u32 = 0;
let pos: u32 = 0;
let status: i32 = 0;

// @ts-ignore: decorator
@inline function r32(index: i32, field: i32): u32 {
  return load<u32>(rec + (<usize>index << 5) + (<usize>field << 2));
}

// @ts-ignore: decorator
@inline function a32(index: i32, field: i32): u32 {
  return load<u32>(act + (<usize>index << 4) + (<usize>field << 2));
}

// @ts-ignore: decorator
@inline function i32At(index: i32, field: i32): u32 {
  return load<u32>(ins + (<usize>index << 4) + (<usize>field << 2));
}

function room(n: u32): bool {
  if (pos + n > cap) {
    if (status == 0) status = -2;
    return false;
  }
  return true;
}

function put16(v: u32, le: bool): void {
  if (!room(2)) return;
  store<u16>(dst + <usize>pos, <u16>(le ? v : ((v & 0xff) << 8) | ((v >> 8) & 0xff)));
  pos += 2;
}

function put32(v: u32, le: bool): void {
  if (!room(4)) return;
  store<u32>(dst + <usize>pos, le ? v : bswap<u32>(v));
  pos += 4;
}

function copy(from: u32, to: u32): void {
  const n = to - from;
  if (!room(n)) return;
  memory.copy(dst + <usize>pos, src + <usize>from, <usize>n);
  pos += n;
}

function copyAbs(ptr: u32, n: u32): void {
  if (!room(n)) return;
  memory.copy(dst + <usize>pos, <usize>ptr, <usize>n);
  pos += n;
}

function isLong(vr: u32): bool {
  switch (vr) {
    case 0x4f42: case 0x4f44: case 0x4f46: case 0x4f4c: case 0x4f56: case 0x4f57:
    case 0x5351: case 0x5543: case 0x554e: case 0x5552: case 0x5554: case 0x5356: case 0x5556:
      return true;
  }
  return false;
}

/** Writes a header; returns the length field's position, negated minus one for 2-byte fields. */
function header(tag: u32, vr: u32, length: u32, explicit: bool, le: bool): i64 {
  put16(tag >>> 16, le);
  put16(tag & 0xffff, le);
  if (!explicit) {
    put32(length, le);
    return <i64>(pos - 4);
  }
  if (!room(2)) return 0;
  store<u8>(dst + <usize>pos, <u8>(vr >> 8));
  store<u8>(dst + <usize>pos + 1, <u8>(vr & 0xff));
  pos += 2;
  if (isLong(vr)) {
    put16(0, le);
    put32(length, le);
    return <i64>(pos - 4);
  }
  if (length > 0xffff) {
    if (status == 0) status = -3;
    return 0;
  }
  put16(length, le);
  return -<i64>(pos - 2) - 1;
}

function patch(mark: i64, length: u32, le: bool): void {
  if (status != 0) return;
  if (mark < 0) {
    if (length > 0xffff) {
      status = -3;
      return;
    }
    const at = <u32>(-mark - 1);
    store<u16>(dst + <usize>at, <u16>(le ? length : ((length & 0xff) << 8) | ((length >> 8) & 0xff)));
  } else {
    store<u32>(dst + <usize>(<u32>mark), le ? length : bswap<u32>(length));
  }
}

/** Index of the record after an element's subtree. */
function skipElement(r: i32): i32 {
  const extra = r32(r, 7);
  const flags = extra & 0xff;
  const n = <i32>(extra >>> 8);
  r++;
  if ((flags & 3) != 0) {
    for (let k = 0; k < n; k++) {
      const m = <i32>r32(r, 7);
      r++;
      if ((flags & 1) != 0) for (let j = 0; j < m; j++) r = skipElement(r);
    }
  }
  return r;
}

function dataset(first: i32, count: i32, explicit: bool, le: bool, key: u32): bool {
  // This data set's inserts.
  let insAt: i32 = 0;
  while (insAt < insCount && i32At(insAt, 0) != key) insAt++;
  let changed = insAt < insCount && i32At(insAt, 0) == key;
  let glMark: i64 = 0;
  let glSet = false;
  let glGroup: i32 = -1;
  let glStart: u32 = 0;
  let glChanged = false;
  let r = first;
  for (let i = 0; i <= count; i++) {
    const last = i == count;
    const tag: u32 = last ? 0 : r32(r, 1);
    while (insAt < insCount && i32At(insAt, 0) == key && (last || i32At(insAt, 1) <= tag)) {
      const itag = i32At(insAt, 1);
      if (glGroup != -1 && <i32>(itag >>> 16) != glGroup) {
        if (glSet && glChanged) patch(glMark, pos - glStart, le);
        glSet = false;
        glGroup = -1;
      }
      glChanged = true;
      copyAbs(i32At(insAt, 2), i32At(insAt, 3));
      insAt++;
    }
    if (last) break;
    if (glGroup != -1 && <i32>(tag >>> 16) != glGroup) {
      if (glSet && glChanged) patch(glMark, pos - glStart, le);
      glSet = false;
      glGroup = -1;
    }
    const next = skipElement(r);
    if (insAt > 0 && i32At(insAt - 1, 0) == key && i32At(insAt - 1, 1) == tag) {
      changed = true;
      glChanged = true;
      r = next;
      continue;
    }
    const kind = a32(r, 0);
    const vr = r32(r, 2);
    const start = r32(r, 3);
    const valueStart = r32(r, 4);
    const length = r32(r, 5);
    const end = r32(r, 6);
    const flags = r32(r, 7) & 0xff;
    if (kind == 0) {
      if ((tag & 0xffff) == 0 && length == 4 && (flags & 3) == 0) {
        if (glSet && glChanged) patch(glMark, pos - glStart, le);
        header(tag, vr, 4, explicit, le);
        glMark = <i64>pos;
        glSet = true;
        copy(valueStart, end);
        glGroup = <i32>(tag >>> 16);
        glStart = pos;
        glChanged = false;
      } else {
        copy(start, end);
      }
    } else if (kind == 2) {
      changed = true;
      glChanged = true;
    } else if (kind == 3) {
      changed = true;
      glChanged = true;
      if ((flags & 1) != 0 && length == UNDEFINED) {
        header(tag, vr, UNDEFINED, explicit, le);
        put16(SEQ_DELIM >>> 16, le);
        put16(SEQ_DELIM & 0xffff, le);
        put32(0, le);
      } else {
        header(tag, vr, 0, explicit, le);
      }
    } else if (kind == 4) {
      changed = true;
      glChanged = true;
      const newVr = a32(r, 3);
      const n = a32(r, 2);
      header(tag, newVr != 0 ? newVr : vr, n, explicit, le);
      if (n > 0) copyAbs(a32(r, 1), n);
    } else if (kind == 1) {
      if (sequence(r, explicit, le)) {
        changed = true;
        glChanged = true;
      }
    }
    r = next;
  }
  if (glSet && glChanged) patch(glMark, pos - glStart, le);
  return changed;
}

function sequence(r: i32, explicit: bool, le: bool): bool {
  const tag = r32(r, 1);
  const vr = r32(r, 2);
  const start = r32(r, 3);
  const valueStart = r32(r, 4);
  const length = r32(r, 5);
  const end = r32(r, 6);
  const extra = r32(r, 7);
  const flags = extra & 0xff;
  const n = <i32>(extra >>> 8);
  if ((flags & 1) == 0) {
    header(tag, vr, length, explicit, le);
    copy(valueStart, end);
    return true;
  }
  const itemExplicit = (flags & 4) != 0 ? false : explicit;
  const itemLe = (flags & 4) != 0 ? true : le;
  const startPos = pos;
  const undefinedLength = length == UNDEFINED;
  const mark = header(tag, vr, undefinedLength ? UNDEFINED : 0, explicit, le);
  const contentStart = pos;
  let changed = false;
  let ir = r + 1;
  for (let k = 0; k < n; k++) {
    if (item(ir, itemExplicit, itemLe)) changed = true;
    const m = <i32>r32(ir, 7);
    ir++;
    for (let j = 0; j < m; j++) ir = skipElement(ir);
  }
  if (!changed) {
    pos = startPos;
    copy(start, end);
    return false;
  }
  if (undefinedLength) {
    put16(SEQ_DELIM >>> 16, le);
    put16(SEQ_DELIM & 0xffff, le);
    put32(0, le);
  } else {
    patch(mark, pos - contentStart, le);
  }
  return true;
}

function item(ir: i32, explicit: bool, le: bool): bool {
  const start = r32(ir, 3);
  const length = r32(ir, 5);
  const end = r32(ir, 6);
  const count = <i32>r32(ir, 7);
  const startPos = pos;
  const undefinedLength = length == UNDEFINED;
  put16(ITEM >>> 16, le);
  put16(ITEM & 0xffff, le);
  put32(undefinedLength ? UNDEFINED : 0, le);
  const mark = <i64>(pos - 4);
  const bodyStart = pos;
  const changed = dataset(ir + 1, count, explicit, le, <u32>ir);
  if (!changed) {
    pos = startPos;
    copy(start, end);
    return false;
  }
  if (undefinedLength) {
    put16(ITEM_DELIM >>> 16, le);
    put16(ITEM_DELIM & 0xffff, le);
    put32(0, le);
  } else {
    patch(mark, pos - bodyStart, le);
  }
  return true;
}

/**
 * Rewrites the top-level data set described by the record table.
 * @returns Output length, or -2 (output full) / -3 (value too long for its VR).
 */
export function rewrite(inPtr: usize, recPtr: usize, topCount: i32, actPtr: usize, insPtr: usize, insN: i32, flags: i32, dstPtr: usize, dstCap: u32): i32 {
  src = inPtr;
  rec = recPtr;
  act = actPtr;
  ins = insPtr;
  insCount = insN;
  dst = dstPtr;
  cap = dstCap;
  pos = 0;
  status = 0;
  const changed = dataset(0, topCount, (flags & 1) != 0, (flags & 2) != 0, 0xffffffff);
  if (status != 0) return status;
  return changed ? <i32>pos : -1;
}
