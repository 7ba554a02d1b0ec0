/**
 * The JSON Schema (draft-07) of a FHIR anonymization configuration, as the reference
 * tool writes it. It is used by ajv at load time and shipped as
 * `schemas/fhir-config.schema.json` for editors (a test keeps the two identical).
 *
 * Property names are the canonical ones: the loader first maps top-level and
 * `parameters` names case-insensitively, as the reference does. Method names and
 * enumerations are case-insensitive, so they are matched with patterns.
 * @module
 */

/** The canonical method names, in the order the documentation lists them. */
export const FHIR_METHODS: readonly string[] = Object.freeze([
  'keep', 'redact', 'dateShift', 'cryptoHash', 'encrypt', 'substitute', 'perturb', 'generalize',
]);

function ci(word: string): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += lower === upper ? ch : `[${lower}${upper}]`;
  }
  return out;
}

function ciPattern(words: readonly string[], allowEmpty = false): string {
  return `^(?:${allowEmpty ? '|' : ''}${words.map(ci).join('|')})$`;
}

const methodIs = (name: string): Record<string, unknown> => ({
  required: ['method'],
  properties: { method: { type: 'string', pattern: ciPattern([name]) } },
});

const nonNegativeNumberString = '^\\s*\\+?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*$';
const roundToString = '^\\s*\\+?0*(?:\\d|1\\d|2[0-8])\\s*$';
const integerString = '^\\s*[+-]?\\d{1,10}\\s*$';

/** The schema object; see `schemas/fhir-config.schema.json`. */
export const FHIR_CONFIG_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'health-anonymizer FHIR configuration',
  description:
    'FHIR anonymization configuration, compatible with Microsoft Tools-for-Health-Data-Anonymization. ' +
    'Top-level and parameters property names are matched case-insensitively; keys inside a rule are case-sensitive.',
  type: 'object',
  required: ['fhirPathRules'],
  properties: {
    $schema: { description: 'Location of this schema, for editors; ignored by the loader.', type: 'string' },
    fhirVersion: {
      description: 'FHIR release the configuration targets: "R4" or "STU3" (case-insensitive). Empty: any.',
      type: ['string', 'null'],
      pattern: ciPattern(['R4', 'STU3'], true),
      examples: ['R4', 'Stu3'],
    },
    processingErrors: {
      description: 'What to do when a method fails on a value: "raise" (stop, default) or "skip" (emit an empty, labelled resource).',
      type: 'string',
      pattern: ciPattern(['raise', 'skip']),
      examples: ['raise', 'skip'],
    },
    fhirPathRules: {
      description: 'Ordered rules; the first rule that reaches a node wins.',
      type: 'array',
      items: { $ref: '#/definitions/rule' },
    },
    parameters: {
      description: 'Keys and switches shared by the methods.',
      type: ['object', 'null'],
      properties: {
        dateShiftKey: { description: 'Key of the date-shift offset. Empty: random per load.', type: ['string', 'null'] },
        dateShiftScope: {
          description: 'Scope of the date-shift prefix: resource (default), file, folder, or patient (extension).',
          type: ['string', 'null'],
          pattern: ciPattern(['resource', 'file', 'folder', 'patient']),
          examples: ['resource', 'file', 'folder', 'patient'],
        },
        dateShiftFixedOffsetInDays: {
          description: 'A fixed offset in days for every date; key and scope are then ignored.',
          anyOf: [
            { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
            { type: 'string', pattern: integerString },
            { type: 'null' },
          ],
        },
        cryptoHashKey: { description: 'HMAC-SHA256 key of cryptoHash. Empty: random per process.', type: ['string', 'null'] },
        encryptKey: {
          description: 'AES key of encrypt; its UTF-8 form must be 16, 24 or 32 bytes. Empty: random per process.',
          type: ['string', 'null'],
        },
        enablePartialAgesForRedact: { description: 'redact keeps ages up to 89.', type: 'boolean' },
        enablePartialDatesForRedact: { description: 'redact keeps the year of dates (unless the age is over 89).', type: 'boolean' },
        enablePartialZipCodesForRedact: { description: 'redact keeps the first 3 digits of postal codes.', type: 'boolean' },
        restrictedZipCodeTabulationAreas: {
          description: '3-digit ZIP prefixes whose postal codes are zeroed entirely.',
          type: ['array', 'null'],
          items: { type: 'string' },
        },
        customSettings: { description: 'Settings of the reference tool\'s custom processors (ignored here).' },
      },
    },
  },
  definitions: {
    rule: {
      type: 'object',
      required: ['path', 'method'],
      properties: {
        path: { description: 'FHIRPath expression, optionally prefixed with a resource type.', type: 'string', minLength: 1 },
        method: {
          description: 'Anonymization method (case-insensitive).',
          type: 'string',
          pattern: ciPattern(FHIR_METHODS),
          examples: [...FHIR_METHODS],
        },
        replaceWith: { description: 'substitute: the replacement value (primitive, object or null).' },
        span: {
          description: 'perturb: noise span, ≥ 0.',
          anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: nonNegativeNumberString }],
        },
        rangeType: {
          description: 'perturb: "fixed" (default) or "proportional".',
          type: 'string',
          pattern: ciPattern(['fixed', 'proportional']),
          examples: ['fixed', 'proportional'],
        },
        roundTo: {
          description: 'perturb: decimal places, 0–28 (default 2).',
          anyOf: [{ type: 'integer', minimum: 0, maximum: 28 }, { type: 'string', pattern: roundToString }],
        },
        cases: {
          description: 'generalize: FHIRPath predicate → FHIRPath value expression, first match wins.',
          type: 'object',
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        otherValues: {
          description: 'generalize: when no case matches, "redact" (default) or "keep".',
          type: 'string',
          pattern: ciPattern(['redact', 'keep']),
          examples: ['redact', 'keep'],
        },
      },
      allOf: [
        { if: methodIs('substitute'), then: { required: ['replaceWith'] } },
        { if: methodIs('perturb'), then: { required: ['span'] } },
        { if: methodIs('generalize'), then: { required: ['cases'] } },
      ],
    },
  },
};
