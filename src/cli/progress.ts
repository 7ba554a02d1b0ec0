/**
 * Progress on stderr, shown only when stderr is a terminal (never in pipes or logs).
 * Shows counts and input file names only.
 * @module
 */
import process from 'node:process';

/** A progress display. */
export interface Progress {
  /** Marks one input done. */
  tick(name: string): void;
  /** Reports how many bytes of the current input are done (shown at most twice a second). */
  bytes(name: string, done: number): void;
  /** Returns the text that clears the current progress line (empty when not shown). */
  clear(): string;
  /** Ends the display. */
  done(): void;
}

/**
 * Creates a progress display for `total` inputs.
 * @param total - Number of inputs.
 * @returns The display (a no-op when stderr is not a TTY).
 */
export function createProgress(total: number): Progress {
  const tty = process.stderr.isTTY === true;
  let count = 0;
  let shown = false;
  let last = 0;
  const show = (text: string): void => {
    process.stderr.write(`\r\x1b[2K${text.length > 100 ? '…' + text.slice(-99) : text}`);
    shown = true;
  };
  return {
    bytes(name, done) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      show(`[${count + 1}/${total}] ${name} ${(done / 1e6).toFixed(0)} MB`);
    },
    tick(name) {
      count++;
      if (!tty) return;
      show(`[${count}/${total}] ${name}`);
    },
    clear() {
      if (!shown) return '';
      shown = false;
      return '\r\x1b[2K';
    },
    done() {
      if (shown) process.stderr.write('\n');
      shown = false;
    },
  };
}
