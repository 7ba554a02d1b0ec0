/**
 * The reference tool's DICOM configuration format (Microsoft Tools-for-Health-Data-Anonymization,
 * `DICOM/…/configuration.json`), loaded unchanged:
 *
 * ```json
 * { "rules": [{ "tag": "(0010,0010)", "method": "redact" }, { "tag": "DA", "method": "dateShift", "setting": "mySetting", "params": { "dateShiftRange": 10 } }],
 *   "defaultSettings": { "dateShift": { "dateShiftKey": "…", "dateShiftScope": "SeriesInstance", "dateShiftRange": 50 } },
 *   "customSettings": { "mySetting": { … } } }
 * ```
 *
 * A rule's `tag` is, in this order of attempts: a tag `(gggg,eeee)`, `gggg,eeee` or `ggggeeee`; a
 * masked tag with `x` wildcards (`(50xx,xxxx)`, `xxx1,xxxx`); a VR code (`PN`); a dictionary
 * keyword (`PatientName`, also with the `RETIRED` suffix fo-dicom gives retired keywords). Methods
 * are case-insensitive. Settings: the named custom setting, else the method's default setting,
 * with `params` merged over a copy (the reference merges into the shared object, so one rule's
 * params leaked into later rules; fixed here). Every problem is reported at once.
 * @module
 */
import { ConfigError, ConfigParseError, type ConfigDiagnostic } from '../../errors.ts';
import { KEYWORD_TEXT } from './keyword-table.ts';

/** A method of the reference tool's DICOM configuration. */
export type DicomMethodName = 'keep' | 'remove' | 'redact' | 'dateShift' | 'cryptoHash' | 'encrypt' | 'substitute' | 'perturb' | 'refreshUID';

/** Which original UID seeds the date-shift offset. */
export type DateShiftScope = 'StudyInstance' | 'SeriesInstance' | 'SopInstance';

/**
 * One rule of a DICOM configuration, after loading.
 *
 * `settings` holds the effective, normalized settings of the method (canonical key names, typed
 * values, keys as bytes):
 * - redact: `{ enablePartialAgesForRedact: boolean, enablePartialDatesForRedact: boolean }`
 * - dateShift: `{ dateShiftKey: Uint8Array, dateShiftRange: number, dateShiftScope: DateShiftScope }`,
 *   plus `dateShiftAlgorithm: 'hmac'` when the configuration opts in to the keyed offset (extension)
 * - cryptoHash: `{ cryptoHashKey: Uint8Array, cryptoHashType: 'sha256'|'sha384'|'sha512', matchInputStringLength: boolean }`
 * - encrypt: `{ encryptKey: Uint8Array }` (16, 24 or 32 bytes)
 * - substitute: `{ replaceWith: string }`
 * - perturb: `{ span: number, roundTo: number, rangeType: 'Fixed'|'Proportional' }`
 * - refreshUID: `{ uidKey: Uint8Array }`
 * - keep, remove: `{}`
 */
