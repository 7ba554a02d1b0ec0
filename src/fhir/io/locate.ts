/**
 * Adds a file and line to errors raised while anonymizing one resource, and turns any
 * error that is not one of ours into a value-free {@link ProcessingError}: messages of
 * foreign errors (a `SyntaxError` from `JSON.parse`, for instance) can quote the input.
 * @module
 */
import { AnonymizerError, ConfigError, ProcessingError } from '../../errors.ts';
import type { ErrorLocation } from '../../errors.ts';

/**
 * The message of an {@link AnonymizerError} without its location suffix.
 * @param err - An error of this package.
 * @returns The bare message.
 */
export function bareMessage(err: AnonymizerError): string {
  return err.detail;
}

/**
 * Returns an error of the same class and code with `where` merged into its location
 * (fields already set by the thrower win, except `file` and `line`, which the caller knows best).
 * Foreign errors become a {@link ProcessingError} that names only their class.
 * @param err - Whatever was thrown.
 * @param where - File and line of the resource being processed.
 * @returns A package error carrying the merged location.
 */
export function relocate(err: unknown, where: ErrorLocation): AnonymizerError {
  if (err instanceof ConfigError) {
    return new ConfigError(bareMessage(err), err.diagnostics, { location: { ...err.location, ...where }, cause: err });
  }
  if (err instanceof AnonymizerError) {
    const location: ErrorLocation = { ...err.location, ...where };
    const Ctor = err.constructor as new (message: string, options: { location: ErrorLocation; cause?: unknown }) => AnonymizerError;
    try {
      const copy = new Ctor(bareMessage(err), { location, cause: err });
      if (copy.code === err.code && copy.location === location) return copy;
    } catch {
      // fall through to a generic processing error
    }
    return new ProcessingError(bareMessage(err), { location });
  }
  const name = err instanceof Error ? err.name : typeof err;
  return new ProcessingError(`internal error (${name}) while processing a resource`, { location: where });
}
