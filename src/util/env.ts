/**
 * Reads environment variables without ever triggering a permission prompt or
 * error: under Deno a variable is read only when env access is already granted.
 * @module
 */

interface DenoLike {
  permissions?: { querySync?: (d: { name: 'env'; variable: string }) => { state: string } };
  env?: { get(name: string): string | undefined };
}

/**
 * The value of an environment variable, or `undefined` when unset or not readable.
 * @param name - Variable name.
 * @returns Its value, if readable.
 */
export function readEnv(name: string): string | undefined {
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  if (deno !== undefined) {
    try {
      if (deno.permissions?.querySync?.({ name: 'env', variable: name }).state !== 'granted') return undefined;
      return deno.env?.get(name);
    } catch {
      return undefined;
    }
  }
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
}