export interface DicomRule {
  /** Position of the rule in `rules` (0-based). */
  readonly index: number;
  /** The `tag` text of the rule as written. */
  readonly tagSpec: string;
  /** Method, normalized to its canonical spelling. */
  readonly method: DicomMethodName;
  /** Effective settings (see above). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A loaded configuration: rules in order and a matcher. */
export interface DicomRuleSet {
  /** Rules in configuration order. */
  readonly rules: readonly DicomRule[];
  /**
   * The first rule, in configuration order, whose selector matches an element.
   * @param tag - `((group << 16) | element) >>> 0`.
   * @param vr - The element's VR.
   * @param privateCreator - The private creator, for private elements (rules written as
   * `(gggg,bbee:CREATOR)` or `(gggg,xxee:CREATOR)` match that creator's element `ee` in any block).
   */
  match(tag: number, vr: string, privateCreator?: string): DicomRule | undefined;
}

/** Options of {@link loadDicomConfig}. */
export interface LoadDicomConfigOptions {
  /** File name, for error locations. */
  readonly file?: string;
  /**
   * Source of random bytes for keys the configuration leaves out (as the reference does, a random
   * key per load). Tests inject a fixed source. Default: `crypto.getRandomValues`.
   */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** A parsed selector. */
type Selector =
  | { readonly kind: 'tag'; readonly tag: number; readonly creator?: string }
  | { readonly kind: 'mask'; readonly value: number; readonly mask: number; readonly creator?: string }
  | { readonly kind: 'vr'; readonly vr: string };

const METHODS: ReadonlyMap<string, DicomMethodName> = new Map(
  (['keep', 'remove', 'redact', 'dateShift', 'cryptoHash', 'encrypt', 'substitute', 'perturb', 'refreshUID'] as const).map((m) => [m.toLowerCase(), m]),
);

const VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']);

let keywords: Map<string, number> | undefined;

/**
 * The tag of a DICOM dictionary keyword (2024b), as used in configuration selectors.
 * @param keyword - e.g. `PatientName`; a trailing `RETIRED` is ignored.
 * @returns The tag, or `undefined`.
 * @example Looking up a keyword
 * ```ts
 * import { keywordToTag } from './reference-config.ts';
 * keywordToTag('PatientName'); // 0x00100010
 * ```
 */
export function keywordToTag(keyword: string): number | undefined {
  if (keywords === undefined) {
    keywords = new Map();
    const parts = KEYWORD_TEXT.split(' ');
    for (let i = 0; i + 1 < parts.length; i += 2) keywords.set(parts[i]!, parseInt(parts[i + 1]!, 16) >>> 0);
  }
  return keywords.get(keyword) ?? (keyword.endsWith('RETIRED') ? keywords.get(keyword.slice(0, -7)) : undefined);
}

/**
 * Parses a rule's `tag` text the way the reference does: tag, masked tag, VR, keyword.
 * @param spec - The selector text.
 * @returns The selector, or `undefined` when it is none of these.
 */
function parseSelector(spec: string): Selector | undefined {
  const s = spec.trim();
  const m = /^\(?\s*([0-9A-Fa-fXx]{4})\s*,?\s*([0-9A-Fa-fXx]{4})\s*(?::\s*([^)]*?)\s*)?\)?$/.exec(s);
  if (m && (s.startsWith('(') === s.endsWith(')')) && (s.includes(',') || s.replace(/[()\s]/g, '').length === 8 || m[3] !== undefined)) {
    const hex = m[1]! + m[2]!;
    const creator = m[3] !== undefined && m[3] !== '' ? m[3] : undefined;
    if (creator !== undefined) {
      // A private tag qualified by its creator names the creator's element whatever block the
      // creator got in a file (PS3.5 §7.8.1; fo-dicom compares group, low byte and creator): the
      // block byte of the selector is ignored.
      let value = 0, mask = 0;
      for (const ch of hex) {
        const wild = ch === 'x' || ch === 'X';
        value = (value << 4) | (wild ? 0 : parseInt(ch, 16));
        mask = (mask << 4) | (wild ? 0 : 0xf);
      }
      mask = (mask & 0xffff00ff) >>> 0;
      return { kind: 'mask', value: (value & mask) >>> 0, mask, creator };
    }
    if (!/[xX]/.test(hex)) return { kind: 'tag', tag: parseInt(hex, 16) >>> 0, ...(creator !== undefined ? { creator } : {}) };
    let value = 0, mask = 0;
    for (const ch of hex) {
      const wild = ch === 'x' || ch === 'X';
      value = (value << 4) | (wild ? 0 : parseInt(ch, 16));
      mask = (mask << 4) | (wild ? 0 : 0xf);
    }
    return { kind: 'mask', value: value >>> 0, mask: mask >>> 0, ...(creator !== undefined ? { creator } : {}) };
  }
  if (VRS.has(s)) return { kind: 'vr', vr: s };
  const tag = keywordToTag(s);
  return tag === undefined ? undefined : { kind: 'tag', tag };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Looks a key up case-insensitively (Newtonsoft binds settings this way). */
function getCi(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Removes a UTF-8 BOM and commas before `}` or `]` outside strings (the reference's samples have both). */
function relaxJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += ch;
  }
  return out;
}

function parseJsonText(text: string, file: string | undefined): unknown {
  const relaxed = relaxJson(text);
  try {
    return JSON.parse(relaxed);
  } catch (err) {
    // The runtime's message may quote the input; report only the position.
    const pos = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
    const line = pos ? relaxed.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ConfigParseError('DICOM configuration is not valid JSON', { location: { ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}) } });
  }
}

interface Ctx {
  readonly diagnostics: ConfigDiagnostic[];
  readonly random: (n: number) => Uint8Array;
}

const utf8 = new TextEncoder();

