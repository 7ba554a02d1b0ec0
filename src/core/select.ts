/**
 * Chooses and caches the crypto core. Only the WASM core is imported here: the pure-JS core
 * (@noble/hashes, @noble/ciphers, about 15 ms of module start-up) is registered by the modules
 * that import it (`health-anonymizer/core`, the SDK entries, or the CLI when
 * `HEALTH_ANONYMIZER_CORE=js`), so a WASM run never loads it.
 * @module
 */
import { InvalidArgumentError, UnsupportedError } from '../errors.ts';
import { readEnv } from '../util/env.ts';
import { createWasmCore } from './wasm.ts';
import type { CoreKind, CryptoCore } from './types.ts';

/** Environment variable that selects the core when no option is given: `wasm` or `js`. */
export const CORE_ENV_VAR = 'HEALTH_ANONYMIZER_CORE';

/** Options of {@link getCore}. */
export interface CoreOptions {
  /** Which implementation to use. Default: the `HEALTH_ANONYMIZER_CORE` variable, else `'wasm'`. */
  readonly kind?: CoreKind;
}

const cores: Partial<Record<CoreKind, CryptoCore>> = {};
let jsCoreFactory: (() => CryptoCore) | undefined;

function parseKind(value: string, source: string): CoreKind {
  if (value === 'wasm' || value === 'js') return value;
  throw new InvalidArgumentError(`${source} expected "wasm" or "js"`);
}

/**
 * Makes the pure-JS core available to {@link getCore}. Called by the modules that import it;
 * calling it again has no further effect.
 * @param factory - Creates the JS core (`createJsCore`).
 * @returns Nothing.
 * @example Registering the JS core (as `health-anonymizer/core` does on import)
 * ```ts
 * import { createJsCore } from './js.ts';
 * registerJsCore(createJsCore);
 * ```
 */
export function registerJsCore(factory: () => CryptoCore): void {
  jsCoreFactory ??= factory;
}

/**
 * Which core {@link getCore} would return for these options, without creating it.
 * @param options - Which core; defaults to the environment variable, then WASM.
 * @returns `'wasm'` or `'js'`.
 * @throws {@link InvalidArgumentError} when the option or variable names no core.
 * @example
 * ```ts
 * if (selectedCoreKind() === 'js') await import('./index.ts');
 * ```
 */
export function selectedCoreKind(options: CoreOptions = {}): CoreKind {
  if (options.kind !== undefined) return parseKind(options.kind, '"kind"');
  const fromEnv = readEnv(CORE_ENV_VAR);
  return fromEnv !== undefined && fromEnv !== '' ? parseKind(fromEnv, CORE_ENV_VAR) : 'wasm';
}

/**
 * Returns the crypto core to use, creating it on first use.
 * @param options - Which core; defaults to the environment variable, then WASM.
 * @returns A shared {@link CryptoCore} instance.
 * @throws {@link InvalidArgumentError} when the option or variable names no core.
 * @throws {@link WasmCoreError} when the WASM core is selected but cannot be loaded.
 * @throws {@link UnsupportedError} when the JS core is selected but no module that provides it
 *   (`health-anonymizer/core`, `/dicom`, `/fhir`) was imported.
 * @example
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * getCore({ kind: 'js' }).toHex(new Uint8Array([1, 255])); // '01ff'
 * ```
 */
export function getCore(options: CoreOptions = {}): CryptoCore {
  const kind = selectedCoreKind(options);
  let core = cores[kind];
  if (core === undefined) {
    if (kind === 'wasm') core = createWasmCore();
    else if (jsCoreFactory !== undefined) core = jsCoreFactory();
    else throw new UnsupportedError('the pure-JS core is not loaded: import health-anonymizer/core first');
    cores[kind] = core;
  }
  return core;
}
