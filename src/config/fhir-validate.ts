/**
 * Validation and normalization of a FHIR configuration: the tolerant reader, the
 * reference tool's name matching, the JSON Schema (ajv), then the semantic checks
 * (FHIRPath compiled with the release's model, key sizes, version). Every problem is
 * reported, in document order; nothing stops at the first.
 * @module
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ErrorCode } from '../errors.ts';
import type { FhirConfigDiagnostic, DiagnosticReason } from './fhir-diagnostics.ts';
import { FHIR_CONFIG_SCHEMA, FHIR_METHODS } from './fhir-schema.ts';
import { checkFhirPath, normalizeRulePath } from './fhirpath-check.ts';
import { findUnknownElement } from './fhir-model-check.ts';
import { FHIR_KEY_ENV_VARS, readKeyFile, resolveKeys } from './fhir-keys.ts';
import type { FhirKeys, KeyFileInput } from './fhir-keys.ts';
import { tryReadJsonText } from './json-reader.ts';
import type { TextPosition } from './json-reader.ts';
import { joinPointer, splitPointer } from './pointer.ts';
import type {
  DateShiftScope,
  FhirConfig,
  FhirMethod,
  FhirParameters,
  FhirRule,
  FhirVersion,
  ProcessingErrors,
} from './fhir-types.ts';

/** Options of {@link validateFhirConfig} and `loadFhirConfig`. */
export interface FhirConfigOptions {
  /** Configuration file name, for error locations. */
  readonly file?: string;
  /** The release the caller will process; a configuration naming another release is rejected. */
  readonly fhirVersion?: FhirVersion;
  /** Keys given by the program; they win over every other source. */
  readonly keys?: FhirKeys;
  /** A key file's text (JSON object with `cryptoHashKey`, `encryptKey`, `dateShiftKey`), read by the caller. */
  readonly keyFile?: KeyFileInput;
  /** Environment lookup for `HEALTH_ANONYMIZER_*_KEY`; nothing is read from the environment without it. */
  readonly env?: (name: string) => string | undefined;
}

/** What {@link validateFhirConfig} returns. */
export interface FhirConfigValidation {
  /** `true` when there is no error (warnings allowed). */
  readonly ok: boolean;
  /** Every problem found (errors and warnings), in document order. */
  readonly diagnostics: readonly FhirConfigDiagnostic[];
  /** The normalized configuration, when `ok`. */
  readonly config?: FhirConfig;
}

const TOP_KEYS = ['fhirVersion', 'processingErrors', 'fhirPathRules', 'parameters'] as const;
const PARAMETER_KEYS = [
  'dateShiftKey', 'dateShiftScope', 'dateShiftFixedOffsetInDays', 'cryptoHashKey', 'encryptKey',
  'enablePartialAgesForRedact', 'enablePartialDatesForRedact', 'enablePartialZipCodesForRedact',
  'restrictedZipCodeTabulationAreas', 'customSettings',
] as const;
// Rule keys, case-sensitive as in the reference tool, with the methods that use them.
const RULE_KEYS: Readonly<Record<string, readonly FhirMethod[] | 'all'>> = {
  path: 'all',
  method: 'all',
  replaceWith: ['substitute'],
  span: ['perturb'],
  rangeType: ['perturb'],
  roundTo: ['perturb'],
  cases: ['generalize'],
  otherValues: ['generalize'],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setOwn(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

let compiledSchema: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (compiledSchema === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, logger: false });
    compiledSchema = ajv.compile(FHIR_CONFIG_SCHEMA);
  }
  return compiledSchema;
}

class Collector {
  readonly list: Array<FhirConfigDiagnostic & { readonly seq: number }> = [];
  readonly positions: ReadonlyMap<string, TextPosition> | undefined;
  readonly order = new Map<string, number>();
  topNames = new Map<string, string>();
  parameterNames = new Map<string, string>();

  constructor(positions: ReadonlyMap<string, TextPosition> | undefined) {
    this.positions = positions;
  }

  /** Maps a pointer written with canonical names back to the names the document uses. */
  original(pointer: string): string {
    const tokens = splitPointer(pointer);
    if (tokens.length > 0) tokens[0] = this.topNames.get(tokens[0]!) ?? tokens[0]!;
    if (tokens.length > 1 && tokens[0] === (this.topNames.get('parameters') ?? 'parameters')) {
      tokens[1] = this.parameterNames.get(tokens[1]!) ?? tokens[1]!;
    }
    return tokens.reduce<string>((p, t) => joinPointer(p, t), '');
  }