function bad(ctx: Ctx, pointer: string, message: string): void {
  ctx.diagnostics.push({ code: 'ERR_CONFIG_INVALID', pointer, message });
}

function readBool(ctx: Ctx, obj: Record<string, unknown>, key: string, ptr: string, fallback: boolean): boolean {
  const v = getCi(obj, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  bad(ctx, `${ptr}/${key}`, `"${key}" expected true or false`);
  return fallback;
}

function readNumber(ctx: Ctx, obj: Record<string, unknown>, key: string, ptr: string, fallback: number, check: (n: number) => boolean, expect: string): number {
  const v = getCi(obj, key);
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isFinite(n) && check(n)) return n;
  bad(ctx, `${ptr}/${key}`, `"${key}" expected ${expect}`);
  return fallback;
}

function readEnum<T extends string>(ctx: Ctx, obj: Record<string, unknown>, key: string, ptr: string, values: readonly T[], fallback: T): T {
  const v = getCi(obj, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') {
    const hit = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
    if (hit !== undefined) return hit;
  }
  bad(ctx, `${ptr}/${key}`, `"${key}" expected one of ${values.join(', ')}`);
  return fallback;
}

function readKey(ctx: Ctx, obj: Record<string, unknown>, key: string, ptr: string, fallbackSize: number): Uint8Array {
  const v = getCi(obj, key);
  if (v === undefined || v === null) return ctx.random(fallbackSize);
  if (typeof v === 'string') return utf8.encode(v);
  if (typeof v === 'number' && Number.isFinite(v)) return utf8.encode(String(v)); // Newtonsoft reads 123 as "123"
  bad(ctx, `${ptr}/${key}`, `"${key}" expected a string`);
  return ctx.random(fallbackSize);
}

/** Builds the normalized settings of one method from the merged raw object. */
function normalizeSettings(ctx: Ctx, method: DicomMethodName, raw: Record<string, unknown>, ptr: string, defaults: Record<string, unknown>): Record<string, unknown> {
  switch (method) {
    case 'redact':
      return {
        enablePartialAgesForRedact: readBool(ctx, raw, 'enablePartialAgesForRedact', ptr, false),
        enablePartialDatesForRedact: readBool(ctx, raw, 'enablePartialDatesForRedact', ptr, false),
      };
    case 'dateShift': {
      const settings: Record<string, unknown> = {
        dateShiftKey: getCi(raw, 'dateShiftKey') === undefined ? new Uint8Array(0) : readKey(ctx, raw, 'dateShiftKey', ptr, 0),
        dateShiftRange: readNumber(ctx, raw, 'dateShiftRange', ptr, 50, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'an integer in [0, 4294967295]'),
        dateShiftScope: readEnum(ctx, raw, 'dateShiftScope', ptr, ['StudyInstance', 'SeriesInstance', 'SopInstance'] as const, 'SopInstance'),
      };
      // Extension: a keyed HMAC offset instead of the reference's public rolling hash.
      if (getCi(raw, 'dateShiftAlgorithm') !== undefined && readEnum(ctx, raw, 'dateShiftAlgorithm', ptr, ['Reference', 'Hmac'] as const, 'Reference') === 'Hmac') {
        settings['dateShiftAlgorithm'] = 'hmac';
        if ((settings['dateShiftKey'] as Uint8Array).length < 16) bad(ctx, `${ptr}/dateShiftKey`, '"dateShiftKey" expected at least 16 bytes with dateShiftAlgorithm Hmac');
        const range = settings['dateShiftRange'] as number;
        if (range < 1 || range > 36_500) bad(ctx, `${ptr}/dateShiftRange`, '"dateShiftRange" expected an integer in [1, 36500] with dateShiftAlgorithm Hmac');
      }
      return settings;
    }
    case 'cryptoHash': {
      const type = readEnum(ctx, raw, 'cryptoHashType', ptr, ['Sha256', 'Sha384', 'Sha512'] as const, 'Sha256');
      return {
        cryptoHashKey: readKey(ctx, raw, 'cryptoHashKey', ptr, 32),
        cryptoHashType: type.toLowerCase(),
        matchInputStringLength: readBool(ctx, raw, 'matchInputStringLength', ptr, false),
      };
    }
    case 'encrypt': {
      const key = readKey(ctx, raw, 'encryptKey', ptr, 32);
      if (key.length !== 16 && key.length !== 24 && key.length !== 32) bad(ctx, `${ptr}/encryptKey`, '"encryptKey" expected 16, 24 or 32 bytes of UTF-8');
      return { encryptKey: key };
    }
    case 'substitute': {
      const v = getCi(raw, 'replaceWith');
      if (v !== undefined && v !== null && typeof v === 'object') bad(ctx, `${ptr}/replaceWith`, '"replaceWith" expected a string or number');
      return { replaceWith: v === undefined || v === null ? 'Anonymous' : typeof v === 'object' ? '' : String(v) };
    }
    case 'perturb':
      return {
        span: readNumber(ctx, raw, 'span', ptr, 1, (n) => n >= 0, 'a number ≥ 0'),
        roundTo: readNumber(ctx, raw, 'roundTo', ptr, 2, (n) => Number.isInteger(n) && n >= 0 && n <= 28, 'an integer in [0, 28]'),
        rangeType: readEnum(ctx, raw, 'rangeType', ptr, ['Fixed', 'Proportional'] as const, 'Proportional'),
      };
    case 'refreshUID': {
      const own = getCi(raw, 'uidKey');
      if (own !== undefined) return { uidKey: readKey(ctx, raw, 'uidKey', ptr, 32) };
      // The default cryptoHashKey, read as readKey reads it (a number is its decimal text, as
      // Newtonsoft binds it); a value of another type was already reported by the cryptoHash rules.
      const hashKey = isObject(defaults['cryptoHash']) ? getCi(defaults['cryptoHash'], 'cryptoHashKey') : undefined;
      if (typeof hashKey === 'string') return { uidKey: utf8.encode(hashKey) };
      if (typeof hashKey === 'number' && Number.isFinite(hashKey)) return { uidKey: utf8.encode(String(hashKey)) };
      return { uidKey: ctx.random(32) };
    }
    default:
      return {};
  }
}

