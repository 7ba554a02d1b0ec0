/**
 * Compiles the ordered `fhirPathRules` into a plan. Common path shapes are compiled
 * into steps that the engine resolves on the typed tree in one pass per resource:
 * an optional resource type (`Patient`, `Resource`, `DomainResource`), then element
 * names and `nodesByType('T')` / `nodesByName('n')` filters. Anything after
 * that (a `.where(…)`, `.ofType(…)`, `.extension(…)`) is a FHIRPath remainder
 * evaluated by fhirpath.js on each node the steps found; expressions with
 * operators at the top level are evaluated whole by fhirpath.js.
 * @module
 */
import type { FhirConfig, FhirRule } from '../config/fhir-types.ts';
import { RuleCompileError } from '../errors.ts';

/** How a rule selects its first nodes. */
export type RuleStart =
  | { readonly kind: 'root' }
  | { readonly kind: 'type'; readonly value: string }
  | { readonly kind: 'name'; readonly value: string };

/** A step after the start: a child element name, or a descendant filter (`nodesByType`/`nodesByName` further down the path). */
export type RuleStep = string | { readonly kind: 'type' | 'name'; readonly value: string };

/** One compiled rule. */
export interface CompiledRule {
  /** The configuration rule. */
  readonly rule: FhirRule;
  /** Its position (the precedence: lower wins). */
  readonly order: number;
  /** Resource type the rule is limited to; `undefined` for every resource. */
  readonly resourceType: string | undefined;
  /** Whether the rule selects the resource element itself (a path that is only a type name). */
  readonly resourceOnly: boolean;
  /** First selection. */
  readonly start: RuleStart;
  /** Steps followed after the start: element names, or descendant filters. */
  readonly steps: readonly RuleStep[];
  /** FHIRPath evaluated on each node the steps found (`''` for none). */
  readonly remainder: string;
  /** Whether `remainder` is the whole expression, evaluated on the resource (no steps). */
  readonly whole: boolean;
}

const TYPE_PREFIX = /^([A-Z][A-Za-z0-9]*)(?:\.([\s\S]*))?$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NODES_BY = /^nodesBy(Type|Name)\(\s*(?:'([A-Za-z0-9_]+)'|"([A-Za-z0-9_]+)")\s*\)$/;

/**
 * Splits a FHIRPath expression at top-level dots.
 * @returns The parts, or `undefined` when the expression has a top-level operator or space.
 */
function splitTopLevel(expr: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && c === '.') {
      parts.push(expr.slice(start, i));
      start = i + 1;
    } else if (depth === 0 && /[\s|+\-*/=<>!&~,]/.test(c)) {
      return undefined;
    }
  }
  parts.push(expr.slice(start));
  return parts;
}

/**
 * Compiles one rule.
 * @param rule - The rule.
 * @param order - Its position.
 * @returns The compiled rule.
 * @throws {@link RuleCompileError} when `nodesByType`/`nodesByName` appear elsewhere than first.
 * @example A type rule with one child step
 * ```ts
 * compileRule({ path: "nodesByType('HumanName').use", method: 'keep', index: 0 }, 0).start; // { kind: 'type', value: 'HumanName' }
 * ```
 */
