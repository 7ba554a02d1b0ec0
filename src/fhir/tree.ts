/**
 * The typed element tree of one resource (with its nested resources), built in one
 * pass over the parsed JSON with the release's type model. Every element knows its
 * FHIR element name, type and parent; unknown elements and resource types are
 * rejected with a JSON pointer. The anonymizer mutates the tree, then writes it
 * back to JSON, pruning empty elements.
 * @module
 */
import { InvalidInputError } from '../errors.ts';
import { LosslessNumber } from './lossless-json.ts';
import { jsonKindOf, type ChildInfo, type FhirModel } from './model.ts';

/** A resource inside the tree (the root, a contained resource, a Bundle entry…). */
export interface ResourceInfo {
  /** The resource's element. */
  readonly node: FNode;
  /** `resourceType`. */
  readonly type: string;
  /** The enclosing resource, or `null` for the root. */
  readonly parent: ResourceInfo | null;
  /** Whether it sits under a `contained` element (it then gets no labels of its own). */
  readonly contained: boolean;
  /** Security-label codes recorded for operations on this resource's own elements. */
  readonly ops: Set<string>;
  /** Its elements (nested resources excluded) whose type the plan looks for, by type. */
  readonly byType: Map<string, FNode[]>;
  /** Its elements (nested resources excluded) whose name the plan looks for, by name. */
  readonly byName: Map<string, FNode[]>;
}

/** One element of the tree. */
export interface FNode {
  readonly parent: FNode | null;
  /** FHIR element name (choice suffix removed). */
  readonly name: string;
  /** JSON key. */
  readonly key: string;
  /** Index in the JSON array, or -1 for a single value. */
  readonly index: number;
  /** FHIR type code (resource type for resources). */
  readonly type: string;
  /** Model path (base of the element's children). */
  readonly path: string;
  /** Whether the element is a FHIR primitive. */
  readonly primitive: boolean;
  /** Primitive value (string, number, boolean, LosslessNumber); `undefined` when absent or removed. */
  value: unknown;
  /** The source object of a complex element (for mapping FHIRPath results). */
  readonly obj: Record<string, unknown> | null;
  /** Children, in JSON key order (for primitives: the `id`/`extension` of the `_key` object). */
  children: FNode[];
  /** Set on resource elements. */
  readonly resource: ResourceInfo | null;
  /** The resource whose rules reach this element. */
  readonly owner: ResourceInfo;
  /** Lowest index of a rule matching this element directly. */
  direct: number;
  /** Index of the rule that processes this element (first rule to reach it). */
  eff: number;
}

const NONE = Number.POSITIVE_INFINITY;

/**
 * The JSON pointer of an element, built from its ancestors.
 * @param node - The element.
 * @returns An RFC 6901 pointer from the tree's root.
 * @example Locating an element for an error message
 * ```ts
 * pointerOf(node); // '/name/0/given/1'
 * ```
 */
export function pointerOf(node: FNode | null): string {
  if (node === null || node.parent === null) return '';
  return childPointer(node.parent, node.key, node.index);
}

function escapeSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON pointer of a (possibly not yet built) child of an element.
 * @param parent - The parent element.
 * @param key - The child's JSON key.
 * @param index - Its array index, or -1.
 * @returns The pointer.
 * @example Pointer of an unknown key, for an error
 * ```ts
 * childPointer(nameNode, 'nickname', -1); // '/name/0/nickname'
 * ```
 */
export function childPointer(parent: FNode, key: string, index: number): string {
  const tail = (key === '' ? '' : '/' + escapeSegment(key)) + (index >= 0 ? `/${index}` : '');
  if (parent.primitive) {
    // Children of a primitive live in its "_key" object.
    return pointerOf(parent.parent) + '/_' + escapeSegment(parent.key) + (parent.index >= 0 ? `/${parent.index}` : '') + tail;
  }
  return pointerOf(parent) + tail;
}

const NO_CHILDREN: FNode[] = [];

function isPrimitiveJson(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof LosslessNumber;
}

/**
 * Builds typed trees for one model, indexing the element types and names the plan looks for.
 * @example Building and writing back a resource
 * ```ts
 * const builder = new TreeBuilder(getFhirModel('R4'), new Set(['HumanName']));
 * const root = builder.build({ resourceType: 'Patient', name: [{ family: 'F' }] });
 * builder.resources[0].byType.get('HumanName')?.length; // 1
 * toJson(root); // { resourceType: 'Patient', name: [{ family: 'F' }] }
 * ```
 */
export class TreeBuilder {
  readonly model: FhirModel;
  /** Resources in pre-order (root first), filled by {@link TreeBuilder.build}. */
  resources: ResourceInfo[] = [];
  private readonly indexTypes: ReadonlySet<string>;
  private readonly indexNames: ReadonlySet<string>;

  /**
   * @param model - The release's type model.
   * @param indexTypes - Element types to index per resource (the `nodesByType` arguments of the plan).
   * @param indexNames - Element names to index per resource (the `nodesByName` arguments).
   */
  constructor(model: FhirModel, indexTypes: ReadonlySet<string> = new Set(), indexNames: ReadonlySet<string> = new Set()) {
    this.model = model;
    this.indexTypes = indexTypes;
    this.indexNames = indexNames;
  }

