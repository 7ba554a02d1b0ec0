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
  return {
    tick(name) {
      count++;
      if (!tty) return;
      const text = `[${count}/${total}] ${name}`;
      process.stderr.write(`\r\x1b[2K${text.length > 100 ? '…' + text.slice(-99) : text}`);
      shown = true;
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
