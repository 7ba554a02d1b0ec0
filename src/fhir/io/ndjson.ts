/**
 * NDJSON (FHIR bulk data) anonymization: one resource per line in, one compact line out, in
 * the same order. Works on text ({@link anonymizeNdjsonText}), on bytes (`anonymizeNdjsonBytes`,
 * what the CLI and its workers use) and on Web Streams ({@link anonymizeNdjsonStream}, the SDK),
 * all through the same per-line function, so all give the same bytes.
 * @module
 */
import { ByteQueue } from './byte-queue.ts';
import { AnonymizerError, InputParseError } from '../../errors.ts';
import { anonymizeNdjsonBytes } from './ndjson-bytes.ts';
import { DEFAULT_MAX_LINE_CHARS, LineSplitter } from './lines.ts';
import type { LineSplitOptions, NdjsonLine } from './lines.ts';
import { relocate } from './locate.ts';
import type { IoRunContext, JsonAnonymizer, ResourceValidator } from './types.ts';
import { checkSchema } from './validate-hook.ts';
import type { AsciiSource, Utf8Sink } from '../utf8-sink.ts';

/** Options of the NDJSON functions. */
export interface NdjsonOptions extends IoRunContext {
  /** Name used in error locations (may differ from `file`, which feeds the date-shift scope). */
  readonly displayName?: string;
  /** Schema check of each input line before anonymization. */
  readonly validateInput?: ResourceValidator;
  /** Schema check of each output line. */
  readonly validateOutput?: ResourceValidator;
  /** Longest accepted line, in UTF-16 code units. */
  readonly maxLineChars?: number;
}

/**
 * Anonymizes one NDJSON line.
 * @param anonymizer - The engine (or anything with `anonymizeJson`).
 * @param line - The line and its number.
 * @param options - Scope names, validators, display name.
 * @returns The anonymized resource as compact JSON, without newline.
 * @throws {@link AnonymizerError} subclasses, located at the file and line (never quoting the input).
 * @example One line with the default profile
 * ```ts
 * import { anonymizeNdjsonLine, createFhirAnonymizer } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'));
 * const out = anonymizeNdjsonLine(anonymizer, { line: 1, text: '{"resourceType":"Patient","id":"1"}' });
 * ```
 */
export function anonymizeNdjsonLine(anonymizer: JsonAnonymizer, line: NdjsonLine, options: NdjsonOptions = {}): string {
  const location = lineLocation(options, line.line);
  try {
    if (options.validateInput) checkSchema(options.validateInput, line.text, 'input', location);
    const out = anonymizer.anonymizeJson(line.text, contextOf(options, false));
    if (options.validateOutput) checkSchema(options.validateOutput, out, 'output', location);
    return out;
  } catch (err) {
    throw relocate(err, location);
  }
}

/**
 * Anonymizes one NDJSON line and appends the output's UTF-8 (no newline) to a sink: the bytes of
 * {@link anonymizeNdjsonLine}, through the engine's byte path when it has one and no validator is set.
 * @param anonymizer - The engine.
 * @param line - The line and its number.
 * @param options - Scope names, validators, display name.
 * @param sink - Where the output goes (nothing is written when it throws).
 * @param ascii - The bytes the line was decoded from (copied as they are only when the line is ASCII).
 * @throws As {@link anonymizeNdjsonLine}.
 * @example Bytes out
 * ```ts
 * const sink = new Utf8Sink(1024);
 * anonymizeNdjsonLineTo(anonymizer, { line: 1, text: '{"resourceType":"Patient"}' }, {}, sink);
 * ```
 */
export function anonymizeNdjsonLineTo(anonymizer: JsonAnonymizer, line: NdjsonLine, options: NdjsonOptions, sink: Utf8Sink, ascii?: AsciiSource): void {
  if (anonymizer.anonymizeJsonTo === undefined || options.validateInput !== undefined || options.validateOutput !== undefined) {
    sink.text(anonymizeNdjsonLine(anonymizer, line, options));
    return;
  }
  try {
    anonymizer.anonymizeJsonTo(line.text, contextOf(options, false), sink, ascii);
  } catch (err) {
    throw relocate(err, lineLocation(options, line.line));
  }
}

function lineLocation(options: NdjsonOptions, line: number): { file?: string; line: number } {
  const where = options.displayName ?? options.file;
  return where === undefined ? { line } : { file: where, line };
}

function contextOf(options: NdjsonOptions, pretty: boolean): IoRunContext & { pretty: boolean } {
  const ctx: { file?: string; folder?: string; pretty: boolean } = { pretty };
  if (options.file !== undefined) ctx.file = options.file;
  if (options.folder !== undefined) ctx.folder = options.folder;
  return ctx;
}

