/**
 * Anonymization of one JSON document (a resource or a Bundle), pretty-printed as the
 * reference tool writes JSON files.
 * @module
 */
import { InputParseError } from '../../errors.ts';
import { relocate } from './locate.ts';
import type { IoRunContext, JsonAnonymizer, ResourceValidator } from './types.ts';
import { checkSchema } from './validate-hook.ts';

/** Options of {@link anonymizeJsonDocument}. */
export interface JsonDocumentOptions extends IoRunContext {
  /** Name used in error locations (may differ from `file`, which feeds the date-shift scope). */
  readonly displayName?: string;
  /** Pretty output (default true, as the reference tool writes JSON files). */
  readonly pretty?: boolean;
  /** Schema check of the input document. */
  readonly validateInput?: ResourceValidator;
  /** Schema check of the output document. */
  readonly validateOutput?: ResourceValidator;
}

/**
 * Anonymizes one JSON resource or Bundle given as text. A leading byte order mark is ignored.
 * @param anonymizer - The engine.
 * @param text - The document.
 * @param options - Scope names, pretty printing, validators.
 * @returns The anonymized document, ending with a newline.
 * @throws {@link InputParseError} for an empty document; other {@link AnonymizerError} subclasses located at the file and JSON pointer.
 * @example A Bundle read by the caller
 * ```ts
 * import { anonymizeJsonDocument, createFhirAnonymizer } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'));
 * const out = anonymizeJsonDocument(anonymizer, '{"resourceType":"Bundle","type":"collection","entry":[]}', { file: 'bundle.json' });
 * ```
 */
export function anonymizeJsonDocument(anonymizer: JsonAnonymizer, text: string, options: JsonDocumentOptions = {}): string {
  const where = options.displayName ?? options.file;
  const location = where === undefined ? {} : { file: where };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputParseError('empty JSON document', { location });
  try {
    if (options.validateInput) checkSchema(options.validateInput, body, 'input', location);
    const ctx: { file?: string; folder?: string; pretty: boolean } = { pretty: options.pretty ?? true };
    if (options.file !== undefined) ctx.file = options.file;
    if (options.folder !== undefined) ctx.folder = options.folder;
    const out = anonymizer.anonymizeJson(body, ctx);
    if (options.validateOutput) checkSchema(options.validateOutput, out, 'output', location);
    return out.endsWith('\n') ? out : out + '\n';
  } catch (err) {
    throw relocate(err, location);
  }
}
