/**
 * The PS3.15 Annex E Basic Application Level Confidentiality Profile and its options, applied to
 * every data set at every depth (PS3.15 §E.1.1, Table E.1-1, §E.3). The table and the value
 * functions come from `./rules/`; this module decides per element and inserts the markers.
 * @module
 */
import type { CryptoCore } from '../core/types.ts';
import { implicitVr } from './dictionary.ts';
import { decodeAscii, encodeText, toByteOrder } from './encode-value.ts';
import { UNDEFINED_LENGTH, type DicomElement } from './parse.ts';
import type { DatasetContext, DatasetPlan, DatasetPolicy, ElementAction, NewElement } from './rewrite.ts';
import type { DicomOption } from './rules/options.ts';
import { deidentificationCodes, isSafePrivate, profileAction, type ProfileAction } from './rules/profile.ts';
import { dummyValue, isWellKnownUid, patientDateOffset, shiftDate, studyDateOffset } from './rules/values.ts';
import { isUidExempt, type UidMapper } from './uids.ts';

/** Attributes removed whatever the options (PS3.15 §E.1.1, E.3.x): they hold old values, signatures, padding, icons. */
export const ALWAYS_REMOVED: ReadonlySet<number> = new Set([0x04000561, 0xfffafffa, 0xfffcfffc, 0x00880200]);

/** Counts kept per file, for the run report. */
export interface PolicyStats {
  /** Elements seen (every depth). */
  elements: number;
  /** Outcomes by method: keep, remove, empty, dummy, uid, dateShift, recurse, insert. */
  readonly methods: Record<string, number>;
  /** Outcomes by rule: profile action code (`X`, `Z`, …), `private`, `notInTable`, `alwaysRemoved`, `overlay`, `curve`. */
  readonly rules: Record<string, number>;
}

/** Everything a profile policy needs besides the data. */
export interface ProfileSettings {
  /** Enabled options. */
  readonly options: ReadonlySet<DicomOption>;
  /** Key for the per-patient date offset. */
  readonly key: Uint8Array;
  /** Crypto core. */
  readonly core: CryptoCore;
  /** UID mapper shared by the run. */
  readonly uids: UidMapper;
  /** Largest date shift in days (Retain Longitudinal Temporal Information with Modified Dates). */
  readonly dateShiftRange: number;
}

/** Free-text VRs replaced by a dummy inside a sequence whose action is C (cleaned content). */
const FREE_TEXT_VRS: ReadonlySet<string> = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC']);
/**
 * Code sequence attributes (PS3.3 Table 8.8-1) keep their values inside a C (clean) sequence: they
 * name concepts. Inside a D sequence they are replaced like every other value: Person
 * Identification Code Sequence and Institution Code Sequence carry a person's ID or name and an
 * institution's name in Code Value and Code Meaning.
 */
const CODE_TAGS: ReadonlySet<number> = new Set([0x00080100, 0x00080102, 0x00080103, 0x00080104, 0x00080105, 0x00080106, 0x00080107, 0x0008010b, 0x0008010c, 0x0008010d, 0x0008010f, 0x00080117, 0x00080118, 0x00080119, 0x00080120, 0x00080121, 0x00080122, 0x00080123, 0x00080124]);

/**
 * Structural attributes of SR content items (PS3.3 §C.17.3) that a D sequence keeps when their
 * value is one of the standard's enumerated values: such a value names the tree's shape, never a
 * person. Any other value is replaced like the rest.
 */
const STRUCTURAL_ENUMS: ReadonlyMap<number, ReadonlySet<string>> = new Map([
  [0x0040a040, new Set(['TEXT', 'NUM', 'CODE', 'DATETIME', 'DATE', 'TIME', 'UIDREF', 'PNAME', 'COMPOSITE', 'IMAGE', 'WAVEFORM', 'SCOORD', 'SCOORD3D', 'TCOORD', 'CONTAINER', 'TABLE'])],
  [0x0040a010, new Set(['CONTAINS', 'HAS PROPERTIES', 'HAS OBS CONTEXT', 'HAS ACQ CONTEXT', 'INFERRED FROM', 'SELECTED FROM', 'HAS CONCEPT MOD'])],
  [0x0040a050, new Set(['SEPARATE', 'CONTINUOUS'])],
  [0x00700023, new Set(['POINT', 'MULTIPOINT', 'POLYLINE', 'CIRCLE', 'ELLIPSE', 'POLYGON', 'ELLIPSOID'])],
  [0x0040a130, new Set(['POINT', 'MULTIPOINT', 'SEGMENT', 'MULTISEGMENT', 'BEGIN', 'END'])],
]);
/**
 * Positions and geometry kept in a D sequence: they point into the content tree or into the
 * referenced object (item positions, frame, segment and channel numbers, coordinates), and hold
 * no text: Referenced Content Item Identifier (0040,DB73), Referenced Frame Number (0008,1160),
 * Referenced Segment Number (0062,000B), Referenced Waveform Channels (0040,A0B0), Graphic Data
 * (0070,0022).
 */
