/**
 * The FHIR anonymization engine: runs a configuration's ordered `fhirPathRules` over
 * resources with the reference tool's semantics (first rule to reach an element
 * wins; a rule on a complex element applies to every untouched element beneath it;
 * `nodesByType`/`nodesByName` stop at nested resources; contained resources and
 * Bundle entries are processed as resources; empty elements are pruned;
 * `meta.security` labels are added).
 *
 * Rules are resolved on a typed tree built in one pass per resource; fhirpath.js is
 * called only for path parts the compiled steps do not cover and for generalize.
 * `anonymizeJson` first tries the fast path (fast-path.ts): the natively parsed JSON is
 * walked once and edited in place, for resources whose rules all have a compiled shape
 * and a method among redact, dateShift, cryptoHash, encrypt and keep; anything else
 * (other rules or methods, nested resources other than contained ones, `_key`
 * sidecars, nulls, numbers whose text needs the lossless reader, invalid input) goes
 * through the typed tree on a fresh parse, with the same result.
 *
 * Beyond the reference: an injectable reference date for the age-over-89 rule;
 * `dateShiftScope: "patient"`; lossless JSON (decimals keep their lexical form).
 * @module
 */
import type { FhirConfig, FhirRule, FhirVersion } from '../config/fhir-types.ts';
import { getCore } from '../core/index.ts';
import type { CryptoCore } from '../core/types.ts';
import { ConfigError, InvalidInputError, ProcessingError, RuleCompileError } from '../errors.ts';
import { createCryptoHasher, type CryptoHasher } from '../methods/crypto-hash.ts';
import { dateShiftOffset, shiftDateValue } from '../methods/date-shift.ts';
import { encryptKeyBytes, encryptValue } from '../methods/encrypt.ts';
import { perturbNumber } from '../methods/perturb.ts';
import { isAgeOver89, keepAge, parseDateParts, redactDate, redactPostalCode } from '../methods/redact.ts';
import { substitutePrimitive } from '../methods/substitute.ts';
import { FastPath } from './fast-path.ts';
import { TextPath } from './text-path.ts';
import type { AsciiSource, Utf8Sink } from './utf8-sink.ts';
import { FhirPathBridge } from './fhirpath-bridge.ts';
import { LosslessNumber, needsLosslessParse, parseJsonLossless, stringifyJson } from './lossless-json.ts';
import { getFhirModel, type FhirModel } from './model.ts';
import { compilePlan, type CompiledRule, type FhirPlan, type PathTrie, type ResourceRules } from './plan.ts';
import { addSecurityLabels, type SecurityLabelCode } from './security-labels.ts';
import { pointerOf, toJson, TreeBuilder, type FNode, type ResourceInfo } from './tree.ts';

export { decryptValue } from '../methods/encrypt.ts';

/** Where the resources come from, for `dateShiftScope` `file` and `folder`. */
export interface FhirRunContext {
  /** Input file name (no directory), the prefix of the `file` scope. */
  readonly file?: string;
  /** Name of the root input folder, the prefix of the `folder` scope. */
  readonly folder?: string;
}

/** Options of {@link createFhirAnonymizer}. */
export interface FhirAnonymizerOptions {
  /** "Now" for the age-over-89 rule (default: the real current date). */
  readonly referenceDate?: Date;
  /** Release of the data when the configuration leaves `fhirVersion` empty (default `R4`). */
  readonly fhirVersion?: FhirVersion;
  /** Crypto core (default `getCore()`). */
  readonly core?: CryptoCore;
}

/** Counters of what an anonymizer has done since it was created. */
export interface FhirStats {
  /** Resources anonymized, nested ones included (a resource emptied by `processingErrors: skip` counts for nothing here). */
  resources: number;
  /** Elements changed per rule, by rule position. */
  byRule: number[];
  /** Elements changed per method name. */
  byMethod: Record<string, number>;
  /** Date-shift offset (days) → number of resources shifted with it (for the single-offset warning). */
  dateShiftOffsets: Map<number, number>;
}