/**
 * Loads a configuration in the reference tool's DICOM format.
 *
 * Accepted exactly as the reference accepts it (BOM and trailing commas tolerated; unknown keys
 * ignored). Rejected, with every problem listed in {@link ConfigError.diagnostics} (code and JSON
 * pointer each; `ERR_RULE_COMPILE` for a `tag` that is no selector, `ERR_CONFIG_INVALID` for the
 * rest): a missing or non-array `rules`; a rule without `tag` or `method`; an unknown
 * method (custom methods are not supported); a `tag` that is no tag, masked tag, VR or keyword; a
 * `setting` not defined in `customSettings`; `params` that is not an object; an invalid setting
 * value (perturb `span` < 0, `roundTo` outside 0–28, unknown `rangeType`, `dateShiftScope` or
 * `cryptoHashType`, an `encryptKey` that is not 16/24/32 bytes of UTF-8, non-boolean flags).
 *
 * Keys the configuration leaves out are random per load (as in the reference): outputs then differ
 * between runs. `refreshUID` uses `defaultSettings.refreshUID.uidKey` when given (an extension),
 * else the default `cryptoHashKey`, else a random key.
 * @param text - JSON text, or an already parsed object.
 * @param options - File name for errors; random source for tests.
 * @returns The rule set.
 * @throws {@link ConfigParseError} when the text is not JSON; {@link ConfigError} when it is not a
 * valid configuration.
 * @example Loading the reference's sample
 * ```ts
 * import { loadDicomConfig } from './reference-config.ts';
 * const set = loadDicomConfig('{"rules":[{"tag":"PatientName","method":"redact"},{"tag":"DA","method":"remove"}]}');
 * set.match(0x00100010, 'PN')?.method; // 'redact'
 * set.match(0x00080020, 'DA')?.method; // 'remove'
 * ```
 */