const STRUCTURAL_NUMBERS: ReadonlySet<number> = new Set([0x0040db73, 0x00081160, 0x0062000b, 0x0040a0b0, 0x00700022]);

/** Dictionary VRs whose values the profile handles by VR outside the table (UIDs, names, dates, times). */
const MISENCODED_CHECK: ReadonlySet<string> = new Set(['UI', 'PN', 'DA', 'DT', 'TM']);
/** Coding Scheme URL (0008,010E): names a coding scheme, kept like the other code attributes. */
const CODING_SCHEME_URL = 0x0008010e;
/** Text VRs searched for embedded UIDs when their attribute is not in Table E.1-1. */
const UID_BEARING_TEXT_VRS: ReadonlySet<string> = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);
/** A UID-shaped number (PS3.5 §9.1) of at least four components, not part of a longer number. */
const EMBEDDED_UID = /(?:^|[^0-9.])([0-2](?:\.(?:0|[1-9][0-9]*)){3,})/g;

/** Whether a text holds a UID that is not a well-known (PS3.6) one: a URL or note that names an instance. */
function holdsInstanceUid(text: string): boolean {
  for (const m of text.matchAll(EMBEDDED_UID)) if (!isWellKnownUid(m[1]!)) return true;
  return false;
}

/** The strictest action of the sequences enclosing a data set: `D`, `C` or neither. */
type Scope = 'none' | 'C' | 'D';

const KEEP: ElementAction = { kind: 'keep' };
const REMOVE: ElementAction = { kind: 'remove' };
const EMPTY: ElementAction = { kind: 'empty' };
const RECURSE: ElementAction = { kind: 'recurse' };

function rawOf(el: DicomElement, bytes: Uint8Array): Uint8Array {
  return bytes.subarray(el.valueStart, el.valueStart + (el.length === UNDEFINED_LENGTH ? 0 : el.length));
}

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

function isCurveGroup(group: number): boolean {
  return group >= 0x5000 && group <= 0x501e && (group & 1) === 0;
}

function isOverlayGroup(group: number): boolean {
  return group >= 0x6000 && group <= 0x601e && (group & 1) === 0;
}

/**
 * The profile as a {@link DatasetPolicy}. One instance per file: it records the new SOP Instance
 * UID for the file meta and the counts for the report.
 */
export class ProfilePolicy implements DatasetPolicy {
  readonly settings: ProfileSettings;
  readonly stats: PolicyStats = { elements: 0, methods: {}, rules: {} };
  /** New SOP Instance UID (0008,0018) of the top-level data set, once planned. */
  sopInstanceUid: string | undefined;
  /** SOP Class UID (0008,0016) of the top-level data set. */
  sopClassUid: string | undefined;
  /** What the date shift of this file is keyed on: the patient (ID and issuer), the study (no Patient ID), or nothing. */
  dateOffsetBasis: 'patient' | 'study' | 'none' = 'patient';
  private dayOffset = 0;

  /**
   * @param settings - Options, key, core and UID mapper.
   */
  constructor(settings: ProfileSettings) {
    this.settings = settings;
  }