/** An anonymizer bound to one configuration. */
export interface FhirAnonymizer {
  /** The configuration it runs. */
  readonly config: FhirConfig;
  /**
   * Anonymizes one resource (a Bundle with its entries, contained resources included).
   * The input is not modified.
   * @throws {@link InvalidInputError} for an unknown resource type or element.
   * @throws {@link ProcessingError} when a method fails and `processingErrors` is `raise`.
   */
  anonymizeResource(resource: Record<string, unknown>, context?: FhirRunContext): Record<string, unknown>;
  /**
   * Anonymizes one resource given as JSON text, losslessly (decimals and key order kept).
   * @throws `InputParseError` for malformed JSON (with the byte offset, never the text).
   * @throws {@link InvalidInputError} and {@link ProcessingError} as {@link FhirAnonymizer.anonymizeResource} does.
   */
  anonymizeJson(text: string, context?: FhirRunContext & { pretty?: boolean }): string;
  /**
   * Anonymizes one resource given as JSON text and appends its compact output (UTF-8) to a sink:
   * the NDJSON byte path. The output is the bytes of {@link FhirAnonymizer.anonymizeJson}.
   * @param ascii - The bytes the text was decoded from (used only when the text is ASCII: unchanged parts are then copied, not encoded).
   * @throws As {@link FhirAnonymizer.anonymizeJson}; nothing is written then.
   * @example One line's bytes in, bytes out
   * ```ts
   * const line = new TextEncoder().encode('{"resourceType":"Patient","id":"p1","birthDate":"1980-03-04"}');
   * const sink = new Utf8Sink(line.length * 2);
   * anonymizer.anonymizeJsonTo(new TextDecoder().decode(line), {}, sink, { bytes: line, start: 0, end: line.length });
   * sink.output(); // the anonymized line as UTF-8
   * ```
   */
  anonymizeJsonTo(text: string, context: FhirRunContext, sink: Utf8Sink, ascii?: AsciiSource): void;
  /** Counters since creation. */
  readonly stats: FhirStats;
}

const INTEGER_MIN: Readonly<Record<string, number | undefined>> = { positiveInt: 1, unsignedInt: 0 };
const NUMERIC = new Set(['integer', 'positiveInt', 'unsignedInt', 'decimal', 'integer64']);
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);
const PATIENT_REFS = ['subject', 'patient', 'beneficiary'];

function lexical(value: unknown): string {
  if (value instanceof LosslessNumber) return value.lexical;
  return String(value);
}

function patientIdOf(res: ResourceInfo): string | undefined {
  const node = res.node;
  if (res.type === 'Patient') {
    const id = node.children.find((c) => c.key === 'id');
    return typeof id?.value === 'string' && id.value !== '' ? id.value : undefined;
  }
  for (const name of PATIENT_REFS) {
    for (const c of node.children) {
      if (c.name !== name || c.type !== 'Reference') continue;
      const ref = c.children.find((x) => x.key === 'reference');
      const m = typeof ref?.value === 'string' ? /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(ref.value) : null;
      if (m !== null) return m[1];
    }
  }
  return undefined;
}

class Engine implements FhirAnonymizer {
  readonly config: FhirConfig;
  readonly stats: FhirStats;
  private readonly model: FhirModel;
  private readonly plan: FhirPlan;
  private readonly builder: TreeBuilder;
  private readonly bridge: FhirPathBridge;
  private readonly core: CryptoCore;
  private readonly now: Date | undefined;
  private hasher: CryptoHasher | undefined;
  private encryptKey: Uint8Array | undefined;
  private readonly offsets = new Map<string, number>();
  private readonly pending = new PendingHashes();
  private readonly fast: FastPath;
  private readonly textPath: TextPath;
  /** Set by runFast when the resource held numbers that need the lossless reader. */
  private declinedForNumbers = false;