/** Result of {@link anonymizeNdjsonText}. */
export interface NdjsonChunkResult {
  /** Anonymized lines, each followed by `\n`. */
  readonly output: string;
  /** Lines consumed, blank ones included (so the caller can number the next chunk). */
  readonly lines: number;
  /** Resources (non-blank lines) anonymized. */
  readonly resources: number;
}

/**
 * Anonymizes a piece of NDJSON text that holds only whole lines (the last one may lack its
 * newline).
 * @param anonymizer - The engine.
 * @param text - Whole lines of NDJSON.
 * @param options - Scope names, validators, `firstLine` (the 1-based number of the first line) and
 *   `atStart` (the text starts the input, so a byte order mark is dropped; default true).
 * @returns The output text and counts.
 * @throws {@link AnonymizerError} subclasses located at the failing line.
 * @example A chunk that starts at line 101 of its file
 * ```ts
 * import { anonymizeNdjsonText, createFhirAnonymizer } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'));
 * const { output, resources } = anonymizeNdjsonText(anonymizer, '{"resourceType":"Patient"}\n', { file: 'Patient.ndjson', firstLine: 101, atStart: false });
 * // resources === 1; an error would name "Patient.ndjson, line 101"
 * ```
 */
export function anonymizeNdjsonText(
  anonymizer: JsonAnonymizer,
  text: string,
  options: NdjsonOptions & { readonly firstLine?: number; readonly atStart?: boolean } = {},
): NdjsonChunkResult {
  const split: LineSplitOptions = { firstLine: options.firstLine ?? 1, atStart: options.atStart ?? true, ...(options.maxLineChars !== undefined ? { maxLineChars: options.maxLineChars } : {}) };
  const where = options.displayName ?? options.file;
  const splitter = new LineSplitter(where === undefined ? split : { ...split, file: where });
  const parts: string[] = [];
  const lines = [...splitter.push(text), ...splitter.end()];
  for (const line of lines) parts.push(anonymizeNdjsonLine(anonymizer, line, options), '\n');
  return { output: parts.join(''), lines: splitter.linesSeen, resources: lines.length };
}

/**
 * Anonymizes an NDJSON byte stream into an NDJSON byte stream, line by line, with bounded
 * memory: compact JSON, one resource per line, input order kept, blank lines dropped.
 * The output stream errors (and emits nothing more) at the first failing line; the error
 * names the line and JSON pointer, never a value.
 * @param anonymizer - The engine from `createFhirAnonymizer`.
 * @param readable - UTF-8 NDJSON.
 * @param options - Scope names (`file`, `folder`), validators, line length limit.
 * @returns UTF-8 NDJSON, each line ending in `\n`.
 * @throws Nothing synchronously; errors surface through the returned stream.
 * @example Anonymizing a bulk export file in Deno or Node
 * ```ts
 * import { createFhirAnonymizer, anonymizeNdjsonStream } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'));
 * const input = new Blob(['{"resourceType":"Patient","id":"p1","name":[{"family":"Doe"}]}\n']).stream();
 * const text = await new Response(anonymizeNdjsonStream(anonymizer, input)).text();
 * ```
 */
export function anonymizeNdjsonStream(
  anonymizer: JsonAnonymizer,
  readable: ReadableStream<Uint8Array>,
  options: NdjsonOptions = {},
): ReadableStream<Uint8Array> {
  const where = options.displayName ?? options.file;
  const maxBytes = (options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS) * 3;
  const reader = readable.getReader();
  // Bytes after the last newline seen wait for the rest of their line.
  const pending = new ByteQueue();
  let nextLine = 1;
  let atStart = true;
  const run = (bytes: Uint8Array): Uint8Array => {
    const r = anonymizeNdjsonBytes(anonymizer, bytes, { ...options, firstLine: nextLine, atStart });
    atStart = false;
    nextLine += r.lines;
    return r.output;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            if (pending.size > 0) {
              const out = run(pending.take(new Uint8Array(0)));
              if (out.length > 0) controller.enqueue(out);
            }
            controller.close();
            reader.releaseLock();
            return;
          }
          const nl = value.lastIndexOf(0x0a);
          if (nl === -1) {
            pending.push(value);
            if (pending.size > maxBytes) {
              throw new InputParseError(`line longer than ${maxBytes} bytes`, { location: where === undefined ? { line: nextLine } : { file: where, line: nextLine } });
            }
            continue;
          }
          const out = run(pending.take(value.subarray(0, nl + 1)));
          if (nl + 1 < value.length) {
            pending.push(value.slice(nl + 1));
          }
          if (out.length > 0) {
            controller.enqueue(out);
            return;
          }
        }
      } catch (err) {
        await reader.cancel().catch(() => undefined);
        controller.error(err instanceof AnonymizerError ? err : relocate(err, where === undefined ? {} : { file: where }));
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
}