  /**
   * Plans one data set.
   * @param elements - Its elements.
   * @param ctx - Where it sits.
   * @returns Actions and inserted markers (top level only).
   */
  planDataset(elements: readonly DicomElement[], ctx: DatasetContext): DatasetPlan {
    const opts = this.settings.options;
    const bytes = ctx.bytes;
    const value = (el: DicomElement): Uint8Array => bytes.subarray(el.valueStart, el.valueStart + (el.length === UNDEFINED_LENGTH ? 0 : el.length));
    if (ctx.depth === 0) this.beginFile(elements, value);

    // Private creators of this data set, by (group << 8 | block).
    const creators = new Map<number, string>();
    const droppedOverlays = new Set<number>();
    for (const el of elements) {
      const group = el.tag >>> 16;
      const element = el.tag & 0xffff;
      if (group & 1 && element >= 0x10 && element <= 0xff) creators.set((group << 8) | element, decodeAscii(value(el)).trim());
      if (isOverlayGroup(group) && !droppedOverlays.has(group)) {
        const act = profileAction(((group << 16) | 0x3000) >>> 0, opts);
        // Cleaning overlay bitmaps is pixel work this engine does not do: anything but K removes the group.
        if (act !== 'K') droppedOverlays.add(group);
      }
    }
    // The strictest action of the enclosing sequences: D (every value replaced) before C (free text replaced).
    let scope: Scope = 'none';
    for (const t of ctx.path) {
      const a = profileAction(t, opts);
      if (a === 'D') {
        scope = 'D';
        break;
      }
      if (a === 'C') scope = 'C';
    }
    const keptBlocks = new Set<number>();
    const actions: ElementAction[] = new Array(elements.length);
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i]!;
      this.stats.elements++;
      const group = el.tag >>> 16;
      const element = el.tag & 0xffff;
      let action: ElementAction;
      if (ALWAYS_REMOVED.has(el.tag)) {
        count(this.stats.rules, 'alwaysRemoved');
        action = REMOVE;
      } else if (group & 1) {
        action = this.privateElement(el, group, element, creators, keptBlocks);
      } else if (element === 0 || group === 0x0002) {
        // Group lengths are retired and recomputed nowhere else; file meta inside a data set is illegal.
        count(this.stats.rules, 'groupLengthOrMeta');
        action = REMOVE;
      } else if (isCurveGroup(group)) {
        count(this.stats.rules, 'curve');
        const act = profileAction(el.tag, opts) ?? 'X';
        action = act === 'K' ? (el.items !== undefined && !el.encapsulated ? RECURSE : KEEP) : REMOVE;
      } else if (isOverlayGroup(group) && droppedOverlays.has(group)) {
        count(this.stats.rules, 'overlay');
        action = REMOVE;
      } else {
        action = this.standardElement(el, ctx, scope);
      }
      actions[i] = action;
      count(this.stats.methods, action.kind === 'replace' ? 'replace' : action.kind);
    }
    // Private creators: kept only when an element of their block is kept.
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i]!;
      const group = el.tag >>> 16;
      const element = el.tag & 0xffff;
      if (group & 1 && element >= 0x10 && element <= 0xff && keptBlocks.has((group << 8) | element)) actions[i] = KEEP;
    }
    return ctx.depth === 0 ? { actions, inserts: this.markers() } : { actions };
  }

  private beginFile(elements: readonly DicomElement[], value: (el: DicomElement) => Uint8Array): void {
    const opts = this.settings.options;
    const find = (tag: number): DicomElement | undefined => elements.find((e) => e.tag === tag);
    const sop = find(0x00080018);
    // As it will be written: mapped, unless an option keeps it (Retain UIDs).
    const sopAction = profileAction(0x00080018, opts);
    this.sopInstanceUid = sop === undefined ? undefined : sopAction === 'K' ? decodeAscii(value(sop)) : this.mapUids(decodeAscii(value(sop)));
    const cls = find(0x00080016);
    this.sopClassUid = cls !== undefined ? decodeAscii(value(cls)) : undefined;
    if (opts.has('retainLongitudinalModifiedDates') && !opts.has('retainLongitudinalFullDates')) {
      const text = (tag: number): string => {
        const el = find(tag);
        return el !== undefined ? decodeAscii(value(el)).trim() : '';
      };
      const patientId = text(0x00100020);
      const studyUid = text(0x0020000d);
      const { key, dateShiftRange, core } = this.settings;
      if (patientId !== '') {
        this.dateOffsetBasis = 'patient';
        this.dayOffset = patientDateOffset(patientId, key, dateShiftRange, core, text(0x00100021));
      } else if (studyUid !== '') {
        this.dateOffsetBasis = 'study';
        this.dayOffset = studyDateOffset(studyUid, key, dateShiftRange, core);
      } else {
        this.dateOffsetBasis = 'none';
        this.dayOffset = patientDateOffset('', key, dateShiftRange, core);
      }
    }
  }

  private privateElement(el: DicomElement, group: number, element: number, creators: Map<number, string>, keptBlocks: Set<number>): ElementAction {
    count(this.stats.rules, 'private');
    if (!this.settings.options.has('retainSafePrivate')) return REMOVE;
    // Illegal private groups (PS3.5 §7.8.1) never hold safe data.
    if (group <= 0x0007 || group === 0xffff) return REMOVE;
    if (element < 0x1000) return REMOVE; // creators are decided after their block's elements; (gggg,0000-000F) are not private data
    const block = element >>> 8;
    const creator = creators.get((group << 8) | block);
    if (creator === undefined || !isSafePrivate(group, element, creator)) return REMOVE;
    keptBlocks.add((group << 8) | block);
    return el.items !== undefined && !el.encapsulated ? RECURSE : KEEP;
  }

  private standardElement(el: DicomElement, ctx: DatasetContext, scope: Scope): ElementAction {
    const opts = this.settings.options;
    const isSequence = el.items !== undefined && !el.encapsulated;
    const vr = el.vr === 'UN' && !isSequence ? implicitVr(el.tag) : el.vr;
    const act: ProfileAction | undefined = profileAction(el.tag, opts);
    count(this.stats.rules, act ?? 'notInTable');
    if (el.encapsulated) return act === undefined || act === 'K' ? KEEP : REMOVE;
    // A UN value whose meaning the dictionary does not give (an attribute newer than the
    // dictionary), or an SQ the parser did not open, cannot be judged: removed, never kept.
    if (!isSequence && (vr === 'SQ' || vr === 'UN') && el.length > 0) {
      count(this.stats.rules, 'unknownContent');
      return REMOVE;
    }
    // Inside a sequence whose action is D (Person Identification Code Sequence, Institution Code
    // Sequence, Content Sequence, …) every value is replaced by a dummy, codes included: only the
    // structure (SR value, relationship and graphic types with enumerated values, positions and coordinates),
    // the UIDs (mapped as anywhere else) and the item's character set stay. X and Z
    // inside still remove and empty.
    if (scope === 'D' && !isSequence && vr !== 'UI' && act !== 'X' && act !== 'Z' && el.tag !== 0x00080005 && !STRUCTURAL_NUMBERS.has(el.tag)) {
      if (el.length === 0) return KEEP;
      const enumerated = STRUCTURAL_ENUMS.get(el.tag);
      if (enumerated !== undefined && enumerated.has(decodeAscii(rawOf(el, ctx.bytes)).trim())) return KEEP;
      return this.dummy(el, vr, ctx);
    }
    const dummyScope = scope === 'C';
    switch (act) {
      case undefined: {
        if (isSequence) return RECURSE;
        // Outside the table the decision goes by VR, and the dictionary's VR governs (PS3.5 §6.2):
        // a UID, name, date or time written with another VR (LO, SH, CS, … by a faulty writer)
        // would otherwise be kept as plain text. Such a mis-encoded value is removed.
        const dictionaryVr = implicitVr(el.tag);
        if (dictionaryVr !== vr && MISENCODED_CHECK.has(dictionaryVr) && el.length > 0) {
          count(this.stats.rules, 'wrongVr');
          return REMOVE;
        }
        if (vr === 'UI') return opts.has('retainUIDs') || isUidExempt(el.tag) ? KEEP : this.uidAction(rawOf(el, ctx.bytes), vr);
        if (vr === 'DA' || vr === 'DT') return this.dateAction(vr, rawOf(el, ctx.bytes));
        if (vr === 'TM') return opts.has('retainLongitudinalFullDates') || opts.has('retainLongitudinalModifiedDates') ? KEEP : EMPTY;
        // Inside a sequence the profile cleans (C), free text is replaced: it may name anyone.
        if (dummyScope && FREE_TEXT_VRS.has(vr) && !CODE_TAGS.has(el.tag) && el.length > 0) return this.dummy(el, vr, ctx);
        // A person name outside the table (a newer attribute) names someone: replaced by VR.
        if (vr === 'PN' && el.length > 0) return this.dummy(el, vr, ctx);
        // URLs and URIs outside the table (Retrieve URL (0008,1190), Retrieve URI (0040,E010), …)
        // carry the original Study/Series/SOP Instance UIDs and host names: removed.
        if (vr === 'UR' && !CODE_TAGS.has(el.tag) && el.tag !== CODING_SCHEME_URL) return REMOVE;
        // Other text outside the table that embeds an instance UID would re-link the output to its source.
        if (UID_BEARING_TEXT_VRS.has(vr) && el.length > 0 && !CODE_TAGS.has(el.tag) && holdsInstanceUid(decodeAscii(rawOf(el, ctx.bytes)))) return this.dummy(el, vr, ctx);
        return KEEP;
      }
      case 'K':
        return isSequence ? RECURSE : KEEP;
      case 'X':
        return REMOVE;
      case 'Z':
        return EMPTY;
      case 'U':
        return isSequence ? RECURSE : this.uidAction(rawOf(el, ctx.bytes), vr);
      case 'D':
        if (isSequence) return RECURSE;
        if (vr === 'UI') return this.uidAction(rawOf(el, ctx.bytes), vr);
        return this.dummy(el, vr, ctx);
      case 'C':
        if (isSequence) return RECURSE;
        if (vr === 'DA' || vr === 'DT') return this.dateAction(vr, rawOf(el, ctx.bytes));
        if (vr === 'TM' && opts.has('retainLongitudinalModifiedDates')) return KEEP;
        if (vr === 'UI') return this.uidAction(rawOf(el, ctx.bytes), vr);
        return this.dummy(el, vr, ctx);
    }
  }

  private dateAction(vr: 'DA' | 'DT', raw: Uint8Array): ElementAction {
    const opts = this.settings.options;
    if (opts.has('retainLongitudinalFullDates')) return KEEP;
    if (opts.has('retainLongitudinalModifiedDates')) {
      const text = decodeAscii(raw);
      if (text === '') return KEEP;
      const shifted = shiftDate(vr, text, this.dayOffset);
      count(this.stats.methods, 'dateShift');
      return shifted === undefined ? EMPTY : { kind: 'replace', value: encodeText(shifted, vr) };
    }
    // Dates outside Table E.1-1 are handled by VR (PS3.15 §E.1.1 suggests it): emptied.
    return EMPTY;
  }

  private uidAction(raw: Uint8Array, vr: string): ElementAction {
    const text = decodeAscii(raw);
    if (text === '') return KEEP;
    count(this.stats.methods, 'uid');
    return { kind: 'replace', value: encodeText(this.mapUids(text), vr === 'UN' ? 'UI' : vr) };
  }

  private mapUids(text: string): string {
    return text.split('\\').map((u) => {
      const uid = u.replace(/[\0 ]+$/g, '').trim();
      return uid === '' ? '' : this.settings.uids.map(uid);
    }).join('\\');
  }

  private dummy(el: DicomElement, vr: string, ctx: DatasetContext): ElementAction {
    count(this.stats.methods, 'dummy');
    const dummy = dummyValue(vr, el.tag);
    const value = typeof dummy === 'string' ? encodeText(dummy, vr) : toByteOrder(dummy, vr, ctx.encoding.littleEndian);
    return { kind: 'replace', value };
  }

  private markers(): readonly NewElement[] {
    count(this.stats.methods, 'insert');
    const opts = this.settings.options;
    // The same option set object serves every file of an anonymizer: looked up by identity first.
    let cached = markersBySet.get(opts);
    if (cached === undefined) {
      const cacheKey = [...opts].sort().join(',');
      cached = markerCache.get(cacheKey);
      if (cached === undefined) {
        cached = buildMarkers(opts);
        markerCache.set(cacheKey, cached);
      }
      markersBySet.set(opts, cached);
    }
    return cached;
  }
}

