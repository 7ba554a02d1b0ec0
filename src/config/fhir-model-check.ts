/**
 * Checks simple rule paths against the FHIR model of a release, to catch typos such
 * as the reference tool's `HealthcareService.notAvaliable.description`: a path that
 * names no element matches nothing, so the data it meant to protect is left as is.
 *
 * Only the common shapes are checked — `Type.a.b…` and `nodesByType('T')[.child]` —
 * everything else (functions, `as`, `where()`) is left to run time.
 * @module
 */
import type { Model } from 'fhirpath';
import type { FhirVersion } from './fhir-types.ts';
import { fhirModel } from './fhirpath-check.ts';

/** An element name in a path that the model does not define. */
export interface UnknownElement {
  /** The step that names nothing (an element or type name from the configuration, never data). */
  readonly name: string;
  /** `type`: an unknown resource or data type; `element`: an unknown child element. */
  readonly kind: 'type' | 'element';
}

const ABSTRACT_ROOTS = new Set(['Resource', 'DomainResource']);
const ELEMENT_BASICS = new Set(['id', 'extension', 'modifierExtension']);

interface ModelIndex {
  readonly model: Model;
  readonly typeNames: ReadonlySet<string>;
}

const indexes = new Map<FhirVersion, ModelIndex>();

function modelIndex(version: FhirVersion): ModelIndex {
  let index = indexes.get(version);
  if (index === undefined) {
    const model = fhirModel(version);
    const typeNames = new Set<string>(Object.keys(model.type2Parent));
    for (const path of Object.keys(model.path2Type)) typeNames.add(path.slice(0, path.indexOf('.') < 0 ? path.length : path.indexOf('.')));
    for (const t of Object.values(model.path2Type)) if (!t.startsWith('System.')) typeNames.add(t);
    index = { model, typeNames };
    indexes.set(version, index);
  }
  return index;
}

// Resolves one step from a base (a type name or a backbone element path); undefined when unknown.
function step(model: Model, base: string, name: string): string | undefined {
  for (let t: string | undefined = base; t !== undefined; t = model.type2Parent[t]) {
    let key = `${t}.${name}`;
    const elsewhere = model.pathsDefinedElsewhere[key];
    if (elsewhere !== undefined) return elsewhere;
    if (model.choiceTypePaths[key] !== undefined) return '*';
    const type = model.path2Type[key];
    if (type !== undefined) return type === 'BackboneElement' || type === 'Element' ? key : type;
    key = '';
  }
  if (ELEMENT_BASICS.has(name)) return 'Element';
  return undefined;
}

/**
 * Finds the first step of a simple rule path that the FHIR model does not define.
 * @param path - A rule path.
 * @param version - Release whose model to check against.
 * @returns The unknown step, or `undefined` when every step is known or the path is not a simple shape.
 * @example The reference sample's typo
 * ```ts
 * findUnknownElement('HealthcareService.notAvaliable.description', 'R4'); // { name: 'notAvaliable', kind: 'element' }
 * findUnknownElement('HealthcareService.notAvailable.description', 'R4'); // undefined
 * ```
 */
export function findUnknownElement(path: string, version: FhirVersion): UnknownElement | undefined {
  const { model, typeNames } = modelIndex(version);
  let base: string;
  let rest: string[];
  const byType = /^nodesByType\('([A-Za-z0-9]+)'\)(?:\.([A-Za-z0-9]+))?$/.exec(path);
  if (byType !== null) {
    const type = byType[1]!;
    if (!typeNames.has(type)) return { name: type, kind: 'type' };
    base = type;
    rest = byType[2] === undefined ? [] : [byType[2]];
  } else if (/^[A-Z][A-Za-z]*(?:\.[A-Za-z][A-Za-z0-9]*)*$/.test(path)) {
    const steps = path.split('.');
    const type = steps[0]!;
    if (!typeNames.has(type) && !ABSTRACT_ROOTS.has(type)) return { name: type, kind: 'type' };
    base = type;
    rest = steps.slice(1);
  } else {
    return undefined;
  }
  for (const name of rest) {
    const next = step(model, base, name);
    if (next === undefined) return { name, kind: 'element' };
    if (next === '*') return undefined;
    base = next.startsWith('System.') ? 'Element' : next;
  }
  return undefined;
}