  constructor(config: FhirConfig, options: FhirAnonymizerOptions) {
    this.config = config;
    this.model = getFhirModel(config.fhirVersion ?? options.fhirVersion ?? 'R4');
    this.plan = compilePlan(config);
    this.bridge = new FhirPathBridge(this.model);
    this.core = options.core ?? getCore();
    this.now = options.referenceDate;
    this.stats = { resources: 0, byRule: config.fhirPathRules.map(() => 0), byMethod: {}, dateShiftOffsets: new Map() };
    const types = new Set<string>();
    const names = new Set<string>();
    for (const r of this.plan.rules) {
      if (r.start.kind === 'type') types.add(r.start.value);
      else if (r.start.kind === 'name') names.add(r.start.value);
    }
    this.builder = new TreeBuilder(this.model, types, names);
    this.fast = new FastPath({
      model: this.model, plan: this.plan, parameters: config.parameters, core: this.core,
      now: () => this.now ?? new Date(),
      hasher: () => this.hash,
      encryptKey: () => this.encryptKey!,
      offsetFor: (prefix) => this.offsetFor(prefix),
    });
    this.textPath = new TextPath(this.fast);
    // Fail at creation, not on the first resource: keys and every FHIRPath text must be usable.
    for (const r of this.plan.rules) {
      if (r.rule.method === 'encrypt' && this.encryptKey === undefined) this.encryptKey = encryptKeyBytes(config.parameters.encryptKey);
      const texts: Array<[string, string]> = [];
      if (r.remainder !== '') texts.push([r.remainder, 'path']);
      for (const [i, [predicate, value]] of (r.rule.cases ?? []).entries()) texts.push([predicate, `cases/${i}`], [value, `cases/${i}`]);
      for (const [text, where] of texts) {
        try {
          this.bridge.compile('', text, true);
        } catch {
          throw new RuleCompileError('FHIRPath expression does not compile', { location: { pointer: `/fhirPathRules/${r.rule.index}/${where}` } });
        }
      }
    }
  }

  private get hash(): CryptoHasher {
    if (this.hasher === undefined) {
      this.hasher = createCryptoHasher(this.core, this.config.parameters.cryptoHashKey, [...this.model.resourceTypes]);
    }
    return this.hasher;
  }

  anonymizeJson(text: string, context: FhirRunContext & { pretty?: boolean } = {}): string {
    // Compact output: first the text walker, which edits the text itself when it is already compact JSON.
    if (context.pretty !== true && this.runText(text, context)) return this.textPath.text();
    return this.anonymizeParsed(text, context);
  }

  anonymizeJsonTo(text: string, context: FhirRunContext, sink: Utf8Sink, ascii?: AsciiSource): void {
    if (this.runText(text, context)) {
      // Byte ranges are copied only when the bytes are the text's own and it is ASCII.
      if (ascii !== undefined && ascii.end - ascii.start === text.length) this.textPath.writeAscii(ascii.bytes, ascii.start, sink);
      else sink.text(this.textPath.text());
      return;
    }
    sink.text(this.anonymizeParsed(text, context));
  }

