/**
 * The tool's name and version, exit codes, and the WASM core's hash for reports.
 * @module
 */
import { getCore } from '../core/select.ts';
import { WASM_SHA256 } from '../core/wasm.ts';

/** Name and version stamped into reports and printed by `--version` (kept equal to package.json by a test). */
export const TOOL: { readonly name: string; readonly version: string } = Object.freeze({ name: 'health-anonymizer', version: '0.1.0' });

/** Documented exit codes (docs/cli.md). */
export const EXIT: { readonly ok: 0; readonly inputFailed: 1; readonly usage: 2; readonly io: 3; readonly internal: 70 } = Object.freeze({
  ok: 0,
  inputFailed: 1,
  usage: 2,
  io: 3,
  internal: 70,
});

/**
 * SHA-256 of the WASM core in use, or `null` when the pure-JS core runs.
 * @returns Lowercase hex or `null`.
 */
export function wasmSha256(): string | null {
  return getCore().kind === 'wasm' ? WASM_SHA256 : null;
}