export function compileRule(rule: FhirRule, order: number): CompiledRule {
  const path = rule.path.trim();
  let resourceType: string | undefined;
  let expr = path;
  const m = TYPE_PREFIX.exec(path);
  if (m !== null) {
    resourceType = m[1]!;
    if (m[2] === undefined) {
      return {
        rule, order, resourceType: isAnyResource(resourceType) ? undefined : resourceType, resourceOnly: true,
        start: { kind: 'root' }, steps: [], remainder: '', whole: false,
      };
    }
    expr = m[2];
  }
  if (resourceType !== undefined && isAnyResource(resourceType)) resourceType = undefined;
  const parts = splitTopLevel(expr);
  const base = { rule, order, resourceType, resourceOnly: false };
  if (parts === undefined) {
    if (/nodesBy(Type|Name)\s*\(/.test(expr)) {
      throw new RuleCompileError('nodesByType/nodesByName are not supported inside expressions with operators', { location: { pointer: `/fhirPathRules/${rule.index}/path` } });
    }
    return { ...base, start: { kind: 'root' }, steps: [], remainder: expr, whole: true };
  }
  let start: RuleStart = { kind: 'root' };
  let i = 0;
  const first = NODES_BY.exec(parts[0]!.trim());
  if (first !== null) {
    start = { kind: first[1] === 'Type' ? 'type' : 'name', value: first[2] ?? first[3]! };
    i = 1;
  }
  const steps: RuleStep[] = [];
  for (; i < parts.length; i++) {
    const part = parts[i]!;
    if (IDENT.test(part)) {
      steps.push(part);
      continue;
    }
    const by = NODES_BY.exec(part.trim());
    if (by === null) break;
    steps.push({ kind: by[1] === 'Type' ? 'type' : 'name', value: by[2] ?? by[3]! });
  }
  const remainder = parts.slice(i).join('.');
  if (/nodesBy(Type|Name)\s*\(/.test(remainder)) {
    throw new RuleCompileError('nodesByType/nodesByName are supported only before any other function in a rule path', { location: { pointer: `/fhirPathRules/${rule.index}/path` } });
  }
  return { ...base, start, steps, remainder, whole: false };
}

function isAnyResource(type: string): boolean {
  return type === 'Resource' || type === 'DomainResource';
}

/** Element-name paths from a resource, merged: each step lists the rules that end there. */
export interface PathTrie {
  /** Rule positions whose path ends at this step. */
  readonly orders: number[];
  /** Next steps by element name. */
  readonly next: Map<string, PathTrie>;
}

/** The rules applicable to one resource type, split by how they are matched. */
export interface ResourceRules {
  /** Every applicable rule, in order. */
  readonly all: readonly CompiledRule[];
  /** Plain element paths from the resource (`Patient.name.given`), merged into one trie. */
  readonly trie: PathTrie;
  /** The other rules (resource-only, nodesByType/nodesByName, FHIRPath remainders). */
  readonly other: readonly CompiledRule[];
}

/** The compiled rules of a configuration, with the applicable rules per resource type. */
export interface FhirPlan {
  readonly rules: readonly CompiledRule[];
  /** Rules applicable to a resource type, in order. */
  rulesFor(resourceType: string): readonly CompiledRule[];
  /** The same rules, prepared for matching. */
  matchersFor(resourceType: string): ResourceRules;
}

/**
 * Compiles every rule of a configuration.
 * @param config - The configuration.
 * @returns The plan.
 * @throws {@link RuleCompileError} for a path the engine cannot run.
 * @example Rules that apply to Patient resources
 * ```ts
 * compilePlan(config).rulesFor('Patient').length;
 * ```
 */
export function compilePlan(config: FhirConfig): FhirPlan {
  const rules = config.fhirPathRules.map((r, i) => compileRule(r, i));
  const byType = new Map<string, CompiledRule[]>();
  const matchers = new Map<string, ResourceRules>();
  const rulesFor = (resourceType: string): readonly CompiledRule[] => {
    let list = byType.get(resourceType);
    if (list === undefined) {
      list = rules.filter((r) => r.resourceType === undefined || r.resourceType === resourceType);
      byType.set(resourceType, list);
    }
    return list;
  };
  return {
    rules,
    matchersFor(resourceType: string): ResourceRules {
      let m = matchers.get(resourceType);
      if (m === undefined) {
        const all = rulesFor(resourceType);
        const trie: PathTrie = { orders: [], next: new Map() };
        const other: CompiledRule[] = [];
        for (const r of all) {
          if (r.resourceOnly || r.start.kind !== 'root' || r.remainder !== '' || r.steps.length === 0 || r.steps.some((x) => typeof x !== 'string')) {
            other.push(r);
            continue;
          }
          let t = trie;
          for (const step of r.steps as readonly string[]) {
            let n = t.next.get(step);
            if (n === undefined) t.next.set(step, (n = { orders: [], next: new Map() }));
            t = n;
          }
          t.orders.push(r.order);
        }
        m = { all, trie, other };
        matchers.set(resourceType, m);
      }
      return m;
    },
    rulesFor,
  };
}