export function loadDicomConfig(text: string | unknown, options: LoadDicomConfigOptions = {}): DicomRuleSet {
  const file = options.file;
  const doc = typeof text === 'string' ? parseJsonText(text, file) : text;
  const ctx: Ctx = { diagnostics: [], random: options.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n))) };
  const rules: DicomRule[] = [];
  const selectors: Selector[] = [];
  if (!isObject(doc)) {
    bad(ctx, '', 'configuration expected a JSON object');
  } else {
    const defaults = doc['defaultSettings'] ?? {};
    const customs = doc['customSettings'] ?? {};
    if (!isObject(defaults)) bad(ctx, '/defaultSettings', '"defaultSettings" expected an object');
    if (!isObject(customs)) bad(ctx, '/customSettings', '"customSettings" expected an object');
    const defaultsObj = isObject(defaults) ? defaults : {};
    const customsObj = isObject(customs) ? customs : {};
    const list = doc['rules'];
    if (!Array.isArray(list)) {
      bad(ctx, '/rules', list === undefined ? '"rules" is missing' : '"rules" expected an array');
    } else {
      list.forEach((rule, index) => {
        const ptr = `/rules/${index}`;
        if (!isObject(rule)) return bad(ctx, ptr, 'rule expected an object');
        const tagRaw = rule['tag'];
        const methodRaw = rule['method'];
        let method: DicomMethodName | undefined;
        if (methodRaw === undefined) bad(ctx, `${ptr}/method`, 'rule is missing "method"');
        else if (typeof methodRaw !== 'string' || (method = METHODS.get(methodRaw.trim().toLowerCase())) === undefined) {
          bad(ctx, `${ptr}/method`, '"method" expected one of keep, remove, redact, dateShift, cryptoHash, encrypt, substitute, perturb, refreshUID');
        }
        let selector: Selector | undefined;
        if (tagRaw === undefined) bad(ctx, `${ptr}/tag`, 'rule is missing "tag"');
        else if (typeof tagRaw !== 'string' || (selector = parseSelector(tagRaw)) === undefined) {
          ctx.diagnostics.push({ code: 'ERR_RULE_COMPILE', pointer: `${ptr}/tag`, message: '"tag" expected a tag like (0010,0010), a masked tag like (50xx,xxxx), a VR code or a keyword' });
        }
        let base: Record<string, unknown> = {};
        let basePtr = '';
        const settingName = rule['setting'];
        if (settingName !== undefined) {
          const named = typeof settingName === 'string' ? customsObj[settingName] : undefined;
          if (!isObject(named)) bad(ctx, `${ptr}/setting`, '"setting" names no object in "customSettings"');
          else { base = named; basePtr = `/customSettings/${escapePointer(settingName as string)}`; }
        } else if (method !== undefined) {
          const key = Object.keys(defaultsObj).find((k) => k.toLowerCase() === method!.toLowerCase());
          if (key !== undefined) {
            if (!isObject(defaultsObj[key])) bad(ctx, `/defaultSettings/${escapePointer(key)}`, 'default setting expected an object');
            else { base = defaultsObj[key] as Record<string, unknown>; basePtr = `/defaultSettings/${escapePointer(key)}`; }
          }
        }
        const params = rule['params'];
        if (params !== undefined && params !== null && !isObject(params)) bad(ctx, `${ptr}/params`, '"params" expected an object');
        if (method === undefined || selector === undefined) return;
        // Merge over a copy; report bad values where they were written.
        const merged: Record<string, unknown> = { ...base };
        const paramsObj = isObject(params) ? params : {};
        for (const [k, v] of Object.entries(paramsObj)) {
          for (const existing of Object.keys(merged)) if (existing.toLowerCase() === k.toLowerCase()) delete merged[existing];
          merged[k] = v;
        }
        const before = ctx.diagnostics.length;
        const settings = normalizeSettings(ctx, method, merged, `${ptr}/params`, defaultsObj);
        for (let i = before; i < ctx.diagnostics.length; i++) {
          const d = ctx.diagnostics[i]!;
          const key = d.pointer.slice(`${ptr}/params/`.length);
          const inParams = Object.keys(paramsObj).some((k) => k.toLowerCase() === key.toLowerCase());
          if (!inParams) ctx.diagnostics[i] = { ...d, pointer: `${basePtr}/${escapePointer(key)}` };
        }
        rules.push(Object.freeze({ index, tagSpec: tagRaw as string, method, settings: Object.freeze(settings) }));
        selectors.push(selector);
      });
    }
  }
  if (ctx.diagnostics.length > 0) {
    // A bad default setting used by several rules is reported once.
    const seen = new Set<string>();
    const unique = ctx.diagnostics.filter((d) => !seen.has(d.pointer + '\n' + d.message) && seen.add(d.pointer + '\n' + d.message) !== undefined);
    throw new ConfigError(`DICOM configuration is invalid: ${unique.length} problem(s)`, unique, file !== undefined ? { location: { file } } : {});
  }
  return compile(Object.freeze(rules), selectors);
}

