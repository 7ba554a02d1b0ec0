/**
 * File-system side of the CLI: input discovery, atomic outputs (temporary file in the target
 * folder, renamed when complete), clean-up of temporary files on failure and on signals, and
 * a chunked reader that cuts NDJSON at line boundaries with bounded memory.
 * @module
 */
import { concatBytes } from '../util/bytes.ts';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { InputParseError, IoError } from '../errors.ts';

/** The system's reason for an I/O failure (`ENOENT`, `EACCES`, `NotCapable`, …): a code, never data. */
export function ioReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Za-z_]+$/.test(code)) return code;
  const name = err instanceof Error ? err.name : '';
  return /^[A-Za-z]+$/.test(name) && name !== 'Error' ? name : 'unknown';
}

/** Input format of one file. */
export type InputFormat = 'json' | 'ndjson';

/** One input found by {@link discoverInputs}. */
export interface InputFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the input folder (the file name for a single file). */
  readonly relative: string;
  readonly format: InputFormat;
}

/**
 * The format of a file from its name: `.ndjson`/`.jsonl` are NDJSON, anything else JSON;
 * `bulk` (`-b`) forces NDJSON.
 * @param name - File name.
 * @param bulk - Whether `-b/--bulkData` was given.
 * @returns The format.
 */
export function formatOf(name: string, bulk: boolean): InputFormat {
  if (bulk) return 'ndjson';
  const ext = extname(name).toLowerCase();
  return ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'json';
}

function wanted(name: string, bulk: boolean): boolean {
  const ext = extname(name).toLowerCase();
  if (name.startsWith('.')) return false;
  return bulk ? ext === '.ndjson' || ext === '.jsonl' : ext === '.json' || ext === '.ndjson' || ext === '.jsonl';
}

/**
 * Lists the inputs of a folder in a stable (sorted) order.
 * @param folder - Input folder.
 * @param options - `recursive`, `bulk`, and `exclude` (an output folder inside the input folder).
 * @returns The inputs.
 * @throws {@link IoError} when the folder cannot be read.
 */
export async function discoverInputs(folder: string, options: { recursive: boolean; bulk: boolean; exclude?: string }): Promise<InputFile[]> {
  const root = resolve(folder);
  const out: InputFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new IoError(`cannot read input folder (${ioReason(err)})`, { location: { file: dir }, cause: err });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive && path !== options.exclude && !entry.name.startsWith('.')) await walk(path);
      } else if (entry.isFile() && wanted(entry.name, options.bulk)) {
        out.push({ path, relative: relative(root, path), format: formatOf(entry.name, options.bulk) });
      }
    }
  };
  await walk(root);
  return out;
}

/** Whether a path exists (any kind). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether a path is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const liveTemps = new Set<string>();

/** Deletes every temporary output still open (used on signals and fatal errors). Synchronous. */
export function removeTempFilesSync(): void {
  for (const path of liveTemps) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/**
 * An output file written atomically: bytes go to a temporary file beside the target, which is
 * renamed onto the target by {@link AtomicOutput.commit} or deleted by {@link AtomicOutput.abort}.
 */
export class AtomicOutput {
  /** Final path. */
  readonly target: string;
  private readonly temp: string;
  private handle: FileHandle | undefined;
  private done = false;

  private constructor(target: string, temp: string, handle: FileHandle) {
    this.target = target;
    this.temp = temp;
    this.handle = handle;
  }

  /**
   * Creates the temporary file (and the target's folder if needed).
   * @param target - Final output path.
   * @returns The open output.
   * @throws {@link IoError} when the folder or file cannot be created.
   */
  static async create(target: string): Promise<AtomicOutput> {
    const dir = dirname(target);
    const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      liveTemps.add(temp);
      const handle = await open(temp, 'wx', 0o644);
      return new AtomicOutput(target, temp, handle);
    } catch (err) {
      liveTemps.delete(temp);
      throw new IoError(`cannot create output file (${ioReason(err)})`, { location: { file: target }, cause: err });
    }
  }

  /**
   * Appends bytes.
   * @param bytes - Data to write.
   * @throws {@link IoError} on a write failure.
   */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.handle === undefined) throw new IoError('output already closed', { location: { file: this.target } });
    let offset = 0;
    try {
      while (offset < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
    } catch (err) {
      throw new IoError(`cannot write output file (${ioReason(err)})`, { location: { file: this.target }, cause: err });
    }
  }

  /**
   * Closes and renames the temporary file onto the target.
   * @throws {@link IoError} when closing or renaming fails (the temporary file is then removed).
   */
  async commit(): Promise<void> {
    if (this.done) return;
    try {
      await this.handle?.close();
      this.handle = undefined;
      await rename(this.temp, this.target);
      this.done = true;
      liveTemps.delete(this.temp);
    } catch (err) {
      await this.abort();
      throw new IoError(`cannot complete output file (${ioReason(err)})`, { location: { file: this.target }, cause: err });
    }
  }

  /** Closes and deletes the temporary file; the target is left untouched. Never throws. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.handle?.close();
    } catch {
      // ignore
    }
    this.handle = undefined;
    await rm(this.temp, { force: true }).catch(() => undefined);
    liveTemps.delete(this.temp);
  }
}

/** A chunk of NDJSON input that ends at a line boundary. */
export interface LineChunk {
  readonly bytes: Uint8Array;
  /** Whether this is the first chunk of the input (where a byte order mark may be). */
  readonly first: boolean;
}