  private index(node: FNode): void {
    const owner = node.owner;
    if (this.indexTypes.has(node.type)) {
      const list = owner.byType.get(node.type);
      if (list === undefined) owner.byType.set(node.type, [node]);
      else list.push(node);
    }
    if (this.indexNames.has(node.name)) {
      const list = owner.byName.get(node.name);
      if (list === undefined) owner.byName.set(node.name, [node]);
      else list.push(node);
    }
  }

  /**
   * Builds the tree of a resource.
   * @param json - The parsed resource.
   * @returns The root element.
   * @throws {@link InvalidInputError} for an unknown resource type or element, or a value of the wrong JSON kind.
   */
  build(json: unknown): FNode {
    this.resources = [];
    return this.resource(json, null, '', '', -1, null, false);
  }

  private invalid(message: string, parent: FNode | null, key: string, index: number): never {
    const pointer = parent === null ? '' : childPointer(parent, key, index);
    throw new InvalidInputError(message, { location: { pointer } });
  }

  private resource(json: unknown, parent: FNode | null, name: string, key: string, index: number,
    parentRes: ResourceInfo | null, contained: boolean): FNode {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) this.invalid('expected a resource object', parent, key, index);
    const obj = json as Record<string, unknown>;
    const type = obj['resourceType'];
    if (typeof type !== 'string' || !this.model.resourceTypes.has(type)) {
      this.invalid(`unknown or missing resourceType for FHIR ${this.model.version}`, parent, key, index);
    }
    const info: { node: FNode | null; type: string; parent: ResourceInfo | null; contained: boolean; ops: Set<string>;
      byType: Map<string, FNode[]>; byName: Map<string, FNode[]> } = {
      node: null, type, parent: parentRes, contained, ops: new Set(), byType: new Map(), byName: new Map(),
    };
    const node: FNode = {
      parent, name, key, index, type, path: type, primitive: false, value: undefined, obj, children: [],
      resource: info as ResourceInfo, owner: info as ResourceInfo, direct: NONE, eff: NONE,
    };
    info.node = node;
    this.resources.push(info as ResourceInfo);
    this.members(node, obj, type, info as ResourceInfo, true);
    return node;
  }

  private members(node: FNode, obj: Record<string, unknown>, base: string, owner: ResourceInfo, isResource: boolean): void {
    const model = this.model;
    const table = model.table(base);
    for (const key in obj) {
      const v = obj[key];
      if (isResource && key === 'resourceType') continue;
      let realKey = key;
      let sidecarOnly = false;
      if (key.charCodeAt(0) === 95 /* _ */) {
        realKey = key.slice(1);
        if (Object.hasOwn(obj, realKey)) continue; // attached to the primitive when it is visited
        sidecarOnly = true;
      }
      const known = table.get(realKey);
      const info = known === undefined ? model.child(base, realKey) : known ?? undefined;
      if (info === undefined) this.invalid(`unknown element for FHIR ${model.version}`, node, key, -1);
      const primitive = info.primitive;
      if (sidecarOnly && !primitive) this.invalid('unexpected "_" element', node, key, -1);
      if (primitive) {
        let side = obj[info.sideKey];
        let values = sidecarOnly ? undefined : v;
        if (info.repeating) {
          // A single value where the model repeats is read as a list of one (as the reference's parser does).
          if (values !== undefined && values !== null && !Array.isArray(values)) values = [values];
          if (side !== undefined && side !== null && !Array.isArray(side)) side = [side];
        }
        if (Array.isArray(values) || Array.isArray(side)) {
          const vs = Array.isArray(values) ? values : [];
          const ss = Array.isArray(side) ? side : [];
          if ((values !== undefined && !Array.isArray(values)) || (side !== undefined && side !== null && !Array.isArray(side))) {
            this.invalid('expected an array', node, key, -1);
          }
          const n = Math.max(vs.length, ss.length);
          for (let i = 0; i < n; i++) node.children.push(this.primitive(node, info, realKey, i, vs[i], ss[i], owner));
        } else {
          node.children.push(this.primitive(node, info, realKey, -1, values, side, owner));
        }
      } else if (Array.isArray(v) || (info.repeating && v !== null && v !== undefined)) {
        const list = Array.isArray(v) ? v : [v];
        for (let i = 0; i < list.length; i++) node.children.push(this.complex(node, info, key, i, list[i], owner));
      } else {
        node.children.push(this.complex(node, info, key, -1, v, owner));
      }
    }
  }

  private primitive(parent: FNode, info: ChildInfo, key: string, index: number, value: unknown, side: unknown, owner: ResourceInfo): FNode {
    if (value !== undefined && value !== null) {
      if (!isPrimitiveJson(value)) this.invalid('expected a primitive value', parent, key, index);
      // A date written as a number (or a number as a string) is not FHIR JSON: no method may
      // pass it through unchanged because it does not recognise the value.
      const kind = value instanceof LosslessNumber ? 'number' : typeof value;
      if (kind !== jsonKindOf(info.type)) this.invalid(`expected a JSON ${jsonKindOf(info.type)} for a FHIR ${info.type}`, parent, key, index);
    }
    const node: FNode = {
      parent, name: info.name, key, index, type: info.type, path: info.path, primitive: true, value: value === null ? undefined : value,
      obj: null, children: NO_CHILDREN, resource: null, owner, direct: NONE, eff: NONE,
    };
    this.index(node);
    if (side !== undefined && side !== null) {
      if (typeof side !== 'object' || Array.isArray(side)) this.invalid('expected an object', parent, '_' + key, index);
      node.children = [];
      this.members(node, side as Record<string, unknown>, 'Element', owner, false);
    }
    return node;
  }

  private complex(parent: FNode, info: ChildInfo, key: string, index: number, value: unknown, owner: ResourceInfo): FNode {
    if (info.type === 'Resource') {
      return this.resource(value, parent, info.name, key, index, owner, info.name === 'contained');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.invalid('expected an object', parent, key, index);
    const obj = value as Record<string, unknown>;
    const node: FNode = {
      parent, name: info.name, key, index, type: info.type, path: info.path, primitive: false, value: undefined, obj, children: [],
      resource: null, owner, direct: NONE, eff: NONE,
    };
    this.index(node);
    this.members(node, obj, info.childBase, owner, false);
    return node;
  }

  /**
   * Builds detached elements from a substitute replacement, typed as the element they replace.
   * @param target - The element being replaced.
   * @param replacement - The configured object.
   * @returns The new children.
   * @throws {@link InvalidInputError} when the replacement does not fit the element's type.
   */
  buildReplacementChildren(target: FNode, replacement: Record<string, unknown>): FNode[] {
    const holder: FNode = { ...target, children: [] };
    this.members(holder, replacement, this.model.baseOf(target.type, target.path), target.owner, false);
    for (const c of holder.children) (c as { parent: FNode | null }).parent = target;
    return holder.children;
  }
}

