/**
 * The reference tool's DICOM configuration (rules, defaultSettings, customSettings), applied with
 * its semantics — ordered rules, the first matching rule wins, one method per element — but at
 * every depth and to the file meta, where the reference tool only visits the top level.
 * @module
 */
import { ProcessingError, UnsupportedError } from '../errors.ts';
import type { CryptoCore } from '../core/types.ts';
import { formatTag, implicitVr } from './dictionary.ts';
import { decodeAscii, padEven } from './encode-value.ts';
import { UNDEFINED_LENGTH, type DicomElement } from './parse.ts';
import type { DatasetContext, DatasetPlan, DatasetPolicy, ElementAction } from './rewrite.ts';
import { applyDicomMethod, type DicomMethodContext } from './rules/methods.ts';
import type { DicomRuleSet } from './rules/reference-config.ts';
import type { PolicyStats } from './profile-policy.ts';

/** What a configuration policy needs besides the data. */
export interface ConfigSettings {
  /** The loaded configuration. */
  readonly ruleSet: DicomRuleSet;
  /** Crypto core. */
  readonly core: CryptoCore;
  /** refreshUID map shared by the run (original → new). */
  readonly uidMap: Map<string, string>;
  /** Reference "now" for age computations. */
  readonly referenceDate?: Date;
}

const KEEP: ElementAction = { kind: 'keep' };
const REMOVE: ElementAction = { kind: 'remove' };
const EMPTY: ElementAction = { kind: 'empty' };
const RECURSE: ElementAction = { kind: 'recurse' };

/** The value bytes of a leaf element; empty for sequences and undefined-length elements (never the rest of the buffer). */
function leafValue(el: DicomElement, bytes: Uint8Array): Uint8Array {
  if (el.items !== undefined || el.length === UNDEFINED_LENGTH) return bytes.subarray(el.valueStart, el.valueStart);
  return bytes.subarray(el.valueStart, el.valueStart + el.length);
}

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** The configuration as a {@link DatasetPolicy}; one instance per file. */
export class ConfigPolicy implements DatasetPolicy {
  readonly settings: ConfigSettings;
  readonly stats: PolicyStats = { elements: 0, methods: {}, rules: {} };
  /** Original Study, Series and SOP Instance UIDs (the date-shift scopes), read before any rule runs. */
  /** SOP Instance UID (0008,0018) as written, once the top level is planned. */
  sopInstanceUid: string | undefined;
  /** Values that substitute cut to their VR's maximum length in this file. */
  truncatedValues = 0;
  /** SOP Class UID (0008,0016) of the top level. */
  sopClassUid: string | undefined;
  private scopes: { study?: string; series?: string; sop?: string } = {};
  private contexts = new Map<string, DicomMethodContext>();

  /**
   * @param settings - Rule set, core and UID map.
   */
  constructor(settings: ConfigSettings) {
    this.settings = settings;
  }