  add(severity: 'error' | 'warning', code: ErrorCode, reason: DiagnosticReason, canonicalPointer: string, message: string, file?: string): void {
    const pointer = file === undefined ? this.original(canonicalPointer) : canonicalPointer;
    let position: TextPosition | undefined;
    if (file === undefined && this.positions !== undefined) {
      for (let p = pointer; position === undefined; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        position = this.positions.get(p);
        if (p === '') break;
      }
    }
    this.list.push({
      severity, code, reason, pointer, message, seq: this.list.length,
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
      ...(file === undefined ? {} : { file }),
    });
  }

  addExternal(d: FhirConfigDiagnostic): void {
    this.list.push({ ...d, seq: this.list.length });
  }

  error(code: ErrorCode, reason: DiagnosticReason, pointer: string, message: string): void {
    this.add('error', code, reason, pointer, message);
  }

  warn(reason: DiagnosticReason, pointer: string, message: string): void {
    this.add('warning', 'ERR_CONFIG_INVALID', reason, pointer, message);
  }

  sorted(): FhirConfigDiagnostic[] {
    const rank = (d: FhirConfigDiagnostic): number => {
      if (d.file !== undefined) return Number.MAX_SAFE_INTEGER;
      for (let p = d.pointer; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        const r = this.order.get(p);
        if (r !== undefined) return r;
        if (p === '') return 0;
      }
    };
    return [...this.list]
      .map((d) => ({ d, r: rank(d) }))
      .sort((a, b) => a.r - b.r || a.d.seq - b.d.seq)
      .map(({ d }) => {
        const { seq: _seq, ...rest } = d;
        return rest;
      });
  }
}

// Copies a JS value as JSON, recording document order; non-JSON values become diagnostics.
function copyJson(value: unknown, pointer: string, c: Collector, seen: Set<object>): Json | undefined {
  c.order.set(pointer, c.order.size);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value must be a finite JSON number');
    return undefined;
  }
  if (typeof value === 'object') {
    if (seen.has(value)) {
      c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value refers to itself; a configuration must be a JSON tree');
      return undefined;
    }
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const out: Json[] = [];
        value.forEach((item, i) => {
          const copy = copyJson(item, joinPointer(pointer, i), c, seen);
          out.push(copy === undefined ? null : copy);
        });
        return out;
      }
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const copy = copyJson(v, joinPointer(pointer, k), c, seen);
        if (copy !== undefined) setOwn(out, k, copy);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
  c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value is not JSON data');
  return undefined;
}

