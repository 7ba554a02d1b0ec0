/**
 * The loader behind every generated `*.generated.ts` WASM module: the bytes are embedded as
 * base64 and compiled synchronously on first use, so loading needs no file read, no fetch and
 * no Deno permission, and works the same in Node, Deno and Bun.
 * @module
 */

/** A WASM module embedded in the package. */
export interface EmbeddedWasm {
  /** A fresh copy of the binary. */
  bytes(): Uint8Array<ArrayBuffer>;
  /** The compiled module, compiled once per process. */
  module(): WebAssembly.Module;
  /** A new instance; the modules have no imports. */
  instance(): WebAssembly.Instance;
}

/**
 * Wraps base64-embedded WASM bytes.
 * @param base64 - The module's bytes, standard Base64.
 * @returns Lazy accessors for the bytes, the compiled module and new instances.
 * @example Instantiate an embedded module
 * ```ts
 * const wasm = embeddedWasm('AGFzbQEAAAA='); // the empty module
 * wasm.instance().exports; // {}
 * ```
 */
export function embeddedWasm(base64: string): EmbeddedWasm {
  let compiled: WebAssembly.Module | undefined;
  const bytes = (): Uint8Array<ArrayBuffer> => {
    const text = atob(base64);
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  };
  const module = (): WebAssembly.Module => {
    if (compiled === undefined) compiled = new WebAssembly.Module(bytes());
    return compiled;
  };
  return { bytes, module, instance: () => new WebAssembly.Instance(module(), {}) };
}