  private context(scope: unknown): DicomMethodContext {
    const key = typeof scope === 'string' ? scope.toLowerCase() : 'sopinstance';
    let ctx = this.contexts.get(key);
    if (ctx === undefined) {
      const uid = key === 'studyinstance' ? this.scopes.study : key === 'seriesinstance' ? this.scopes.series : this.scopes.sop;
      ctx = {
        core: this.settings.core,
        uidMap: this.settings.uidMap,
        ...(uid !== undefined ? { dateShiftScopeUid: uid } : {}),
        ...(this.settings.referenceDate !== undefined ? { referenceDate: this.settings.referenceDate } : {}),
      };
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  /**
   * Reads the date-shift scope UIDs from the original top-level data set.
   * @param elements - Top-level elements.
   * @param bytes - Their buffer.
   */
  beginFile(elements: readonly DicomElement[], bytes: Uint8Array): void {
    const get = (tag: number): string | undefined => {
      const el = elements.find((e) => e.tag === tag);
      return el === undefined ? undefined : decodeAscii(leafValue(el, bytes));
    };
    this.scopes = { study: get(0x0020000d), series: get(0x0020000e), sop: get(0x00080018) };
    this.contexts.clear();
  }

  /**
   * Plans one data set: the first matching rule decides each element; elements without a rule are
   * kept, and sequences without a rule are entered so nested elements meet the rules too.
   * @param elements - Its elements.
   * @param ctx - Where it sits.
   * @returns Actions.
   */
  planDataset(elements: readonly DicomElement[], ctx: DatasetContext): DatasetPlan {
    const creators = new Map<number, string>();
    for (const el of elements) {
      const group = el.tag >>> 16;
      const element = el.tag & 0xffff;
      if (group & 1 && element >= 0x10 && element <= 0xff) {
        creators.set((group << 8) | element, decodeAscii(leafValue(el, ctx.bytes)).trim());
      }
    }
    const actions = elements.map((el) => this.element(el, ctx, creators));
    if (ctx.depth === 0) {
      const cls = elements.find((e) => e.tag === 0x00080016);
      if (cls !== undefined) this.sopClassUid = decodeAscii(leafValue(cls, ctx.bytes));
      const at = elements.findIndex((e) => e.tag === 0x00080018);
      if (at >= 0) {
        const action = actions[at]!;
        const el = elements[at]!;
        this.sopInstanceUid = action.kind === 'replace' ? decodeAscii(action.value)
          : action.kind === 'keep' && el.items === undefined ? decodeAscii(leafValue(el, ctx.bytes)) : undefined;
      }
    }
    return { actions };
  }

  /**
   * The action for one element (also used for file meta elements).
   * @param el - The element.
   * @param ctx - Where it sits.
   * @param creators - Private creators of its data set.
   * @returns The action.
   */
  element(el: DicomElement, ctx: DatasetContext, creators: ReadonlyMap<number, string>): ElementAction {
    this.stats.elements++;
    const group = el.tag >>> 16;
    const element = el.tag & 0xffff;
    const isSequence = el.items !== undefined && !el.encapsulated;
    const vr = el.vr === 'UN' && !isSequence ? implicitVr(el.tag) : el.vr;
    const creator = group & 1 && element >= 0x1000 ? creators.get((group << 8) | (element >>> 8)) : undefined;
    // A leaf whose dictionary VR is SQ, or an unknown (UN) or private value that starts with an item
    // tag, holds items the parser did not open: never kept as it is.
    const b = ctx.bytes;
    const v0 = el.valueStart;
    const itemLike = el.length !== UNDEFINED_LENGTH && el.length >= 8 && b[v0] === 0xfe && b[v0 + 1] === 0xff && b[v0 + 2] === 0x00 && b[v0 + 3] === 0xe0;
    if (!isSequence && !el.encapsulated && el.length > 0 && (implicitVr(el.tag) === 'SQ' || ((vr === 'UN' || (group & 1) === 1) && itemLike))) {
      count(this.stats.methods, 'remove');
      return REMOVE;
    }
    const rule = this.settings.ruleSet.match(el.tag, vr, creator);
    if (rule === undefined) {
      count(this.stats.methods, 'keep');
      return isSequence ? RECURSE : KEEP;
    }
    count(this.stats.rules, String(rule.index));
    count(this.stats.methods, rule.method);
    const location = { tag: [...ctx.path, el.tag].map(formatTag).join('/') };
    const methodCtx = this.context(rule.settings['dateShiftScope']);
    if (isSequence || el.encapsulated) {
      const result = applyDicomMethod(rule, isSequence ? 'SQ' : vr, new Uint8Array(0), ctx.encoding.littleEndian, methodCtx);
      switch (result.kind) {
        case 'keep': return isSequence ? RECURSE : KEEP;
        case 'remove': return REMOVE;
        case 'empty': return isSequence ? EMPTY : REMOVE;
        case 'replace': throw new UnsupportedError(`method ${rule.method} cannot replace a sequence or encapsulated pixel data`, { location });
      }
    }
    const value = ctx.bytes.subarray(el.valueStart, el.valueStart + (el.length === UNDEFINED_LENGTH ? 0 : el.length));
    let result;
    try {
      result = applyDicomMethod(rule, vr, value, ctx.encoding.littleEndian, methodCtx);
    } catch (err) {
      if (err instanceof Error && 'code' in err) throw err;
      throw new ProcessingError(`method ${rule.method} failed`, { location });
    }
    switch (result.kind) {
      case 'keep': return KEEP;
      case 'remove': return REMOVE;
      case 'empty': return EMPTY;
      case 'replace':
        if (result.truncated === true) this.truncatedValues++;
        return { kind: 'replace', value: padEven(result.value, vr) };
    }
  }
}
