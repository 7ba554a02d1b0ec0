/**
 * Output targets of the CLI: an atomic file, or stdout with back-pressure.
 * @module
 */
import { once } from 'node:events';
import process from 'node:process';
import { IoError } from '../errors.ts';
import { AtomicOutput } from './files.ts';

/** Where anonymized bytes go. */
export interface Sink {
  /** Display name (the output path, or `-`). */
  readonly name: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Makes the output visible (rename) — or, for stdout, nothing. */
  commit(): Promise<void>;
  /** Discards the output (deletes the temporary file). */
  abort(): Promise<void>;
}

/**
 * An atomic file sink.
 * @param path - Final output path.
 * @returns The sink.
 * @throws {@link IoError} when the temporary file cannot be created.
 */
export async function fileSink(path: string): Promise<Sink> {
  const out = await AtomicOutput.create(path);
  return {
    name: path,
    write: (bytes) => out.write(bytes),
    commit: () => out.commit(),
    abort: () => out.abort(),
  };
}

/**
 * A stdout sink. Bytes are written as they come (NDJSON lines already anonymized); a failed
 * input stops further writes, and the exit code tells the consumer.
 * @returns The sink.
 */
export function stdoutSink(): Sink {
  const out = process.stdout;
  return {
    name: '-',
    async write(bytes) {
      try {
        if (!out.write(bytes)) await once(out, 'drain');
      } catch (err) {
        throw new IoError('cannot write to stdout', { location: { file: '-' }, cause: err });
      }
    },
    commit: async () => undefined,
    abort: async () => undefined,
  };
}
