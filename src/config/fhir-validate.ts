/**
 * Validation and normalization of a FHIR configuration: the tolerant reader, the
 * reference tool's name matching, the JSON Schema (ajv), then the semantic checks
 * (FHIRPath compiled with the release's model, key sizes, version). Every problem is
 * reported, in document order; nothing stops at the first.
 * @module
 */
import { Collector, copyJson, recordOrder } from './diagnostic-collector.ts';
import type { FhirConfigDiagnostic } from './fhir-diagnostics.ts';
import { FHIR_KEY_ENV_VARS, readKeyFile, resolveKeys } from './fhir-keys.ts';
import type { FhirKeys, KeyFileInput } from './fhir-keys.ts';
import { canonicalMembers, PARAMETER_KEYS, parseVersion, TOP_KEYS } from './fhir-names.ts';
import { deepFreeze, normalizeRule, stringOrUndefined } from './fhir-normalize.ts';
import type { CaseOrder } from './fhir-normalize.ts';
import { checkRules } from './fhir-rule-check.ts';
import { schemaDiagnostics } from './fhir-schema-check.ts';
import type { DateShiftScope, FhirConfig, FhirParameters, FhirVersion, ProcessingErrors } from './fhir-types.ts';
import { tryReadJsonText } from './json-reader.ts';
import { isObject, setOwn } from './json-value.ts';
import type { Json, JsonObject } from './json-value.ts';
import { joinPointer } from './pointer.ts';

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
  /** Treat warnings (a path that names no element, an ignored key, …) as errors. Default `false`, as the reference tool. */
  readonly strict?: boolean;
}

/** What {@link validateFhirConfig} returns. */
export interface FhirConfigValidation {
  /** `true` when there is no error (and, with `strict`, no warning). */
  readonly ok: boolean;
  /** Every problem found (errors and warnings), in document order. */
  readonly diagnostics: readonly FhirConfigDiagnostic[];
  /** The normalized configuration, when `ok`. */
  readonly config?: FhirConfig;
}

function aesKeyLength(key: string): boolean {
  const n = new TextEncoder().encode(key).length;
  return n === 16 || n === 24 || n === 32;
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
    checkRules(doc, options.fhirVersion ?? version ?? 'R4', c);
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
  const failing = options.strict === true ? diagnostics.length > 0 : diagnostics.some((d) => d.severity === 'error');
  if (failing || !isObject(doc)) return { ok: false, diagnostics };

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
