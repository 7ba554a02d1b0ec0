/**
 * Applies an optional {@link ResourceValidator} to JSON text and turns its first problem
 * into an {@link InvalidInputError} with the JSON pointer.
 * @module
 */
import { InvalidInputError } from '../../errors.ts';
import type { ErrorLocation } from '../../errors.ts';
import type { ResourceValidator } from './types.ts';

/**
 * Checks one JSON document against a validator.
 * @param validator - The schema check.
 * @param text - JSON text of a resource or Bundle.
 * @param stage - `input` or `output`, named in the message.
 * @param where - File and line for the error location.
 * @throws {@link InvalidInputError} on the first problem (with its pointer; the count of others in the message).
 */
export function checkSchema(validator: ResourceValidator, text: string, stage: 'input' | 'output', where: ErrorLocation): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${stage} is not valid JSON`, { location: where });
  }
  const problems = validator.validate(parsed);
  if (problems.length === 0) return;
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new InvalidInputError(`${stage} fails the FHIR JSON schema: ${first.message}${more}`, { location: { ...where, pointer: first.pointer } });
}
