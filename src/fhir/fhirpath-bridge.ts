/**
 * The bridge to fhirpath.js for what the compiled steps do not cover: rule path
 * remainders (`where()`, `ofType()`, `extension()`…) evaluated on tree elements,
 * and generalize cases evaluated on a primitive. Results are mapped back to tree
 * elements through object identity (complex values) or parent, name and index
 * (primitives). fhirpath.js is the only module that imports it.
 * @module
 */
import fhirpath from 'fhirpath';
import type { ResourceNode } from 'fhirpath';
import { ProcessingError, RuleCompileError } from '../errors.ts';
import { generalizeValue, type GeneralizeCase, type GeneralizeOutcome } from '../methods/generalize.ts';
import { LosslessNumber } from './lossless-json.ts';
import type { FhirModel } from './model.ts';
import { pointerOf, type FNode } from './tree.ts';

type Evaluator = (data: unknown, env?: Record<string, unknown>) => unknown[];

/**
 * Compiled expressions of one model, cached by base and text.
 * @example Selecting the addresses a keep rule protects
 * ```ts
 * const bridge = new FhirPathBridge(getFhirModel('R4'));
 * const kept = bridge.select(addressNode, "where(city='KeepTest')", elementsByObject);
 * ```
 */
export class FhirPathBridge {
  readonly model: FhirModel;
  private readonly raw = new Map<string, Evaluator>();
  private readonly resolved = new Map<string, Evaluator>();

  /** @param model - The release's type model. */
  constructor(model: FhirModel) {
    this.model = model;
  }

  /**
   * Compiles an expression (cached).
   * @param base - Type path of the context (`Patient`, `Address`, `Patient.contact`).
   * @param expression - FHIRPath.
   * @param internal - Return fhirpath.js nodes (for locating elements) rather than plain values.
   * @returns The evaluator.
   * @throws {@link RuleCompileError} when the expression does not compile.
   */
  compile(base: string, expression: string, internal: boolean): Evaluator {
    const cache = internal ? this.raw : this.resolved;
    const key = `${base}\u0000${expression}`;
    let f = cache.get(key);
    if (f === undefined) {
      try {
        const path = base === '' ? expression : { base, expression };
        f = fhirpath.compile(path, this.model.fhirpathModel, { resolveInternalTypes: !internal }) as unknown as Evaluator;
      } catch {
        throw new RuleCompileError('FHIRPath expression does not compile');
      }
      cache.set(key, f);
    }
    return f;
  }

  /**
   * Evaluates a path remainder on an element and returns the tree elements it selects.
   * @param node - Context element (a resource or complex element).
   * @param expression - FHIRPath.
   * @param byObject - Map from JSON objects to their elements.
   * @returns The selected elements (values that are not elements are ignored).
   * @throws {@link ProcessingError} when evaluation fails.
   */
  select(node: FNode, expression: string, byObject: Map<object, FNode>): FNode[] {
    let data: unknown;
    let base: string;
    if (node.primitive) {
      // Evaluate on the parent's JSON, reaching the primitive by name, then the expression.
      const parent = node.parent;
      if (parent === null || parent.obj === null) return [];
      data = parent.obj;
      base = this.model.baseOf(parent.type, parent.path);
      expression = `${node.name}${node.index >= 0 ? `[${node.index}]` : ''}.select(${expression})`;
    } else {
      data = node.obj;
      base = node.resource !== null ? node.type : this.model.baseOf(node.type, node.path);
    }
    let results: unknown[];
    try {
      results = this.compile(base, expression, true)(data, {});
    } catch (err) {
      if (err instanceof RuleCompileError) throw err;
      throw new ProcessingError('FHIRPath evaluation failed', { location: { pointer: pointerOf(node) } });
    }
    const out: FNode[] = [];
    for (const r of results) {
      const found = this.locate(r, byObject);
      if (found !== undefined) out.push(found);
    }
    return out;
  }

  private locate(r: unknown, byObject: Map<object, FNode>): FNode | undefined {
    if (r === null || typeof r !== 'object') return undefined;
    const rn = r as ResourceNode;
    const data: unknown = rn.data;
    if (data !== null && typeof data === 'object') {
      const found = byObject.get(data as object);
      if (found !== undefined) return found;
      // Otherwise a primitive wrapped by fhirpath.js (FP_Decimal, FP_DateTime…): found through its parent.
    }
    const parentData: unknown = rn.parentResNode?.data;
    if (parentData === null || typeof parentData !== 'object') return undefined;
    const parent = byObject.get(parentData as object);
    if (parent === undefined) return undefined;
    const index = typeof rn.index === 'number' ? rn.index : -1;
    const prop = rn.propName;
    for (const c of parent.children) {
      if ((c.key === prop || c.name === prop) && c.index === index && c.primitive) return c;
    }
    return undefined;
  }

  /**
   * Runs the generalize cases on a primitive element.
   * @param node - The primitive.
   * @param cases - Predicate and value expressions, in order.
   * @param otherValues - What happens when no case holds.
   * @returns The value of the first case that holds, or `keep`/`redact` (an element fhirpath.js cannot reach is redacted).
   * @throws {@link ProcessingError} when an expression fails on this value (the skippable kind).
   */
  generalize(node: FNode, cases: ReadonlyArray<readonly [string, string]>, otherValues: 'redact' | 'keep'): GeneralizeOutcome {
    const parent = node.parent;
    if (parent === null || parent.obj === null) return { kind: 'redact' };
    const location = { location: { pointer: pointerOf(node) } };
    const base = parent.resource !== null ? parent.type : this.model.baseOf(parent.type, parent.path);
    // Numbers kept lexically are handed to fhirpath.js as JS numbers.
    const data = plainCopy(parent.obj);
    let target: unknown;
    try {
      const nodes = this.compile(base, node.name, true)(data, {});
      target = node.index >= 0 ? nodes.find((n) => (n as ResourceNode).index === node.index) : nodes[0];
    } catch {
      throw new ProcessingError('FHIRPath evaluation failed in generalize', location);
    }
    if (target === undefined) return { kind: 'redact' };
    const evaluate = (expression: string): unknown[] => {
      try {
        return this.compile('', expression, false)(target, {});
      } catch (err) {
        if (err instanceof RuleCompileError) throw err;
        throw new ProcessingError('generalize case failed on a value', location);
      }
    };
    const compiled: Array<GeneralizeCase<unknown>> = cases.map(([predicate, value]) => ({
      predicate: (): boolean => {
        const ok = evaluate(predicate);
        return ok.length === 1 && ok[0] === true;
      },
      value: (): unknown => {
        const v = evaluate(value)[0];
        return v !== null && typeof v === 'object' ? String(v) : v;
      },
    }));
    return generalizeValue(target, compiled, otherValues);
  }
}

function plainCopy(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v instanceof LosslessNumber) out[k] = Number(v.lexical);
    else if (Array.isArray(v)) out[k] = v.map((x) => (x instanceof LosslessNumber ? Number(x.lexical) : x));
    else out[k] = v;
  }
  return out;
}