/** The marker elements per option set (read-only byte values, shared by every file). */
const markerCache = new Map<string, readonly NewElement[]>();
/** The same, by option set object (an anonymizer's set is never changed after it is built). */
const markersBySet = new WeakMap<ReadonlySet<DicomOption>, readonly NewElement[]>();

function buildMarkers(opts: ReadonlySet<DicomOption>): readonly NewElement[] {
  const { codes, methodText } = deidentificationCodes(opts);
  const codeList = codes.length > 0 ? codes : [{ value: '113100', meaning: 'Basic Application Confidentiality Profile' }];
  const texts = methodText.length > 0 ? methodText : ['PS3.15 E.1-1 2024b Basic Profile'];
  const longitudinal = opts.has('retainLongitudinalFullDates') ? 'UNMODIFIED' : opts.has('retainLongitudinalModifiedDates') ? 'MODIFIED' : 'REMOVED';
  return [
    { tag: 0x00120062, vr: 'CS', value: encodeText('YES', 'CS') },
    { tag: 0x00120063, vr: 'LO', value: encodeText(texts.map((t) => t.slice(0, 64)).join('\\'), 'LO') },
    {
      tag: 0x00120064,
      vr: 'SQ',
      items: codeList.map((c) => [
        { tag: 0x00080100, vr: 'SH', value: encodeText(c.value, 'SH') },
        { tag: 0x00080102, vr: 'SH', value: encodeText('DCM', 'SH') },
        { tag: 0x00080104, vr: 'LO', value: encodeText(c.meaning.slice(0, 64), 'LO') },
      ]),
    },
    { tag: 0x00280303, vr: 'CS', value: encodeText(longitudinal, 'CS') },
  ];
}
