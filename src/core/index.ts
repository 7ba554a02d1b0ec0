/**
 * `health-anonymizer/core`: hashing, HMAC and AES behind one interface, with a
 * WASM implementation (default) and a pure-JS twin that give identical bytes.
 *
 * @example Hash a value the way the reference tool's `cryptoHash` does
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * const core = getCore();
 * const [hex] = core.hmacHexBatch('sha256', new TextEncoder().encode('123'), ['abc']);
 * // hex === '8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae'
 * ```
 * @module
 */
import { InvalidArgumentError } from '../errors.ts';
import { readEnv } from '../util/env.ts';
import { createJsCore } from './js.ts';
import { createWasmCore } from './wasm.ts';
import type { CoreKind, CryptoCore } from './types.ts';

export type { CoreKind, CryptoCore, HashAlgorithm, Message } from './types.ts';
export { createJsCore } from './js.ts';
export { createWasmCore, WASM_SHA256, wasmMemoryBytes } from './wasm.ts';

/** Environment variable that selects the core when no option is given: `wasm` or `js`. */
export const CORE_ENV_VAR = 'HEALTH_ANONYMIZER_CORE';

/** Options of {@link getCore}. */
export interface CoreOptions {
  /** Which implementation to use. Default: the `HEALTH_ANONYMIZER_CORE` variable, else `'wasm'`. */
  readonly kind?: CoreKind;
}

const cores: Partial<Record<CoreKind, CryptoCore>> = {};

function parseKind(value: string, source: string): CoreKind {
  if (value === 'wasm' || value === 'js') return value;
  throw new InvalidArgumentError(`${source} expected "wasm" or "js"`);
}

/**
 * Returns the crypto core to use, creating it on first use.
 * @param options - Which core; defaults to the environment variable, then WASM.
 * @returns A shared {@link CryptoCore} instance.
 * @throws {@link InvalidArgumentError} when the option or variable names no core.
 * @throws {@link WasmCoreError} when the WASM core is selected but cannot be loaded.
 * @example
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * getCore({ kind: 'js' }).toHex(new Uint8Array([1, 255])); // '01ff'
 * ```
 */
export function getCore(options: CoreOptions = {}): CryptoCore {
  const fromEnv = readEnv(CORE_ENV_VAR);
  const kind = options.kind !== undefined
    ? parseKind(options.kind, '"kind"')
    : fromEnv !== undefined && fromEnv !== '' ? parseKind(fromEnv, CORE_ENV_VAR) : 'wasm';
  let core = cores[kind];
  if (core === undefined) {
    core = kind === 'wasm' ? createWasmCore() : createJsCore();
    cores[kind] = core;
  }
  return core;
}
