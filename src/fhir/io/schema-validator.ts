/**
 * Validation of FHIR resources against the official R4 / STU3 JSON schemas (vendored under
 * `schemas/fhir/`, embedded in the package, loaded on first use so that code which never
 * validates does not pay for them). Uses ajv 8.
 *
 * What the schemas catch: unknown elements (R4 only: the STU3 schema allows extra properties),
 * wrong JSON types, malformed primitives (dates, ids, codes with a pattern), unknown codes of
 * required bindings with a fixed list, missing required elements. What they do not catch:
 * invariants, cardinality minimums inside some data types, terminology.
 * @module
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { InvalidArgumentError } from '../../errors.ts';
import type { ResourceValidator, SchemaProblem } from './types.ts';

/** FHIR releases with a bundled schema. */
export type SchemaVersion = 'R4' | 'Stu3';

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toProblem(error: ErrorObject): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    return { pointer: `${error.instancePath}/${escapePointer(params['additionalProperty'])}`, message: 'unknown element' };
  }
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return { pointer: `${error.instancePath}/${escapePointer(params['missingProperty'])}`, message: 'required element missing' };
  }
  // ajv's messages describe the schema (type, pattern, allowed codes), never the instance value.
  return { pointer: error.instancePath, message: `${error.keyword}: ${error.message ?? 'invalid'}` };
}

class AjvResourceValidator implements ResourceValidator {
  private readonly ajv: Ajv;
  private readonly byType = new Map<string, ValidateFunction | null>();
  private readonly definitions: Record<string, unknown>;
  private readonly version: SchemaVersion;

  constructor(AjvClass: typeof Ajv, schemaJson: string, version: SchemaVersion) {
    const schema = JSON.parse(schemaJson) as { definitions: Record<string, unknown> };
    this.definitions = schema.definitions;
    this.version = version;
    this.ajv = new AjvClass({ strict: false, allErrors: false, discriminator: true, validateSchema: false });
    this.ajv.addSchema(schema, 'fhir');
  }

  validate(resource: unknown): readonly SchemaProblem[] {
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
      return [{ pointer: '', message: 'a FHIR resource must be a JSON object' }];
    }
    const type = (resource as Record<string, unknown>)['resourceType'];
    if (typeof type !== 'string') return [{ pointer: '/resourceType', message: 'required element missing' }];
    let fn = this.byType.get(type);
    if (fn === undefined) {
      fn = Object.hasOwn(this.definitions, type) && /^[A-Z][A-Za-z]+$/.test(type)
        ? (this.ajv.getSchema(`fhir#/definitions/${type}`) ?? null)
        : null;
      this.byType.set(type, fn);
    }
    if (fn === null) return [{ pointer: '/resourceType', message: `unknown resource type for FHIR ${this.version}` }];
    if (fn(resource)) return [];
    return (fn.errors ?? []).map(toProblem);
  }
}

const cache = new Map<SchemaVersion, Promise<ResourceValidator>>();

/**
 * Returns a validator for one FHIR release, compiling the embedded schema on first use
 * (about one second for R4; resource types are compiled lazily after that).
 * @param version - `'R4'` or `'Stu3'`.
 * @returns A shared validator whose `validate` returns problems with JSON pointers.
 * @throws {@link InvalidArgumentError} for another version.
 * @example Checking a resource
 * ```ts
 * import { createSchemaValidator } from 'health-anonymizer/fhir';
 * const validator = await createSchemaValidator('R4');
 * validator.validate({ resourceType: 'Patient', gender: 'x' });
 * // [{ pointer: '/gender', message: 'enum: must be equal to one of the allowed values' }]
 * ```
 */
export function createSchemaValidator(version: SchemaVersion): Promise<ResourceValidator> {
  if (version !== 'R4' && version !== 'Stu3') {
    return Promise.reject(new InvalidArgumentError('"version" expected "R4" or "Stu3"'));
  }
  let pending = cache.get(version);
  if (pending === undefined) {
    // ajv and the schema text load only here, so code that never validates does not pay for them.
    pending = Promise.all([
      import('ajv'),
      version === 'R4' ? import('./schemas/r4.generated.ts').then((m) => m.R4_SCHEMA_JSON) : import('./schemas/stu3.generated.ts').then((m) => m.STU3_SCHEMA_JSON),
    ]).then(([ajv, json]) => new AjvResourceValidator(ajv.Ajv, json, version));
    cache.set(version, pending);
  }
  return pending;
}