function recordOrder(value: Json, pointer: string, c: Collector): void {
  c.order.set(pointer, c.order.size);
  if (Array.isArray(value)) value.forEach((v, i) => recordOrder(v, joinPointer(pointer, i), c));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) recordOrder(v, joinPointer(pointer, k), c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** A known name close to a misspelt one (edit distance ≤ 2, ignoring case), as a hint. */
function nearName(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

// Case-insensitive member matching (the reference's Newtonsoft binding) into canonical names.
function canonicalMembers(
  source: JsonObject,
  known: readonly string[],
  pointer: string,
  names: Map<string, string>,
  c: Collector,
  where: string,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (pointer === '' && key === '$schema') continue; // editor hint, see docs/fhir-configuration.md
    const canonical = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (canonical === undefined) {
      const near = nearName(key, known);
      c.warn('unknown-key', joinPointer(pointer, key), `${where} has a property the loader does not know; it is ignored${near === undefined ? '' : ` (did you mean ${near}?)`}`);
      continue;
    }
    if (names.has(canonical)) {
      c.error('ERR_CONFIG_INVALID', 'duplicate-key', joinPointer(pointer, key), `${where} gives ${canonical} twice (property names are case-insensitive here)`);
      continue;
    }
    names.set(canonical, key);
    setOwn(out, canonical, value);
  }
  return out;
}

const FIELD_MESSAGES: Readonly<Record<string, string>> = {
  '': 'Configuration must be a JSON object',
  fhirVersion: 'fhirVersion must be "R4" or "STU3" (any case), or empty',
  processingErrors: 'processingErrors must be "raise" or "skip"',
  fhirPathRules: 'fhirPathRules must be an array of rules',
  rule: 'Each rule must be an object with path and method',
  path: 'Rule path must be a non-empty string holding a FHIRPath expression',
  method: `Rule method must be one of ${FHIR_METHODS.join(', ')} (any case)`,
  span: 'perturb span must be a number ≥ 0 (or a string holding one)',
  roundTo: 'perturb roundTo must be an integer from 0 to 28 (or a string holding one)',
  rangeType: 'perturb rangeType must be "fixed" or "proportional"',
  cases: 'generalize cases must be an object mapping FHIRPath predicates to FHIRPath expressions',
  case: 'generalize case value must be a FHIRPath expression string',
  otherValues: 'generalize otherValues must be "redact" or "keep"',
  parameters: 'parameters must be an object',
  dateShiftKey: 'dateShiftKey must be a string',
  cryptoHashKey: 'cryptoHashKey must be a string',
  encryptKey: 'encryptKey must be a string',
  dateShiftScope: 'dateShiftScope must be one of resource, file, folder, patient',
  dateShiftFixedOffsetInDays: 'dateShiftFixedOffsetInDays must be a whole number of days',
  enablePartialAgesForRedact: 'enablePartialAgesForRedact must be true or false',
  enablePartialDatesForRedact: 'enablePartialDatesForRedact must be true or false',
  enablePartialZipCodesForRedact: 'enablePartialZipCodesForRedact must be true or false',
  restrictedZipCodeTabulationAreas: 'restrictedZipCodeTabulationAreas must be an array of strings',
  zip: 'Each restricted ZIP code area must be a string',
};

function fieldOf(pointer: string): string {
  const t = splitPointer(pointer);
  if (t.length === 0) return '';
  if (t[0] === 'fhirPathRules') {
    if (t.length === 1) return 'fhirPathRules';
    if (t.length === 2) return 'rule';
    if (t.length === 3) return t[2]!;
    return t[2] === 'cases' ? 'case' : t[2]!;
  }
  if (t[0] === 'parameters') {
    if (t.length === 1) return 'parameters';
    if (t.length === 2) return t[1]!;
    return 'zip';
  }
  return t[0]!;
}

function valueAt(doc: Json, pointer: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

function schemaDiagnostics(doc: Json, c: Collector): void {
  const validate = schemaValidator();
  if (validate(doc)) return;
  const groups = new Map<string, ErrorObject[]>();
  for (const err of validate.errors ?? []) {
    if (err.keyword === 'if') continue;
    if (err.keyword === 'required') {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      const pointer = joinPointer(err.instancePath, missing);
      const field = fieldOf(pointer);
      const what = field === 'fhirPathRules' ? 'fhirPathRules is required' :
        field === 'replaceWith' ? 'substitute rule needs replaceWith (it may be null)' :
        field === 'span' ? 'perturb rule needs span' :
        field === 'cases' ? 'generalize rule needs cases' :
        `Rule needs ${missing}`;
      c.error('ERR_CONFIG_INVALID', 'missing', pointer, what);
      continue;
    }
    const list = groups.get(err.instancePath) ?? [];
    list.push(err);
    groups.set(err.instancePath, list);
  }
  for (const [pointer, errors] of groups) {
    const field = fieldOf(pointer);
    // A number where an integer is wanted is a bad value, not a bad type.
    const fractional = typeof valueAt(doc, pointer) === 'number' && errors.some((e) => e.keyword === 'type' && (e.params as { type?: string }).type === 'integer');
    const onlyType = !fractional && errors.every((e) => e.keyword === 'type' || e.keyword === 'anyOf');
    let reason: DiagnosticReason = onlyType ? 'type' : 'invalid-value';
    if (!onlyType && field === 'method') reason = 'unknown-method';
    if (!onlyType && field === 'fhirVersion') reason = 'unsupported-version';
    c.error('ERR_CONFIG_INVALID', reason, pointer, FIELD_MESSAGES[field] ?? 'Value is not valid here');
  }
}

function canonicalMethod(value: Json | undefined): FhirMethod | undefined {
  if (typeof value !== 'string') return undefined;
  return FHIR_METHODS.find((m) => m.toLowerCase() === value.toLowerCase()) as FhirMethod | undefined;
}

function parseVersion(value: Json | undefined): FhirVersion | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  return v === 'r4' ? 'R4' : v === 'stu3' ? 'Stu3' : undefined;
}

function checkExpressions(doc: JsonObject, version: FhirVersion, c: Collector): void {
  const rules = doc['fhirPathRules'];
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, i) => {
    if (!isObject(rule)) return;
    const base = joinPointer('/fhirPathRules', i);
    const method = canonicalMethod(rule['method']);
    for (const key of Object.keys(rule)) {
      const usedBy = RULE_KEYS[key];
      if (usedBy === undefined) {
        const sameLetters = Object.keys(RULE_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
        const near = nearName(key, Object.keys(RULE_KEYS));
        c.warn('unknown-key', joinPointer(base, key), sameLetters !== undefined
          ? `Rule property names are case-sensitive: this one is ignored; write ${sameLetters}`
          : `Rule has a property the loader does not know; it is ignored${near === undefined ? '' : ` (did you mean ${near}?)`}`);
      } else if (usedBy !== 'all' && method !== undefined && !usedBy.includes(method)) {
        c.warn('ignored-key', joinPointer(base, key), `Rule property ${key} is ignored by method ${method}`);
      }
    }
    const path = rule['path'];
    if (typeof path === 'string' && path !== '') {
      const normalized = normalizeRulePath(path);
      const problems = checkFhirPath(normalized, version);
      for (const p of problems) {
        c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', joinPointer(base, 'path'), `Rule path ${p.message}`);
      }
      if (problems.length === 0) {
        const unknown = findUnknownElement(normalized, version);
        if (unknown !== undefined) {
          c.warn('unknown-element', joinPointer(base, 'path'), unknown.kind === 'type'
            ? `Rule path starts with ${unknown.name}, which is not a ${version} resource or data type; the rule matches nothing`
            : `Rule path names the element ${unknown.name}, which the ${version} model does not define; the rule matches nothing`);
        }
      }
    }
    if (method === 'perturb' && (rule['span'] === 0 || (typeof rule['span'] === 'string' && Number(rule['span'].trim()) === 0))) {
      c.warn('no-effect', joinPointer(base, 'span'), 'perturb span is 0: values are kept exactly, yet labelled PERTURBED');
    }
    const cases = rule['cases'];
    if (method === 'generalize' && isObject(cases)) {
      for (const [predicate, value] of Object.entries(cases)) {
        const pointer = joinPointer(joinPointer(base, 'cases'), predicate);
        for (const p of checkFhirPath(predicate, version)) {
          c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', pointer, `generalize case predicate ${p.message}`);
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          for (const p of checkFhirPath(String(value), version)) {
            c.error('ERR_RULE_COMPILE', p.kind === 'offline' ? 'offline' : 'fhirpath', pointer, `generalize case value ${p.message}`);
          }
        }
      }
    }
  });
}

