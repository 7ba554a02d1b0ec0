/**
 * Bytes of an unfinished NDJSON line, held until the chunk that completes it arrives.
 * @module
 */
import { concatBytes } from '../../util/bytes.ts';

/** A queue of byte chunks that is drained into one array. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Bytes held. */
  size = 0;

  /**
   * Holds a chunk (kept by reference: pass a copy if the caller reuses its buffer).
   * @param chunk - Bytes to hold.
   */
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /**
   * Drains the queue, followed by `extra`, into one array.
   * @param extra - Bytes to append after the held ones.
   * @returns `extra` itself when nothing is held, else a new array.
   * @example
   * ```ts
   * const q = new ByteQueue();
   * q.push(new Uint8Array([1]));
   * q.take(new Uint8Array([2])); // Uint8Array [1, 2]
   * ```
   */
  take(extra: Uint8Array): Uint8Array {
    if (this.size === 0) return extra;
    this.chunks.push(extra);
    const all = concatBytes(this.chunks);
    this.chunks = [];
    this.size = 0;
    return all;
  }
}
