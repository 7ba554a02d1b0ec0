/**
 * Where the secret keys of a FHIR configuration come from, and the random keys used
 * when none is given.
 *
 * Precedence, highest first, for each of `cryptoHashKey`, `encryptKey`, `dateShiftKey`:
 * 1. `keys` passed to the loader by the program (SDK callers);
 * 2. the key file (`--key-file FILE`: a JSON object with those three names);
 * 3. the environment (`HEALTH_ANONYMIZER_CRYPTOHASH_KEY`, `HEALTH_ANONYMIZER_ENCRYPT_KEY`,
 *    `HEALTH_ANONYMIZER_DATESHIFT_KEY`), read only through the `env` function the caller passes;
 * 4. the configuration's `parameters`;
 * 5. a random key: per load for `dateShiftKey`, per process for the other two (as the
 *    reference tool does), from `crypto.getRandomValues`.
 * An empty string counts as absent at every level. Key values never appear in an
 * error, a diagnostic, a report or a fingerprint.
 * @module
 */
import { getCore } from '../core/index.ts';
import { joinPointer, splitPointer } from './pointer.ts';
import { syntaxError, tryReadJsonText } from './json-reader.ts';
import type { JsonReadResult, TextPosition } from './json-reader.ts';
import type { FhirConfigDiagnostic } from './fhir-diagnostics.ts';
import type { ConfigParseError } from '../errors.ts';
import type { FhirKeySource } from './fhir-types.ts';

/** The names of the three secret parameters. */
export type FhirKeyName = 'cryptoHashKey' | 'encryptKey' | 'dateShiftKey';

/** Keys supplied from outside the configuration file. */
export interface FhirKeys {
  /** HMAC key of cryptoHash. */
  readonly cryptoHashKey?: string;
  /** AES key of encrypt (UTF-8: 16, 24 or 32 bytes). */
  readonly encryptKey?: string;
  /** Key of the date-shift offset. */
  readonly dateShiftKey?: string;
}

/** Where the key in effect came from. */
export type KeySource = FhirKeySource;

/** The three key names, in the order reports list them. */
export const FHIR_KEY_NAMES: readonly FhirKeyName[] = Object.freeze(['cryptoHashKey', 'encryptKey', 'dateShiftKey'] as const);

/** Environment variable read for each key (only through the `env` function a caller passes). */
export const FHIR_KEY_ENV_VARS: Readonly<Record<FhirKeyName, string>> = Object.freeze({
  cryptoHashKey: 'HEALTH_ANONYMIZER_CRYPTOHASH_KEY',
  encryptKey: 'HEALTH_ANONYMIZER_ENCRYPT_KEY',
  dateShiftKey: 'HEALTH_ANONYMIZER_DATESHIFT_KEY',
});

/** A key file's text as read by the caller (the library never opens files). */
export interface KeyFileInput {
  /** The file's content. */
  readonly text: string;
  /** Its name, for error locations. */
  readonly file?: string;
}

function randomHex(): string {
  // 16 random bytes as 32 lowercase hex digits: the shape of the reference tool's Guid "N" keys.
  return getCore().toHex(crypto.getRandomValues(new Uint8Array(16)));
}

let processCryptoHashKey: string | undefined;
let processEncryptKey: string | undefined;

/**
 * The random key used when none is configured: a fresh one for `dateShiftKey` on
 * every call, one per process (created on first use) for `cryptoHashKey` and
 * `encryptKey`. Unlike the reference tool, the last two are distinct values.
 * @param name - Which key.
 * @returns 32 lowercase hex digits (UTF-8: 32 bytes, an AES-256 key).
 * @example Per-process and per-load keys
 * ```ts
 * randomDefaultKey('cryptoHashKey') === randomDefaultKey('cryptoHashKey'); // true
 * randomDefaultKey('dateShiftKey') === randomDefaultKey('dateShiftKey'); // false
 * ```
 */
export function randomDefaultKey(name: FhirKeyName): string {
  if (name === 'cryptoHashKey') return (processCryptoHashKey ??= randomHex());
  if (name === 'encryptKey') return (processEncryptKey ??= randomHex());
  return randomHex();
}

/**
 * Reads a key file: a JSON object whose members are any of `cryptoHashKey`,
 * `encryptKey`, `dateShiftKey` (names matched case-insensitively), each a string.
 * Any other member is an error: a misspelt name in a key file would otherwise
 * silently fall back to a random key.
 * @param input - The file's text and name.
 * @param diagnostics - Problems are appended here (with `file` set); no key value is ever included.
 * @returns The keys found (empty strings are omitted).
 * @throws {@link ConfigParseError} when the text is not JSON (the position only, never the content).
 * @example Reading the text the CLI got from `--key-file`
 * ```ts
 * const problems = [];
 * parseKeyFile({ text: '{"cryptoHashKey": "s3cret"}', file: 'keys.json' }, problems); // { cryptoHashKey: 's3cret' }
 * ```
 */
export function parseKeyFile(input: KeyFileInput, diagnostics: FhirConfigDiagnostic[]): FhirKeys {
  const read = tryReadJsonText(input.text);
  if ('syntax' in read) throw syntaxError(read.syntax, input.file);
  return keysFromKeyFile(read, input.file ?? 'key file', diagnostics);
}