function aesKeyLength(key: string): boolean {
  const n = new TextEncoder().encode(key).length;
  return n === 16 || n === 24 || n === 32;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function stringOrUndefined(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

type CaseOrder = (index: number, entries: Array<readonly [string, string]>) => Array<readonly [string, string]>;

function normalizeRule(rule: JsonObject, index: number, order: CaseOrder): FhirRule {
  const method = canonicalMethod(rule['method'])!;
  const path = normalizeRulePath(rule['path'] as string);
  switch (method) {
    case 'substitute':
      return { path, method, replaceWith: structuredClone(rule['replaceWith']), index };
    case 'perturb': {
      const rangeType = typeof rule['rangeType'] === 'string' && rule['rangeType'].toLowerCase() === 'proportional' ? 'proportional' : 'fixed';
      const roundTo = rule['roundTo'] === undefined ? 2 : Number(String(rule['roundTo']).trim());
      return { path, method, span: Number(String(rule['span']).trim()), rangeType, roundTo, index };
    }
    case 'generalize': {
      const cases = order(index, Object.entries(rule['cases'] as JsonObject).map(([k, v]) => [k, String(v)] as const));
      const otherValues = typeof rule['otherValues'] === 'string' && rule['otherValues'].toLowerCase() === 'keep' ? 'keep' : 'redact';
      return { path, method, cases, otherValues, index };
    }
    default:
      return { path, method, index };
  }
}

/**
 * Validates a FHIR configuration and, when it is valid, normalizes it. Never throws
 * for a bad configuration: every problem is in `diagnostics`.
 *
 * Accepts the reference tool's files unchanged (BOM, trailing commas, comments;
 * top-level and `parameters` names in any case; methods and enumerations in any
 * case). Keys come from `options` by the precedence documented in `fhir-keys.ts`.
 * @param source - Configuration text, its UTF-8 bytes, or an already parsed object.
 * @param options - File name, expected release, and key sources.
 * @returns `ok`, every diagnostic in document order, and the normalized configuration when ok.
 * @throws Nothing for a bad configuration or key file: syntax errors are diagnostics too.
 * @example Two problems reported at once
 * ```ts
 * import { validateFhirConfig } from 'health-anonymizer/config';
 * const r = validateFhirConfig('{"fhirPathRules": [{"path": "Patient", "method": "perturb", "span": -1}, {"path": "x(", "method": "redact"}]}');
 * r.ok; // false
 * r.diagnostics.map((d) => d.pointer); // ['/fhirPathRules/0/span', '/fhirPathRules/1/path']
 * ```
 */
export function validateFhirConfig(source: string | unknown, options: FhirConfigOptions = {}): FhirConfigValidation {
  let raw: Json;
  let c: Collector;
  if (source instanceof Uint8Array) {
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(source);
    } catch {
      return { ok: false, diagnostics: [{ severity: 'error', code: 'ERR_CONFIG_PARSE', reason: 'syntax', pointer: '', message: 'Configuration is not valid UTF-8' }] };
    }
  }
  if (typeof source === 'string') {
    const read = tryReadJsonText(source);
    if ('syntax' in read) {
      const { what, position } = read.syntax;
      const d: FhirConfigDiagnostic = {
        severity: 'error', code: 'ERR_CONFIG_PARSE', reason: 'syntax', pointer: '',
        message: `Configuration is not valid JSON: ${what}`, line: position.line, column: position.column,
      };
      return { ok: false, diagnostics: [d] };
    }
    c = new Collector(read.positions);
    raw = read.value as Json;
    recordOrder(raw, '', c);
    for (const dup of read.duplicates) {
      c.error('ERR_CONFIG_INVALID', 'duplicate-key', dup.pointer, 'Property name is given twice in one object');
    }
  } else {
    c = new Collector(undefined);
    const copy = copyJson(source, '', c, new Set());
    if (copy === undefined) return { ok: false, diagnostics: c.sorted() };
    raw = copy;
  }

  // Canonical names for the top level and parameters (case-insensitive, as the reference).
  let doc: Json = raw;
  if (isObject(raw)) {
    const top = canonicalMembers(raw, TOP_KEYS, '', c.topNames, c, 'Configuration');
    const params = top['parameters'];
    if (isObject(params)) {
      setOwn(top, 'parameters', canonicalMembers(params, PARAMETER_KEYS, '/parameters', c.parameterNames, c, 'parameters'));
    }
    doc = top;
  }
  schemaDiagnostics(doc, c);

  let version: FhirVersion | undefined;
  if (isObject(doc)) {
    const declared = doc['fhirVersion'];
    version = parseVersion(declared);
    if (declared === undefined || declared === null || declared === '') {
      c.warn('no-version', '/fhirVersion', 'fhirVersion is empty; the configuration is used for any release');
    } else if (version !== undefined && options.fhirVersion !== undefined && version !== options.fhirVersion) {
      c.error('ERR_UNSUPPORTED', 'version-mismatch', '/fhirVersion', `Configuration is for ${version === 'Stu3' ? 'STU3' : 'R4'} but the data is ${options.fhirVersion === 'Stu3' ? 'STU3' : 'R4'}`);
    }
    checkExpressions(doc, options.fhirVersion ?? version ?? 'R4', c);
    const params = isObject(doc['parameters']) ? doc['parameters'] : {};
    if (params['customSettings'] !== undefined && params['customSettings'] !== null) {
      c.warn('unknown-key', '/parameters/customSettings', 'customSettings is ignored: custom processors are not supported');
    }
    const fixedOffset = params['dateShiftFixedOffsetInDays'];
    if (fixedOffset === 0 || (typeof fixedOffset === 'string' && fixedOffset.trim() !== '' && Number(fixedOffset.trim()) === 0)) {
      c.warn('no-effect', '/parameters/dateShiftFixedOffsetInDays', 'dateShiftFixedOffsetInDays is 0: dates are kept exactly, yet labelled PERTURBED');
    }
    const configKey = params['encryptKey'];
    if (typeof configKey === 'string' && configKey !== '' && !aesKeyLength(configKey)) {
      c.error('ERR_KEY_SIZE', 'key-size', '/parameters/encryptKey', 'encryptKey must be 16, 24 or 32 bytes long in UTF-8');
    }
  }

  // Keys from outside the file.
  const keyFileProblems: FhirConfigDiagnostic[] = [];
  const fromKeyFile = options.keyFile === undefined ? undefined : readKeyFile(options.keyFile, keyFileProblems);
  for (const d of keyFileProblems) c.addExternal(d);
  const params: JsonObject = isObject(doc) && isObject(doc['parameters']) ? doc['parameters'] : {};
  const keys = resolveKeys({
    ...(options.keys === undefined ? {} : { option: options.keys }),
    ...(fromKeyFile === undefined ? {} : { keyFile: fromKeyFile }),
    ...(options.env === undefined ? {} : { env: options.env }),
    config: {
      ...(stringOrUndefined(params['cryptoHashKey']) === undefined ? {} : { cryptoHashKey: params['cryptoHashKey'] as string }),
      ...(stringOrUndefined(params['encryptKey']) === undefined ? {} : { encryptKey: params['encryptKey'] as string }),
      ...(stringOrUndefined(params['dateShiftKey']) === undefined ? {} : { dateShiftKey: params['dateShiftKey'] as string }),
    },
  });
  const enc = keys.encryptKey;
  if (enc.source !== 'config' && enc.source !== 'random' && !aesKeyLength(enc.value)) {
    if (enc.source === 'keyFile') {
      c.add('error', 'ERR_KEY_SIZE', 'key-size', '/encryptKey', 'encryptKey must be 16, 24 or 32 bytes long in UTF-8', options.keyFile?.file ?? 'key file');
    } else {
      const from = enc.source === 'env' ? `environment variable ${FHIR_KEY_ENV_VARS.encryptKey}` : 'keys.encryptKey option';
      c.add('error', 'ERR_KEY_SIZE', 'key-size', '', `encryptKey from the ${from} must be 16, 24 or 32 bytes long in UTF-8`, from);
    }
  }

  const diagnostics = c.sorted();
  if (diagnostics.some((d) => d.severity === 'error') || !isObject(doc)) return { ok: false, diagnostics };

  const offset = params['dateShiftFixedOffsetInDays'];
  const zips = params['restrictedZipCodeTabulationAreas'];
  const parameters: FhirParameters = {
    dateShiftKey: keys.dateShiftKey.value,
    dateShiftScope: (typeof params['dateShiftScope'] === 'string' ? params['dateShiftScope'].toLowerCase() : 'resource') as DateShiftScope,
    ...(offset === undefined || offset === null ? {} : { dateShiftFixedOffsetInDays: Number(String(offset).trim()) }),
    cryptoHashKey: keys.cryptoHashKey.value,
    encryptKey: keys.encryptKey.value,
    enablePartialAgesForRedact: params['enablePartialAgesForRedact'] === true,
    enablePartialDatesForRedact: params['enablePartialDatesForRedact'] === true,
    enablePartialZipCodesForRedact: params['enablePartialZipCodesForRedact'] === true,
    restrictedZipCodeTabulationAreas: Array.isArray(zips) ? (zips as string[]).slice() : [],
  };
  // JS objects list integer-like names first; the file's order of generalize cases is what counts.
  const positions = c.positions;
  const caseOrder: CaseOrder = (index, entries) => {
    if (positions === undefined) return entries;
    const base = joinPointer(joinPointer(c.original('/fhirPathRules'), index), 'cases');
    const at = (key: string): number => {
      const p = positions.get(joinPointer(base, key));
      return p === undefined ? 0 : p.line * 1e7 + p.column;
    };
    return entries.sort((a, b) => at(a[0]) - at(b[0]));
  };
  const rules = (doc['fhirPathRules'] as JsonObject[]).map((r, i) => normalizeRule(r, i, caseOrder));
  const config: FhirConfig = {
    ...(version === undefined ? {} : { fhirVersion: version }),
    processingErrors: (typeof doc['processingErrors'] === 'string' ? doc['processingErrors'].toLowerCase() : 'raise') as ProcessingErrors,
    fhirPathRules: rules,
    parameters,
    keySources: { cryptoHashKey: keys.cryptoHashKey.source, encryptKey: keys.encryptKey.source, dateShiftKey: keys.dateShiftKey.source },
  };
  return { ok: true, diagnostics, config: deepFreeze(config) };
}