/**
 * Reads a byte source in chunks of about `size` bytes, each ending just after a newline (or
 * at the end of input). A line longer than `maxLineBytes` is an error.
 * @param source - Async iterable of byte pieces (a file or stdin).
 * @param options - Target chunk size, longest line, name for errors.
 * @returns The chunks in order.
 * @throws {@link InputParseError} for an over-long line.
 */
export async function* lineChunks(
  source: AsyncIterable<Uint8Array>,
  options: { size: number; maxLineBytes: number; name: string },
): AsyncGenerator<LineChunk, void, undefined> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let first = true;
  let linesBefore = 0;
  const flush = (upTo: number): Uint8Array => {
    const all = concatBytes(pending, { reuseSingle: true });
    const chunk = all.subarray(0, upTo);
    const rest = all.subarray(upTo);
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    return chunk;
  };
  for await (const piece of source) {
    if (piece.length === 0) continue;
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes < options.size) continue;
    const nl = lastNewline(pending);
    if (nl === -1) {
      if (pendingBytes > options.maxLineBytes) {
        throw new InputParseError(`line longer than ${options.maxLineBytes} bytes`, { location: { file: options.name, line: linesBefore + 1 } });
      }
      continue;
    }
    const chunk = flush(nl + 1);
    linesBefore += countNewlines(chunk);
    yield { bytes: chunk, first };
    first = false;
  }
  if (pendingBytes > 0) yield { bytes: flush(pendingBytes), first };
}


/** Offset of the last newline across pieces, counted from the start of the first piece. */
function lastNewline(pieces: Uint8Array[]): number {
  let base = 0;
  for (const p of pieces) base += p.length;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    base -= p.length;
    const at = p.lastIndexOf(0x0a);
    if (at !== -1) return base + at;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  let at = bytes.indexOf(0x0a);
  while (at !== -1) {
    n++;
    at = bytes.indexOf(0x0a, at + 1);
  }
  return n;
}

/**
 * Reads a file as an async iterable of byte pieces, with one reusable-size buffer per read.
 * @param path - File to read.
 * @param pieceSize - Bytes per read.
 * @returns The pieces.
 * @throws {@link IoError} when the file cannot be opened or read.
 */
export async function* readPieces(path: string, pieceSize: number = 1 << 20): AsyncGenerator<Uint8Array, void, undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new IoError(`cannot open input file (${ioReason(err)})`, { location: { file: path }, cause: err });
  }
  try {
    for (;;) {
      const buffer = new Uint8Array(pieceSize);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, pieceSize, null));
      } catch (err) {
        throw new IoError(`cannot read input file (${ioReason(err)})`, { location: { file: path }, cause: err });
      }
      if (bytesRead === 0) break;
      yield bytesRead === pieceSize ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a whole file.
 * @param path - File to read.
 * @returns Its bytes.
 * @throws {@link IoError} when it cannot be read.
 */
export async function readWhole(path: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of readPieces(path, 4 << 20)) parts.push(p);
  return concatBytes(parts, { reuseSingle: true });
}

/** Whether `inner` is `outer` or lies inside it. */
export function isInside(inner: string, outer: string): boolean {
  const a = resolve(inner);
  const b = resolve(outer);
  return a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
}
