/**
 * The FHIR R4 and STU3 type models, read from fhirpath.js's model tables
 * (`path2Type`, `choiceTypePaths`, `pathsDefinedElsewhere`, `type2Parent`): the
 * resource type names and, for each element, its FHIR type and element name
 * (choice elements such as `valueQuantity` resolve to name `value`, type `Quantity`).
 * @module
 */
import type { Model } from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import stu3 from 'fhirpath/fhir-context/stu3';
import type { FhirVersion } from '../config/fhir-types.ts';

/** What the model says about one JSON key under a parent. */
export interface ChildInfo {
  /** FHIR element name (choice suffix removed). */
  readonly name: string;
  /** FHIR type code of the value (`string`, `HumanName`, `BackboneElement`, `Resource`…). */
  readonly type: string;
  /** Model path of the element, the base for its own children when it is a backbone element. */
  readonly path: string;
  /** Whether the element repeats (is a JSON array). */
  readonly repeating: boolean;
  /** Whether its type is a FHIR primitive. */
  readonly primitive: boolean;
  /** The base under which the element's own children are looked up. */
  readonly childBase: string;
  /** The JSON key of its sidecar object (`_` + key). */
  readonly sideKey: string;
}

/** Primitive FHIR type codes. */
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'boolean', 'integer', 'string', 'decimal', 'uri', 'url', 'canonical', 'base64Binary', 'instant', 'date', 'dateTime',
  'time', 'code', 'oid', 'id', 'markdown', 'unsignedInt', 'positiveInt', 'uuid', 'xhtml', 'integer64',
]);

const NUMBER_TYPES: ReadonlySet<string> = new Set(['integer', 'decimal', 'unsignedInt', 'positiveInt', 'integer64', 'System.Integer', 'System.Decimal']);
const BOOLEAN_TYPES: ReadonlySet<string> = new Set(['boolean', 'System.Boolean']);

/**
 * The JSON kind a primitive FHIR type is written as (FHIR JSON §2.6.2): numbers for integer and
 * decimal types, booleans for boolean, strings for every other primitive (dates included).
 * @param type - A primitive type code of the model.
 * @returns `'number'`, `'boolean'` or `'string'`.
 * @example
 * ```ts
 * jsonKindOf('date'); // 'string'
 * ```
 */
export function jsonKindOf(type: string): 'number' | 'boolean' | 'string' {
  return NUMBER_TYPES.has(type) ? 'number' : BOOLEAN_TYPES.has(type) ? 'boolean' : 'string';
}

/** Type model of one FHIR release. */
export interface FhirModel {
  /** The release. */
  readonly version: FhirVersion;
  /** The fhirpath.js model object, for evaluating expressions. */
  readonly fhirpathModel: Model;
  /** Concrete resource type names. */
  readonly resourceTypes: ReadonlySet<string>;
  /**
   * Looks up a JSON key under a base (a resource type, a datatype name, or a backbone path).
   * @returns The element, or `undefined` when the model has no such element.
   */
  child(base: string, key: string): ChildInfo | undefined;
  /**
   * The lookup cache of one base: `null` for keys known to be unknown, absent for keys
   * not looked up yet (then call {@link FhirModel.child}). Saves a lookup per key in hot loops.
   */
  table(base: string): ReadonlyMap<string, ChildInfo | null>;
  /** The base under which the children of an element of this type and path are looked up. */
  baseOf(type: string, path: string): string;
}

