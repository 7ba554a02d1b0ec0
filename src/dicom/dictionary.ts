/**
 * Look-ups in the DICOM data dictionary (PS3.6): tag → VR and keyword, keyword → tag.
 * The table is decoded from {@link DICTIONARY_EXACT} on first use.
 * @module
 */
import { DICTIONARY_EXACT, DICTIONARY_MASKED } from './dictionary.generated.ts';

/** One dictionary entry. */
export interface DictionaryEntry {
  /** `((group << 16) | element) >>> 0`. For masked entries, the tag with wildcard digits as 0. */
  readonly tag: number;
  /** VR as in PS3.6; ambiguous VRs as `xs` (US or SS), `ox` (OB or OW), `xw`, `uw`; `na` for items and delimiters. */
  readonly vr: string;
  /** Keyword, e.g. `PatientName`; empty for a few retired entries. */
  readonly keyword: string;
  /** Whether the attribute is retired. */
  readonly retired: boolean;
}

interface MaskedEntry extends DictionaryEntry {
  readonly mask: number;
}

let exact: Map<number, DictionaryEntry> | undefined;
let masked: MaskedEntry[] | undefined;
let byKeyword: Map<string, number> | undefined;

function decodeItem(item: string, isMasked: boolean): DictionaryEntry {
  const hex = item.slice(0, 8);
  const retired = item.endsWith('*');
  const keyword = item.slice(10, retired ? -1 : undefined);
  const tag = parseInt(hex.replace(/x/g, '0'), 16) >>> 0;
  const entry = { tag, vr: item.slice(8, 10), keyword, retired };
  if (!isMasked) return entry;
  let mask = 0;
  for (let i = 0; i < 8; i++) if (hex[i] !== 'x') mask |= 0xf << (28 - 4 * i);
  return { ...entry, mask: mask >>> 0 } as MaskedEntry;
}

function decode(text: string, isMasked: boolean): DictionaryEntry[] {
  return text.split(',').map((item) => decodeItem(item, isMasked));
}

/**
 * Where each exact entry starts in {@link DICTIONARY_EXACT}, and its tag, for a binary search:
 * a look-up decodes one entry instead of all 5,000 (start-up time of the CLI). `null` when the
 * text is not strictly sorted by tag, in which case look-ups use the full table.
 */
let exactIndex: { readonly tags: Uint32Array; readonly starts: Uint32Array } | null | undefined;
/** Entries found so far by {@link lookupExact} (`null`: not in the exact table). */
const exactCache = new Map<number, DictionaryEntry>();

function indexExact(): { readonly tags: Uint32Array; readonly starts: Uint32Array } | null {
  const text = DICTIONARY_EXACT;
  const starts: number[] = [];
  for (let at = 0; at < text.length; at = text.indexOf(',', at) + 1 || text.length) starts.push(at);
  const tags = new Uint32Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    const hex = text.slice(starts[i]!, starts[i]! + 8);
    // Exact entries have no wildcard digit; anything else is not indexable.
    if (!/^[0-9a-f]{8}$/.test(hex)) return null;
    tags[i] = parseInt(hex, 16) >>> 0;
    if (i > 0 && tags[i]! <= tags[i - 1]!) return null;
  }
  return { tags, starts: Uint32Array.from(starts) };
}

function lookupExact(tag: number): DictionaryEntry | undefined {
  if (exact !== undefined) return exact.get(tag);
  const cached = exactCache.get(tag);
  if (cached !== undefined) return cached;
  if (exactIndex === undefined) exactIndex = indexExact();
  if (exactIndex === null) return load().get(tag);
  const { tags, starts } = exactIndex;
  let lo = 0;
  let hi = tags.length - 1;
  let found: DictionaryEntry | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = tags[mid]!;
    if (t === tag) {
      const end = DICTIONARY_EXACT.indexOf(',', starts[mid]!);
      found = decodeItem(DICTIONARY_EXACT.slice(starts[mid]!, end === -1 ? undefined : end), false);
      break;
    }
    if (t < tag) lo = mid + 1;
    else hi = mid - 1;
  }
  // Hits only: the cache stays within the dictionary's size whatever tags the inputs hold (review L1).
  if (found !== null) exactCache.set(tag, found);
  return found ?? undefined;
}

