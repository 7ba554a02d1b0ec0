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
import { createJsCore } from './js.ts';
import { registerJsCore } from './select.ts';

export type { CoreKind, CryptoCore, HashAlgorithm, Message } from './types.ts';
export { createJsCore } from './js.ts';
export { createWasmCore, WASM_SHA256, wasmMemoryBytes } from './wasm.ts';
export { CORE_ENV_VAR, getCore } from './select.ts';
export type { CoreOptions } from './select.ts';

// This entry provides the pure-JS core to getCore (the CLI's WASM runs never load it).
registerJsCore(createJsCore);