interface RawModel {
  readonly path2Type: Record<string, string | { code: string }>;
  readonly choiceTypePaths: Record<string, string[]>;
  readonly pathsDefinedElsewhere: Record<string, string>;
  readonly type2Parent: Record<string, string>;
  readonly path2Repeating?: Record<string, boolean> | readonly string[];
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function buildModel(version: FhirVersion, model: Model): FhirModel {
  const raw = model as unknown as RawModel;
  const path2Type = raw.path2Type;
  const resourceTypes = new Set<string>();
  for (const type of Object.keys(raw.type2Parent)) {
    let t: string | undefined = type;
    while (t !== undefined && t !== 'Resource') t = raw.type2Parent[t];
    if (t === 'Resource' && type !== 'DomainResource') resourceTypes.add(type);
  }
  const abstractBases = new Set(['Resource', 'DomainResource']);
  // choice keys per base: base -> (jsonKey -> [name, typeSuffix])
  const choices = new Map<string, Map<string, string>>();
  for (const [path, types] of Object.entries(raw.choiceTypePaths)) {
    const dot = path.lastIndexOf('.');
    const base = path.slice(0, dot);
    const name = path.slice(dot + 1);
    let map = choices.get(base);
    if (map === undefined) choices.set(base, (map = new Map()));
    for (const t of types) map.set(name + t, name);
  }
  const rep = raw.path2Repeating ?? [];
  const repeating = new Set<string>(Array.isArray(rep) ? rep : Object.keys(rep).filter((k) => (rep as Record<string, boolean>)[k]));
  const cache = new Map<string, Map<string, ChildInfo | null>>();
  function typeOf(raw: string | { code: string } | undefined, base: string, name: string): string | undefined {
    if (raw === undefined) return undefined;
    const t = typeof raw === 'string' ? raw : raw.code;
    if (!t.startsWith('System.')) return t;
    if (name === 'id') return resourceTypes.has(base) || abstractBases.has(base) ? 'id' : 'string';
    if (name === 'url') return 'uri';
    return lowerFirst(t.slice(7));
  }
  function resolve(base: string, key: string): ChildInfo | undefined {
    const own = `${base}.${key}`;
    let path = own;
    let name = key;
    const choiceName = choices.get(base)?.get(key);
    if (choiceName !== undefined) name = choiceName;
    let type = typeOf(path2Type[path], base, name);
    if (type === undefined) {
      const elsewhere = raw.pathsDefinedElsewhere[path];
      if (elsewhere !== undefined) {
        path = elsewhere;
        type = typeOf(path2Type[elsewhere], base, name) ?? 'BackboneElement';
      }
    }
    if (type === undefined && (resourceTypes.has(base) || abstractBases.has(base))) {
      // Elements every resource inherits, when the table lists them only on Resource/DomainResource.
      type = typeOf(path2Type[`DomainResource.${key}`] ?? path2Type[`Resource.${key}`], base, name);
    }
    if (type === undefined && choiceName === undefined) {
      // Elements every datatype inherits.
      if (key === 'extension') type = 'Extension';
      else if (key === 'id') type = 'string';
    }
    if (type === undefined) return undefined;
    const repeats = repeating.has(own) || repeating.has(path) || key === 'extension' || key === 'modifierExtension';
    return { name, type, path, repeating: repeats, primitive: PRIMITIVE_TYPES.has(type), childBase: baseOf(type, path), sideKey: '_' + key };
  }
  function baseOf(type: string, path: string): string {
    if (type === 'BackboneElement' || type === 'Element') return raw.pathsDefinedElsewhere[path] ?? path;
    if (PRIMITIVE_TYPES.has(type)) return 'Element';
    return type;
  }
  return {
    version,
    fhirpathModel: model,
    resourceTypes,
    table(base: string): ReadonlyMap<string, ChildInfo | null> {
      let map = cache.get(base);
      if (map === undefined) cache.set(base, (map = new Map()));
      return map;
    },
    child(base: string, key: string): ChildInfo | undefined {
      let map = cache.get(base);
      if (map === undefined) cache.set(base, (map = new Map()));
      let info = map.get(key);
      if (info === undefined) {
        info = resolve(base, key) ?? null;
        map.set(key, info);
      }
      return info ?? undefined;
    },
    baseOf,
  };
}

const models: Partial<Record<FhirVersion, FhirModel>> = {};

/**
 * The type model of a FHIR release, built once.
 * @param version - `R4` or `Stu3`.
 * @returns The model.
 * @example Resolving a choice element
 * ```ts
 * getFhirModel('R4').child('Observation', 'valueQuantity'); // { name: 'value', type: 'Quantity', path: 'Observation.valueQuantity', repeating: false, primitive: false, childBase: 'Quantity', sideKey: '_valueQuantity' }
 * ```
 */
export function getFhirModel(version: FhirVersion): FhirModel {
  let m = models[version];
  if (m === undefined) {
    m = buildModel(version, version === 'R4' ? r4 : stu3);
    models[version] = m;
  }
  return m;
}