  /** anonymizeJson after the text walker: the object walk on a native parse, else the general path. */
  private anonymizeParsed(text: string, context: FhirRunContext & { pretty?: boolean }): string {
    this.declinedForNumbers = false;
    if (text.charCodeAt(0) === 123 /* { */) {
      // Native parse, then the fast path; the lossless pre-scan only when the resource holds numbers.
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined; // the general path reports where
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const out = this.runFast(value as Record<string, unknown>, context, text);
        if (out !== undefined) return context.pretty === true ? JSON.stringify(out, null, 2) : JSON.stringify(out);
      }
    }
    let parsed = parseJsonLossless(text); // fresh: the fast path may have edited the first parse
    if (this.declinedForNumbers && parsed.lossless) {
      // Decimals such as 1.00: the fast path again, on the lossless reader's values.
      const out = this.runFast(parsed.value as Record<string, unknown>, context, undefined);
      if (out !== undefined) return stringifyJson(out, context.pretty === true, true);
      parsed = parseJsonLossless(text);
    }
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      throw new InvalidInputError('expected a JSON object holding a resource', { location: { pointer: '' } });
    }
    const out = this.anonymizeResource(parsed.value as Record<string, unknown>, context);
    return stringifyJson(out, context.pretty === true, parsed.lossless);
  }

  /**
   * The fast path (see fast-path.ts) on a natively parsed resource it may edit in place.
   * @param text - The resource's JSON text, checked for numbers that need the lossless reader
   *   (`undefined` when the resource comes from the lossless reader).
   * @returns The output, or `undefined` when the general path must run on a fresh parse.
   */
  private runFast(resource: Record<string, unknown>, context: FhirRunContext, text: string | undefined): Record<string, unknown> | undefined {
    this.declinedForNumbers = false;
    let result;
    try {
      result = this.fast.run(resource, this.fastScopePrefix(context));
    } catch (err) {
      // Declined (FAST_PATH_DECLINED), or anything unexpected: the general path then gives the
      // output or the proper error, with the reference's processingErrors handling.
      void err;
      return undefined;
    }
    // Numbers whose text JSON.parse changed (1.00): again with the lossless reader.
    if (text !== undefined && result.numbers > 0 && needsLosslessParse(text)) {
      this.declinedForNumbers = true;
      return undefined;
    }
    this.count(result.touched, result.offsets, result.resources, result.counts);
    return result.resource;
  }

  /**
   * The text walker (see text-path.ts) on a resource's JSON text; its output is then read from it.
   * @returns Whether it took the resource (`false`: the object walk or the general path must run).
   */
  private runText(text: string, context: FhirRunContext): boolean {
    let result;
    try {
      result = this.textPath.run(text, this.fastScopePrefix(context));
    } catch (err) {
      // Declined, or anything unexpected: the object walk or the general path gives the output or the proper error.
      void err;
      return false;
    }
    this.count(result.touched, result.offsets, result.resources, result.counts);
    return true;
  }

  /** The date-shift prefix of the `file` and `folder` scopes (`undefined`: the resource scope) for the fast paths. */
  private fastScopePrefix(context: FhirRunContext): string | undefined {
    const scope = this.config.parameters.dateShiftScope;
    return scope === 'file' ? context.file ?? '' : scope === 'folder' ? context.folder ?? '' : undefined;
  }

  /**
   * Adds a resource's changes to the counters.
   * @param applied - Rule positions of the changes (one per change, or each once with `times`).
   * @param times - Changes per rule position, when `applied` lists each position once.
   */
  private count(applied: readonly number[], offsetsUsed: readonly number[], resources: number, times?: readonly number[]): void {
    const { byRule, byMethod, dateShiftOffsets } = this.stats;
    const rulesByOrder = this.plan.rules;
    for (const order of applied) {
      const n = times === undefined ? 1 : times[order]!;
      byRule[order] = (byRule[order] ?? 0) + n;
      const method = rulesByOrder[order]!.rule.method;
      byMethod[method] = (byMethod[method] ?? 0) + n;
    }
    for (const offset of offsetsUsed) dateShiftOffsets.set(offset, (dateShiftOffsets.get(offset) ?? 0) + 1);
    this.stats.resources += resources;
  }

  anonymizeResource(resource: Record<string, unknown>, context: FhirRunContext = {}): Record<string, unknown> {
    try {
      return this.run(resource, context);
    } catch (err) {
      if (err instanceof ProcessingError && this.config.processingErrors === 'skip') {
        const type = typeof resource['resourceType'] === 'string' ? resource['resourceType'] : 'Resource';
        return addSecurityLabels({ resourceType: type }, new Set(['REDACTED']));
      }
      throw err;
    }
  }

  private run(resource: Record<string, unknown>, context: FhirRunContext): Record<string, unknown> {
    this.pending.clear(); // left over only if the previous resource failed
    const root = this.builder.build(resource);
    const resources = this.builder.resources;
    const patients = new Map<ResourceInfo, string | undefined>();
    if (this.config.parameters.dateShiftScope === 'patient') for (const r of resources) patients.set(r, patientIdOf(r));
    let byObject: Map<object, FNode> | undefined;
    const objects = (): Map<object, FNode> => {
      if (byObject === undefined) {
        byObject = new Map();
        const stack = [root];
        while (stack.length > 0) {
          const n = stack.pop()!;
          if (n.obj !== null) byObject.set(n.obj, n);
          for (const c of n.children) stack.push(c);
        }
      }
      return byObject;
    };
    // The root id as read by resource-scope date shifts: its original value for rules that come
    // before the rule processing the id, the processed value for later ones (the reference runs rule by rule).
    const rootId = root.children.find((c) => c.key === 'id');
    const originalRootId = rootId?.value === undefined ? '' : lexical(rootId.value);
    const rulesByOrder = this.plan.rules;
    const applied: number[] = []; // rule positions of the changes, counted once the resource succeeded
    const offsetsUsed: number[] = [];
    let counted = false;
    for (const res of resources) {
      const rules = this.plan.matchersFor(res.type);
      if (rules.all.length === 0) continue;
      const crossing = this.match(res, rules, objects);
      const actions = this.effective(res, crossing);
      // Methods act on distinct elements, so their order does not matter, except that date shifts
      // read the root id: process it first.
      if (res.node === root && rootId !== undefined && rootId.eff !== Number.POSITIVE_INFINITY) {
        const i = actions.indexOf(rootId);
        if (i > 0) {
          actions.splice(i, 1);
          actions.unshift(rootId);
        }
      }
      const dateOffset = (order: number): number => {
        let prefix: string | undefined = this.scopePrefix(res, context, patients);
        if (prefix === undefined) {
          const current = rootId?.value === undefined ? '' : lexical(rootId.value);
          prefix = res.node === root && rootId !== undefined && rootId.eff > order ? originalRootId : current;
        }
        const offset = this.offsetFor(prefix);
        if (!counted) {
          counted = true;
          offsetsUsed.push(offset);
        }
        return offset;
      };
      for (const node of actions) {
        const rule = rulesByOrder[node.eff]!;
        if (this.apply(node, rule, dateOffset)) applied.push(rule.order);
        if (node === rootId) this.pending.flush(this.hash); // date shifts may read it
      }
      this.pending.flush(this.hash);
      counted = false;
    }
    // Labels: a resource carries its own operations and those of every resource nested in it
    // (children come after their parent in pre-order, so a reverse pass folds them upwards);
    // contained resources get none of their own.
    for (let i = resources.length - 1; i > 0; i--) {
      const r = resources[i]!;
      if (r.parent !== null) for (const op of r.ops) r.parent.ops.add(op);
    }
    const out = toJson(root, (node, json) => {
      const res = node.resource!;
      if (res.contained) return json;
      return addSecurityLabels(json, res.ops);
    })!;
    this.count(applied, offsetsUsed, resources.length);
    return out;
  }

  /**
   * Marks the elements each rule reaches directly (`direct` = lowest rule position).
   * @returns whether a rule reached into a nested resource (`Bundle.entry.resource.name`).
   */
  private match(res: ResourceInfo, rules: ResourceRules, objects: () => Map<object, FNode>): boolean {
    let crossing = rules.trie.next.size > 0 ? matchTrie(res.node, res, rules.trie) : false;
    for (const rule of rules.other) {
      let nodes: FNode[];
      if (rule.resourceOnly) {
        nodes = [res.node];
      } else {
        if (rule.start.kind === 'root') nodes = [res.node];
        else {
          nodes = (rule.start.kind === 'type' ? res.byType : res.byName).get(rule.start.value) ?? [];
          // The custom functions return their input too: the resource itself when its type is asked for.
          if (rule.start.kind === 'type' && rule.start.value === res.type) nodes = [res.node, ...nodes];
        }
        for (const step of rule.steps) {
          const next: FNode[] = [];
          if (typeof step === 'string') {
            for (const n of nodes) for (const c of n.children) if (c.name === step) next.push(c);
          } else {
            for (const n of nodes) collectDescendants(n, step.kind, step.value, next);
          }
          nodes = next;
          if (nodes.length === 0) break;
        }
        if (rule.remainder !== '' && nodes.length > 0) {
          const map = objects();
          const selected: FNode[] = [];
          for (const n of nodes) for (const s of this.bridge.select(n, rule.remainder, map)) selected.push(s);
          nodes = selected;
        }
      }
      for (const n of nodes) {
        if (n.owner !== res) crossing = true;
        if (rule.order < n.direct) n.direct = rule.order;
      }
    }
    return crossing;
  }

  /**
   * Sets every element's effective rule (the first rule to reach it) and returns the
   * elements a method acts on, in document order. With `crossing`, the walk also enters
   * nested resources, where only elements this resource's rules reached directly are
   * processed (a rule's recursion never enters a nested resource); they are then marked
   * visited (`direct` = -1) so that the nested resource's own rules skip them, since
   * the reference runs all rules of a resource before those of the resources inside it.
   */
  private effective(res: ResourceInfo, crossing: boolean): FNode[] {
    const actions: FNode[] = [];
    const rules = this.plan.rules;
    const INF = Number.POSITIVE_INFINITY;
    const visit = (n: FNode, parentEff: number, nested: boolean): void => {
      const eff = n.direct < parentEff ? n.direct : parentEff;
      n.eff = eff;
      if (eff >= 0 && eff !== INF) {
        if (nested) n.direct = VISITED;
        const rule = rules[eff]!;
        const top = eff !== parentEff;
        const method = rule.rule.method;
        if (method === 'substitute' || method === 'generalize') {
          if (top) actions.push(n);
        } else if (method === 'perturb') {
          if (n.primitive && NUMERIC.has(n.type) && n.value !== undefined) actions.push(n);
        } else if (method !== 'keep') {
          if (n.primitive && n.value !== undefined && n.value !== '') actions.push(n);
        }
      }
      for (const c of n.children) {
        if (c.resource === null) visit(c, eff, nested);
        else if (crossing) visit(c, INF, true);
      }
    };
    visit(res.node, INF, false);
    return actions;
  }

  /** The configured prefix of the date-shift scope, or `undefined` for the resource scope (root id). */
  private scopePrefix(res: ResourceInfo, context: FhirRunContext, patients: Map<ResourceInfo, string | undefined>): string | undefined {
    const scope = this.config.parameters.dateShiftScope;
    if (scope === 'file') return context.file ?? '';
    if (scope === 'folder') return context.folder ?? '';
    if (scope === 'patient') return patients.get(res);
    return undefined;
  }

  private offsetFor(prefix: string): number {
    const p = this.config.parameters;
    if (p.dateShiftFixedOffsetInDays !== undefined && p.dateShiftFixedOffsetInDays !== null) return p.dateShiftFixedOffsetInDays;
    let offset = this.offsets.get(prefix);
    if (offset === undefined) {
      offset = dateShiftOffset(prefix, p.dateShiftKey);
      if (this.offsets.size >= 2048) this.offsets.clear();
      this.offsets.set(prefix, offset);
    }
    return offset;
  }

  private record(node: FNode, code: SecurityLabelCode): void {
    node.owner.ops.add(code);
  }

  private redactValue(node: FNode): void {
    const p = this.config.parameters;
    const value = lexical(node.value);
    if (DATE_TYPES.has(node.type)) {
      node.value = redactDate(value, p.enablePartialDatesForRedact, this.now ?? new Date());
      this.record(node, 'REDACTED');
    } else if (node.type === 'decimal' && node.name === 'value' && node.parent?.type === 'Age') {
      if (!keepAge(value, p.enablePartialAgesForRedact)) node.value = undefined;
      this.record(node, 'REDACTED');
    } else if (node.name === 'postalCode' && p.enablePartialZipCodesForRedact) {
      node.value = redactPostalCode(value, p.restrictedZipCodeTabulationAreas);
      this.record(node, 'ABSTRED');
    } else {
      node.value = undefined;
      this.record(node, 'REDACTED');
    }
  }

  /** @returns whether the element was changed (for the counters). */
  private apply(node: FNode, rule: CompiledRule, dateOffset: (order: number) => number): boolean {
    const r: FhirRule = rule.rule;
    switch (r.method) {
      case 'redact':
        this.redactValue(node);
        return true;
      case 'dateShift': {
        if (!DATE_TYPES.has(node.type) || typeof node.value !== 'string') return false;
        const parts = parseDateParts(node.value);
        const shifted = parts === undefined || parts.day === 0 || isAgeOver89(parts, this.now ?? new Date())
          ? undefined
          : shiftDateValue(node.value, dateOffset(rule.order));
        if (shifted === undefined) {
          node.value = redactDate(node.value, this.config.parameters.enablePartialDatesForRedact, this.now ?? new Date());
          this.record(node, 'REDACTED');
        } else {
          // Instants are written as .NET DateTimeOffset values by the reference: UTC as +00:00.
          node.value = node.type === 'instant' && shifted.endsWith('Z') ? shifted.slice(0, -1) + '+00:00' : shifted;
          this.record(node, 'PERTURBED');
        }
        return true;
      }
      case 'cryptoHash': {
        // Collected and hashed in one batch per resource (see run), except when a date shift needs the value first.
        const value = lexical(node.value);
        if (node.name === 'reference' && node.parent?.type === 'Reference') {
          const parts = this.hash.referenceParts(value);
          this.pending.push(node, parts.prefix, parts.id, parts.suffix);
        } else {
          this.pending.push(node, '', value, '');
        }
        this.record(node, 'CRYTOHASH');
        return true;
      }
      case 'encrypt':
        node.value = encryptValue(this.core, this.encryptKey!, lexical(node.value));
        this.record(node, 'MASKED');
        return true;
      case 'perturb': {
        const n = Number(lexical(node.value));
        if (!Number.isFinite(n)) throw new ProcessingError('perturb needs a number', { location: { pointer: pointerOf(node) } });
        const integer = node.type !== 'decimal';
        const min = INTEGER_MIN[node.type];
        node.value = perturbNumber(n, {
          span: r.span ?? 0, rangeType: r.rangeType ?? 'fixed', roundTo: r.roundTo ?? 2, integer,
          ...(min !== undefined ? { min } : {}),
        });
        this.record(node, 'PERTURBED');
        return true;
      }
      case 'substitute':
        return this.substitute(node, rule);
      case 'generalize':
        return this.generalize(node, rule);
      default:
        return false;
    }
  }

  private substitute(node: FNode, rule: CompiledRule): boolean {
    const replaceWith = rule.rule.replaceWith;
    if (node.primitive) {
      if (node.value === undefined) return false;
      const v = substitutePrimitive(replaceWith);
      node.value = v === null ? undefined : v;
      this.record(node, 'SUBSTITUTED');
      return true;
    }
    if (node.resource !== null) return false;
    const replacement = replaceWith === null || replaceWith === undefined ? {} : replaceWith;
    if (typeof replacement !== 'object' || Array.isArray(replacement)) {
      throw new RuleCompileError('substitute replaceWith must be an object for a complex element', {
        location: { pointer: `/fhirPathRules/${rule.rule.index}/replaceWith` },
      });
    }
    let fresh: FNode[];
    try {
      fresh = this.builder.buildReplacementChildren(node, replacement as Record<string, unknown>);
    } catch (err) {
      if (err instanceof InvalidInputError) {
        throw new RuleCompileError('substitute replaceWith does not fit the element type', {
          location: { pointer: `/fhirPathRules/${rule.rule.index}/replaceWith` },
        });
      }
      throw err;
    }
    const order = rule.order;
    const processedEarlier = (n: FNode): boolean => {
      if (n.eff < order) return true;
      return n.children.some(processedEarlier);
    };
    const freshByKey = new Map<string, FNode[]>();
    for (const f of fresh) {
      const list = freshByKey.get(f.key);
      if (list === undefined) freshByKey.set(f.key, [f]);
      else list.push(f);
    }
    const result: FNode[] = [];
    const seen = new Set<string>();
    const existingByKey = new Map<string, FNode[]>();
    for (const c of node.children) {
      const list = existingByKey.get(c.key);
      if (list === undefined) existingByKey.set(c.key, [c]);
      else list.push(c);
    }
    const merge = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      const existing = existingByKey.get(key) ?? [];
      const repl = freshByKey.get(key) ?? [];
      const n = Math.max(existing.length, repl.length);
      for (let i = 0; i < n; i++) {
        const e = existing[i];
        if (e !== undefined && processedEarlier(e)) result.push(e);
        else if (i < repl.length) result.push(repl[i]!);
      }
    };
    for (const c of node.children) merge(c.key);
    for (const f of fresh) merge(f.key);
    for (const f of fresh) markDone(f, order);
    node.children = result;
    this.record(node, 'SUBSTITUTED');
    return true;
  }

  private generalize(node: FNode, rule: CompiledRule): boolean {
    if (!node.primitive) {
      throw new ConfigError('generalize applies only to primitive elements', [{
        code: 'ERR_CONFIG_INVALID', pointer: `/fhirPathRules/${rule.rule.index}/path`, message: 'generalize applies only to primitive elements',
      }], { location: { pointer: pointerOf(node) } });
    }
    if (node.value === undefined || node.value === '') return false;
    const outcome = this.bridge.generalize(node, rule.rule.cases ?? [], rule.rule.otherValues ?? 'redact');
    if (outcome.kind === 'value') node.value = outcome.value === undefined || outcome.value === null ? undefined : outcome.value;
    else if (outcome.kind === 'redact') node.value = undefined;
    this.record(node, 'GENERALIZED');
    return true;
  }
}