/** Called with each resource's JSON as {@link toJson} builds it; returns the object to place. */
export type ResourceHook = (node: FNode, json: Record<string, unknown>) => Record<string, unknown>;

/**
 * Writes a tree back to JSON, pruning elements without value or children
 * (resources are never pruned).
 * @param node - A resource or complex element.
 * @param onResource - Called with each resource's JSON before it is placed; returns the object to use.
 * @returns The JSON object, or `undefined` when it is empty.
 * @example Writing a tree back
 * ```ts
 * const json = toJson(root);
 * ```
 */
export function toJson(node: FNode, onResource?: ResourceHook): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (node.resource !== null) out['resourceType'] = node.type;
  const children = node.children;
  let i = 0;
  let any = false;
  let sidecars = false;
  while (i < children.length) {
    const first = children[i]!;
    let j = i + 1;
    while (j < children.length && children[j]!.key === first.key) j++;
    if (first.primitive) {
      if (first.index >= 0) {
        const values: unknown[] = [];
        const sides: unknown[] = [];
        let anyValue = false;
        let anySide = false;
        for (let k = i; k < j; k++) {
          const c = children[k]!;
          const side = c.children.length > 0 ? toJson(c, onResource) : undefined;
          if (c.value === undefined && side === undefined) continue;
          values.push(c.value === undefined ? null : c.value);
          sides.push(side ?? null);
          if (c.value !== undefined) anyValue = true;
          if (side !== undefined) anySide = true;
        }
        if (anyValue) out[first.key] = values;
        if (anySide) {
          out['_' + first.key] = sides;
          sidecars = true;
        }
        if (anyValue || anySide) any = true;
      } else {
        const side = first.children.length > 0 ? toJson(first, onResource) : undefined;
        if (first.value !== undefined) out[first.key] = first.value;
        if (side !== undefined) {
          out['_' + first.key] = side;
          sidecars = true;
        }
        if (first.value !== undefined || side !== undefined) any = true;
      }
    } else if (first.index >= 0) {
      const items: unknown[] = [];
      for (let k = i; k < j; k++) {
        const v = toJson(children[k]!, onResource);
        if (v !== undefined) items.push(v);
      }
      if (items.length > 0) {
        out[first.key] = items;
        any = true;
      }
    } else {
      const v = toJson(first, onResource);
      if (v !== undefined) {
        out[first.key] = v;
        any = true;
      }
    }
    i = j;
  }
  const result = sidecars && node.obj !== null ? inSourceOrder(out, node.obj) : out;
  if (node.resource !== null) return onResource === undefined ? result : onResource(node, result);
  return any ? result : undefined;
}

/** Reorders keys as in the source object (sidecar `_key` objects may not sit next to their value). */
function inSourceOrder(out: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const k of Object.keys(source)) if (k in out) ordered[k] = out[k];
  for (const k of Object.keys(out)) if (!(k in ordered)) ordered[k] = out[k];
  return ordered;
}