function loadMasked(): MaskedEntry[] {
  masked ??= decode(DICTIONARY_MASKED, true) as MaskedEntry[];
  return masked;
}

function load(): Map<number, DictionaryEntry> {
  if (exact === undefined) {
    exact = new Map(decode(DICTIONARY_EXACT, false).map((e) => [e.tag, e]));
    loadMasked();
  }
  return exact;
}

/**
 * The dictionary entry of a tag, trying exact tags first and then repeating-group masks.
 * Private tags (odd groups) are never in the dictionary.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @returns The entry, or `undefined` when unknown.
 * @example Looking up Patient's Name
 * ```ts
 * import { lookupTag } from 'health-anonymizer/dicom';
 * lookupTag(0x00100010)?.vr; // 'PN'
 * ```
 */
export function lookupTag(tag: number): DictionaryEntry | undefined {
  const found = lookupExact(tag);
  if (found !== undefined) return found;
  if ((tag >>> 16) & 1) return undefined;
  for (const entry of loadMasked()) if (((tag & entry.mask) >>> 0) === entry.tag) return entry;
  return undefined;
}

/**
 * The VR to use for an element of an implicit-VR data set: the dictionary VR, with ambiguous
 * VRs resolved to the form that needs no byte-order knowledge (`US`, `OW`), and `UN` when unknown.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @returns A two-letter VR.
 * @example
 * ```ts
 * import { implicitVr } from 'health-anonymizer/dicom';
 * implicitVr(0x7fe00010); // 'OW'
 * ```
 */
export function implicitVr(tag: number): string {
  const element = tag & 0xffff;
  if (element === 0) return 'UL';
  const group = tag >>> 16;
  if (group & 1) return element >= 0x10 && element <= 0xff ? 'LO' : 'UN';
  const entry = lookupTag(tag);
  if (entry === undefined) return 'UN';
  switch (entry.vr) {
    case 'xs': case 'uw': case 'xw': return 'US';
    case 'ox': return 'OW';
    case 'na': return 'UN';
    default: return entry.vr;
  }
}

/**
 * The tag of a dictionary keyword.
 * @param keyword - For example `StudyInstanceUID`.
 * @returns The tag, or `undefined` when no exact-tag attribute has this keyword.
 * @example
 * ```ts
 * import { tagForKeyword } from 'health-anonymizer/dicom';
 * tagForKeyword('SOPInstanceUID'); // 0x00080018
 * ```
 */
export function tagForKeyword(keyword: string): number | undefined {
  if (byKeyword === undefined) {
    byKeyword = new Map();
    for (const entry of load().values()) if (entry.keyword !== '') byKeyword.set(entry.keyword, entry.tag);
  }
  return byKeyword.get(keyword);
}

/**
 * Formats a tag as `(gggg,eeee)` in upper-case hex, the form used in error locations.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @returns The tag text.
 * @example
 * ```ts
 * import { formatTag } from 'health-anonymizer/dicom';
 * formatTag(0x00100010); // '(0010,0010)'
 * ```
 */
export function formatTag(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

let sqTags: Uint32Array | undefined;

/**
 * Every tag whose dictionary VR is SQ, sorted, with the repeating-group masks expanded (the WASM
 * scanner needs them to read implicit VR data sets).
 * @returns Sorted tags.
 * @example
 * ```ts
 * import { sequenceTags } from 'health-anonymizer/dicom';
 * sequenceTags().includes(0x0040a730); // true (Content Sequence)
 * ```
 */
export function sequenceTags(): Uint32Array {
  if (sqTags === undefined) {
    const tags: number[] = [];
    for (const entry of load().values()) if (entry.vr === 'SQ') tags.push(entry.tag);
    for (const entry of masked!) {
      if (entry.vr !== 'SQ') continue;
      // Masked digits: expand the even repeating groups (50xx, 60xx) over 0x00–0x1E.
      const group = entry.tag >>> 16;
      if ((entry.mask >>> 16) === 0xff00) for (let g = 0; g <= 0x1e; g += 2) tags.push((((group | g) << 16) | (entry.tag & 0xffff)) >>> 0);
    }
    sqTags = Uint32Array.from(tags.sort((a, b) => a - b));
  }
  return sqTags;
}