/** `nodesByType`/`nodesByName` on one input: the input and its descendants, not entering nested resources. */
function collectDescendants(n: FNode, kind: 'type' | 'name', value: string, out: FNode[]): void {
  if ((kind === 'type' ? n.type : n.name) === value) out.push(n);
  for (const c of n.children) if (c.resource === null) collectDescendants(c, kind, value, out);
}

/** cryptoHash work of one resource, hashed in one call into the core. */
class PendingHashes {
  private nodes: FNode[] = [];
  private prefixes: string[] = [];
  private inputs: string[] = [];
  private suffixes: string[] = [];

  push(node: FNode, prefix: string, input: string, suffix: string): void {
    this.nodes.push(node);
    this.prefixes.push(prefix);
    this.inputs.push(input);
    this.suffixes.push(suffix);
  }

  clear(): void {
    this.nodes = [];
    this.prefixes = [];
    this.inputs = [];
    this.suffixes = [];
  }

  flush(hasher: CryptoHasher): void {
    if (this.nodes.length === 0) return;
    const digests = hasher.hashBatch(this.inputs);
    for (let i = 0; i < this.nodes.length; i++) this.nodes[i]!.value = this.prefixes[i]! + digests[i]! + this.suffixes[i]!;
    this.clear();
  }
}