/**
 * Like {@link parseKeyFile}, but a syntax error becomes a diagnostic (`reason: 'syntax'`) instead of an exception.
 * @param input - The file's text and name.
 * @param diagnostics - Problems are appended here (with `file` set).
 * @returns The keys found; none when the text is not JSON.
 * @example A broken key file is one diagnostic
 * ```ts
 * const problems = [];
 * readKeyFile({ text: '{"cryptoHashKey": ', file: 'k.json' }, problems); // {}
 * problems[0].reason; // 'syntax'
 * ```
 */
export function readKeyFile(input: KeyFileInput, diagnostics: FhirConfigDiagnostic[]): FhirKeys {
  const file = input.file ?? 'key file';
  const read = tryReadJsonText(input.text);
  if ('syntax' in read) {
    const { what, position } = read.syntax;
    diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_PARSE', reason: 'syntax', file, pointer: '', message: `Key file is not valid JSON: ${what}`, line: position.line, column: position.column });
    return {};
  }
  return keysFromKeyFile(read, file, diagnostics);
}

// A key file holds secrets: a pointer names a member only when it is one of the three key names
// (an unknown member's name could itself be a pasted key); line and column locate the rest.
function keysFromKeyFile(read: JsonReadResult, file: string, diagnostics: FhirConfigDiagnostic[]): FhirKeys {
  const out: { -readonly [K in FhirKeyName]?: string } = {};
  const known = (member: string): FhirKeyName | undefined => FHIR_KEY_NAMES.find((n) => n.toLowerCase() === member.toLowerCase());
  const at = (position: TextPosition | undefined): { line?: number; column?: number } =>
    position === undefined ? {} : { line: position.line, column: position.column };
  for (const dup of read.duplicates) {
    const member = splitPointer(dup.pointer)[0] ?? '';
    const pointer = known(member) === undefined ? '' : dup.pointer;
    diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_INVALID', reason: 'duplicate-key', file, pointer, message: 'Key file repeats a member name', ...at(dup.position) });
  }
  const value = read.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_INVALID', reason: 'type', file, pointer: '', message: 'Key file must hold a JSON object', ...at(read.positions.get('')) });
    return out;
  }
  const seen = new Set<FhirKeyName>();
  for (const [member, v] of Object.entries(value)) {
    const pointer = joinPointer('', member);
    const name = known(member);
    if (name === undefined) {
      diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_INVALID', reason: 'unknown-key', file, pointer: '', message: 'Key file has a member that is not one of cryptoHashKey, encryptKey, dateShiftKey', ...at(read.positions.get(pointer)) });
      continue;
    }
    if (seen.has(name)) {
      diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_INVALID', reason: 'duplicate-key', file, pointer, message: `Key file gives ${name} twice (names are case-insensitive)`, ...at(read.positions.get(pointer)) });
      continue;
    }
    seen.add(name);
    if (typeof v !== 'string') {
      diagnostics.push({ severity: 'error', code: 'ERR_CONFIG_INVALID', reason: 'type', file, pointer, message: `Key file member ${name} must be a string`, ...at(read.positions.get(pointer)) });
      continue;
    }
    if (v !== '') out[name] = v;
  }
  return out;
}

/** A key chosen by {@link resolveKeys}, with its source. */
export interface ResolvedKey {
  /** The key. */
  readonly value: string;
  /** Where it came from. */
  readonly source: KeySource;
}

/** The inputs of {@link resolveKeys}. */
export interface KeyInputs {
  /** Keys given by the program. */
  readonly option?: FhirKeys;
  /** Keys read from a key file. */
  readonly keyFile?: FhirKeys;
  /** Environment lookup. */
  readonly env?: (name: string) => string | undefined;
  /** Keys from the configuration's `parameters`. */
  readonly config?: FhirKeys;
}

/**
 * Picks each key by the documented precedence (option, key file, environment,
 * configuration, random).
 * @param inputs - The candidate sources.
 * @returns The key in effect and its source, for each name.
 * @example Environment beats the configuration file
 * ```ts
 * const keys = resolveKeys({ env: (n) => (n === 'HEALTH_ANONYMIZER_CRYPTOHASH_KEY' ? 'a' : undefined), config: { cryptoHashKey: 'b' } });
 * keys.cryptoHashKey; // { value: 'a', source: 'env' }
 * ```
 */
export function resolveKeys(inputs: KeyInputs): Readonly<Record<FhirKeyName, ResolvedKey>> {
  const pick = (name: FhirKeyName): ResolvedKey => {
    const nonEmpty = (v: string | undefined): v is string => typeof v === 'string' && v !== '';
    const fromOption = inputs.option?.[name];
    if (nonEmpty(fromOption)) return { value: fromOption, source: 'option' };
    const fromFile = inputs.keyFile?.[name];
    if (nonEmpty(fromFile)) return { value: fromFile, source: 'keyFile' };
    const fromEnv = inputs.env?.(FHIR_KEY_ENV_VARS[name]);
    if (nonEmpty(fromEnv)) return { value: fromEnv, source: 'env' };
    const fromConfig = inputs.config?.[name];
    if (nonEmpty(fromConfig)) return { value: fromConfig, source: 'config' };
    return { value: randomDefaultKey(name), source: 'random' };
  };
  return { cryptoHashKey: pick('cryptoHashKey'), encryptKey: pick('encryptKey'), dateShiftKey: pick('dateShiftKey') };
}