function compile(rules: readonly DicomRule[], selectors: readonly Selector[]): DicomRuleSet {
  const exact = new Map<number, number[]>();
  const byVr = new Map<string, number>();
  const masks: number[] = [];
  selectors.forEach((s, i) => {
    if (s.kind === 'tag') {
      const list = exact.get(s.tag);
      if (list === undefined) exact.set(s.tag, [i]);
      else list.push(i);
    } else if (s.kind === 'vr') {
      if (!byVr.has(s.vr)) byVr.set(s.vr, i);
    } else masks.push(i);
  });
  // A creator-qualified selector matches private data elements (block 10–FF) of that creator only.
  const creatorOk = (s: Selector, creator: string | undefined, tag: number): boolean =>
    s.kind === 'vr' || s.creator === undefined || (creator !== undefined && creator.trim() === s.creator && (tag & 0xffff) >= 0x1000);
  return {
    rules,
    match(tag: number, vr: string, privateCreator?: string): DicomRule | undefined {
      const t = tag >>> 0;
      let best = byVr.get(vr) ?? Infinity;
      const candidates = exact.get(t);
      if (candidates !== undefined) {
        for (const i of candidates) {
          if (i >= best) break;
          if (creatorOk(selectors[i]!, privateCreator, t)) { best = i; break; }
        }
      }
      for (const i of masks) {
        if (i >= best) break;
        const s = selectors[i] as { value: number; mask: number };
        if (((t & s.mask) >>> 0) === s.value && creatorOk(selectors[i]!, privateCreator, t)) { best = i; break; }
      }
      return best === Infinity ? undefined : rules[best];
    },
  };
}

/** A warning about a loaded configuration (never holds a setting value). */
export interface DicomConfigWarning {
  /** Stable code. */
  readonly code: 'W_DICOM_DATESHIFT_NO_KEY' | 'W_DICOM_DATESHIFT_WEAK_KEY' | 'W_DICOM_DATESHIFT_NO_SHIFT';
  /** What is wrong, naming the rule by its index. */
  readonly message: string;
  /** JSON pointer of the rule. */
  readonly pointer: string;
}

/**
 * Warnings about the reference tool's `dateShift` method in a configuration. Its offset is a
 * public rolling hash of the scope UID and `dateShiftKey` (not a keyed MAC): with an empty key the
 * offset of every study follows from its original UID alone; with a short key (fewer than 16
 * bytes, like the reference's default `"123"`) it can be guessed; one known (UID, offset) pair
 * predicts the others once the key length is guessed. A `dateShiftRange` of 0 leaves every date
 * unchanged. One warning per rule and problem.
 * @param set - A loaded configuration.
 * @returns The warnings, in rule order (empty when every dateShift rule has a key of at least 16
 * bytes and a range of at least 1).
 * @example The reference's sample key is weak
 * ```ts
 * import { dateShiftWarnings, loadDicomConfig } from './reference-config.ts';
 * const set = loadDicomConfig('{"rules":[{"tag":"DA","method":"dateShift","params":{"dateShiftKey":"123"}}]}');
 * dateShiftWarnings(set).map((w) => w.code); // ['W_DICOM_DATESHIFT_WEAK_KEY']
 * ```
 */
export function dateShiftWarnings(set: DicomRuleSet): DicomConfigWarning[] {
  const out: DicomConfigWarning[] = [];
  for (const rule of set.rules) {
    if (rule.method !== 'dateShift') continue;
    const pointer = `/rules/${rule.index}`;
    const key = rule.settings['dateShiftKey'];
    const keyLength = key instanceof Uint8Array ? key.length : 0;
    if (keyLength === 0) {
      out.push({ code: 'W_DICOM_DATESHIFT_NO_KEY', pointer, message: `dateShift rule ${rule.index} has no dateShiftKey: its offsets follow from the original UIDs alone` });
    } else if (keyLength < 16) {
      out.push({ code: 'W_DICOM_DATESHIFT_WEAK_KEY', pointer, message: `dateShift rule ${rule.index} has a dateShiftKey shorter than 16 bytes: its offsets can be guessed` });
    }
    if (rule.settings['dateShiftRange'] === 0) {
      out.push({ code: 'W_DICOM_DATESHIFT_NO_SHIFT', pointer, message: `dateShift rule ${rule.index} has dateShiftRange 0: dates are not shifted` });
    }
  }
  return out;
}