/** `direct` of an element already processed by a rule of an enclosing resource. */
const VISITED = -1;

/**
 * Marks the elements reached by plain element paths (one walk for all of them).
 * @returns whether a path reached into a nested resource.
 */
function matchTrie(node: FNode, res: ResourceInfo, trie: PathTrie): boolean {
  let crossing = false;
  for (const c of node.children) {
    const t = trie.next.get(c.name);
    if (t === undefined) continue;
    if (t.orders.length > 0 && c.owner !== res) crossing = true;
    for (const order of t.orders) if (order < c.direct) c.direct = order;
    if (t.next.size > 0 && matchTrie(c, res, t)) crossing = true;
  }
  return crossing;
}

function markDone(n: FNode, order: number): void {
  n.eff = order;
  n.direct = order;
  for (const c of n.children) markDone(c, order);
}

/**
 * Creates an anonymizer for a normalized FHIR configuration.
 *
 * `dateShiftScope: "patient"` (beyond the reference) gives every resource of one
 * patient the same offset, across resources and files: the patient is the resource's
 * own id for a Patient, else the first of its `subject`, `patient` or `beneficiary`
 * references that points at `Patient/<id>` (original values, before hashing).
 * Resources with no such patient fall back to the resource scope.
 *
 * @param config - The configuration (from the configuration loader).
 * @param options - Reference date, release of version-less configurations, crypto core.
 * @returns The anonymizer.
 * @throws {@link RuleCompileError} for a rule path the engine cannot run.
 * @throws `KeySizeError` when an encrypt rule is present and the key is not 16/24/32 bytes.
 * @example Shift a Patient's dates, reproducibly
 * ```ts
 * import { createFhirAnonymizer } from 'health-anonymizer/fhir';
 * import { loadFhirConfig } from 'health-anonymizer/config';
 * const config = loadFhirConfig({
 *   fhirVersion: 'R4',
 *   fhirPathRules: [{ path: "nodesByType('date')", method: 'dateShift' }],
 *   parameters: { dateShiftKey: 'a-secret-key', enablePartialDatesForRedact: true },
 * });
 * const anonymizer = createFhirAnonymizer(config, { referenceDate: new Date('2026-01-01') });
 * anonymizer.anonymizeJson('{"resourceType":"Patient","birthDate":"1980-03-04"}');
 * // '{"resourceType":"Patient","meta":{"security":[{"code":"PERTURBED",…}]},"birthDate":"1980-02-10"}' (at most 50 days away, the same for the same key)
 * ```
 */
export function createFhirAnonymizer(config: FhirConfig, options: FhirAnonymizerOptions = {}): FhirAnonymizer {
  return new Engine(config, options);
}
