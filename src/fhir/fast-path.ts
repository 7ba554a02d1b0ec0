/**
 * The fast path of the FHIR engine: for resources whose applicable rules all have
 * a compiled shape (plain element paths, `nodesByType('T')[.a.b]`,
 * `nodesByName('n')[.a.b]`, resource-only rules) and a method among redact,
 * dateShift, cryptoHash, encrypt and keep, the parsed JSON is walked once with the
 * model's type tables and edited in place, without building a typed tree.
 *
 * The effective rule of an element is carried down the walk: the lowest rule
 * position among the rules that reach the element or any of its ancestors. Rule
 * paths are merged into tries (one from the resource, one per `nodesByType`
 * type, one per `nodesByName` name); the walk carries the trie nodes still open
 * at each element. cryptoHash inputs are hashed in one core call per resource.
 *
 * Anything the general path would treat specially — a nested resource, a `_key`
 * sidecar, a `null`, a single value where the model repeats, an unknown element or
 * a value of the wrong JSON kind, a resource type with other rules — makes the walk
 * give up ({@link FAST_PATH_DECLINED}); the caller then runs the general path on a
 * fresh parse, which yields the same output or the proper error.
 * @module
 */
import type { FhirParameters } from '../config/fhir-types.ts';
import type { CryptoCore } from '../core/types.ts';
import type { CryptoHasher } from '../methods/crypto-hash.ts';
import { shiftDateValue } from '../methods/date-shift.ts';
import { encryptValue } from '../methods/encrypt.ts';
import { isAgeOver89, keepAge, parseDateParts, redactDate, redactPostalCode } from '../methods/redact.ts';
import { LosslessNumber } from './lossless-json.ts';
import { jsonKindOf, type FhirModel } from './model.ts';
import type { CompiledRule, FhirPlan } from './plan.ts';
import { addSecurityLabels, SECURITY_LABELS, type SecurityLabelCode } from './security-labels.ts';

/** Thrown (as a value, never escaping the engine) when the fast path does not take a resource. */
export const FAST_PATH_DECLINED: unique symbol = Symbol('fast path declined');

const INF = Number.POSITIVE_INFINITY;
const FAST_METHODS = new Set(['redact', 'dateShift', 'cryptoHash', 'encrypt', 'keep']);
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

/** Merged rule paths: the lowest rule position ending at this step, and the next steps by element name. */
export interface Trie {
  min: number;
  next: Map<string, Trie> | null;
}

/** The rules of one resource type, prepared for the walk. */
export interface TypePlan {
  /** Lowest rule reaching the resource element itself. */
  readonly rootDirect: number;
  /** Tries open at the resource element. */
  readonly rootCursors: readonly Trie[];
  readonly typeTries: ReadonlyMap<string, Trie>;
  readonly nameTries: ReadonlyMap<string, Trie>;
  /** Dispatch tables by base, filled as keys are met. */
  readonly tables: Map<string, Table>;
}

/** What the walk knows about one JSON key under one base, for one resource type; `null` for keys the fast path leaves to the general path. */
export type Slot = {
  /** The JSON key. */
  readonly key: string;
  /** The key as it starts a member in compact JSON: `"key":` (the text walker's quick check). */
  readonly quoted: string;
  /** The member that followed this one last time in an object of this table (the text walker's guess). */
  follow: NonNullable<Slot> | null;
  readonly name: string;
  readonly type: string;
  readonly primitive: boolean;
  readonly repeating: boolean;
  /** The JSON kind of a primitive's values. */
  readonly json: 'number' | 'boolean' | 'string';
  readonly childBase: string;
  /** The table of the element's own members (complex elements), once met. */
  child: Table | null;
  /** Lowest rule reaching the element through `nodesByType`/`nodesByName` alone. */
  readonly min: number;
  /** Tries opened at the element by `nodesByType`/`nodesByName` rules with further steps. */
  readonly open: Trie[] | null;
  /** How redact/cryptoHash/dateShift treat the value. */
  readonly kind: number;
} | null;

/** The member slots of one base. */
export interface Table {
  readonly base: string;
  readonly slots: Map<string, Slot>;
  /** Known slots by a hash of their key's characters (the text walker's lookup; a hit is checked against the key). */
  readonly byHash: Map<number, NonNullable<Slot>>;
  /** The first member of the last object of this table (the text walker's guess). */
  first: NonNullable<Slot> | null;
}

const K_OTHER = 0;
const K_DATE = 1;
const K_AGE = 2;
const K_POSTAL = 3;
const K_REFERENCE = 4;

/** What the fast path needs from the engine. */
export interface FastPathHost {
  readonly model: FhirModel;
  readonly plan: FhirPlan;
  readonly parameters: FhirParameters;
  readonly core: CryptoCore;
  /** The reference date of the age rule (a fresh "now" when not injected). */
  now(): Date;
  hasher(): CryptoHasher;
  encryptKey(): Uint8Array;
  /** Date-shift offset (days) for a scope prefix. */
  offsetFor(prefix: string): number;
}

/** Result of {@link FastPath.run}: the output resource and what was done, for the engine's counters. */
export interface FastPathResult {
  readonly resource: Record<string, unknown>;
  /** Rule positions that changed elements, each once (valid until the next run). */
  readonly touched: readonly number[];
  /** Changes per rule position (valid until the next run). */
  readonly counts: readonly number[];
  /** Date-shift offset used per resource (the first one of each resource that shifted a date). */
  readonly offsets: readonly number[];
  /** Resources processed (the resource and its contained resources). */
  readonly resources: number;
  /** Number values met, {@link LosslessNumber}s included (their text may need the lossless reader). */
  readonly numbers: number;
}

const NO_CURSORS: readonly Trie[] = [];
const NO_OBJECT: Record<string, unknown> = Object.freeze({});

function insert(root: Trie, steps: readonly string[], order: number): void {
  let t = root;
  for (const step of steps) {
    if (t.next === null) t.next = new Map();
    let n = t.next.get(step);
    if (n === undefined) t.next.set(step, (n = { min: INF, next: null }));
    t = n;
  }
  if (order < t.min) t.min = order;
}

/** Whether `resourceType` is the first member (elsewhere, the general path writes it first). */
function startsWithResourceType(obj: Record<string, unknown>): boolean {
  for (const key in obj) return key === 'resourceType';
  return false;
}

function decline(): never {
  throw FAST_PATH_DECLINED;
}

/**
 * Walks parsed resources in place for configurations (or resource types) of the common shapes.
 * @example Running one resource
 * ```ts
 * const fast = new FastPath(host);
 * const result = fast.run(JSON.parse(line), '', ''); // throws FAST_PATH_DECLINED when the general path must run
 * ```
 */
export class FastPath {
  private readonly host: FastPathHost;
  private readonly rules: readonly CompiledRule[];
  private readonly types = new Map<string, TypePlan | null>();
  // State of the resource being walked.
  /** @internal */
  tp!: TypePlan;
  /** @internal */
  ops = 0;
  /** @internal */
  readonly counts: number[];
  /** @internal */
  readonly touched: number[] = [];
  private hashTargets: Array<Record<string, unknown> | unknown[]> = [];
  private hashKeys: Array<string | number> = [];
  private hashPrefixes: string[] = [];
  private hashInputs: string[] = [];
  private hashSuffixes: string[] = [];
  /** @internal */
  offsets: number[] = [];
  private counted = false;
  private nested = false;
  /** @internal */
  resources = 0;
  private numbers = 0;
  /** @internal */
  idEff: number = INF;
  /** Set by {@link FastPath.advance}. @internal */
  reach: number = INF;
  private originalId = '';
  /** The root id as date shifts of later rules read it (processed once its rule ran). @internal */
  currentId = '';
  private readonly saved: Array<TypePlan | boolean> = [];
  private rootObj: Record<string, unknown> = NO_OBJECT;
  private scopePrefix: string | undefined;
  private hasher: CryptoHasher | undefined;
  private readonly hashReferences: Array<string | null> = [];
  /** Hashed literal references by original value. */
  private readonly references = new Map<string, string>();
  private lastPrefix: string | undefined;
  private lastOffset = 0;
  private now: Date = new Date(0);

  /** @param host - The engine's configuration, model, plan and method state. */
  constructor(host: FastPathHost) {
    this.host = host;
    this.rules = host.plan.rules;
    this.counts = this.rules.map(() => 0);
  }

  /** The rules of a resource type; declines an unknown type or one with rules of other shapes. */
  private planOf(type: string): TypePlan {
    if (!this.host.model.resourceTypes.has(type)) decline();
    const tp = this.typePlan(type);
    if (tp === null) decline();
    return tp;
  }

  private typePlan(type: string): TypePlan | null {
    let tp = this.types.get(type);
    if (tp !== undefined) return tp;
    tp = null;
    const rules = this.host.plan.rulesFor(type);
    const eligible = this.host.parameters.dateShiftScope !== 'patient' && rules.every((r) =>
      FAST_METHODS.has(r.rule.method) && !r.whole && r.remainder === '' && r.steps.every((s) => typeof s === 'string'));
    if (eligible) {
      const rootTrie: Trie = { min: INF, next: null };
      const typeTries = new Map<string, Trie>();
      const nameTries = new Map<string, Trie>();
      let rootDirect = INF;
      for (const r of rules) {
        const steps = r.steps as readonly string[];
        if (r.resourceOnly) {
          if (r.order < rootDirect) rootDirect = r.order;
          continue;
        }
        let trie: Trie;
        if (r.start.kind === 'root') {
          if (steps.length === 0) {
            if (r.order < rootDirect) rootDirect = r.order;
            continue;
          }
          trie = rootTrie;
        } else {
          const map = r.start.kind === 'type' ? typeTries : nameTries;
          let t = map.get(r.start.value);
          if (t === undefined) map.set(r.start.value, (t = { min: INF, next: null }));
          trie = t;
        }
        insert(trie, steps, r.order);
      }
      const cursors: Trie[] = [];
      if (rootTrie.next !== null) cursors.push(rootTrie);
      // nodesByType returns its input too: the resource itself when its type is asked for.
      const own = typeTries.get(type);
      if (own !== undefined) {
        if (own.min < rootDirect) rootDirect = own.min;
        if (own.next !== null) cursors.push(own);
      }
      tp = { rootDirect, rootCursors: cursors, typeTries, nameTries, tables: new Map() };
    }
    this.types.set(type, tp);
    return tp;
  }

  /**
   * Anonymizes a parsed resource in place.
   * @param obj - The parsed resource (edited in place; unusable after a decline).
   * @param scopePrefix - The date-shift prefix of the `file`/`folder` scopes, or `undefined` for the resource scope.
   * @returns The output resource and counters.
   * @throws {@link FAST_PATH_DECLINED} when the general path must run (on a fresh copy of the input).
   */
  run(obj: Record<string, unknown>, scopePrefix: string | undefined): FastPathResult {
    const type = obj['resourceType'];
    if (typeof type !== 'string' || !startsWithResourceType(obj)) decline();
    const id = obj['id'];
    const table = this.begin(type, scopePrefix);
    if (id !== undefined) this.setRootId(String(id));
    this.rootObj = obj;
    this.numbers = 0;
    try {
      return this.walkRoot(obj, table, id);
    } finally {
      this.rootObj = NO_OBJECT; // the input is not held after the run
    }
  }

  private walkRoot(obj: Record<string, unknown>, table: Table, id: unknown): FastPathResult {
    const tp = this.tp;
    const eff = tp.rootDirect;
    // The root id first: resource-scope date shifts read its processed value.
    if (id !== undefined) {
      this.member(obj, 'id', id, table, eff, tp.rootCursors);
      this.flushHashes();
      const processed = obj['id'];
      this.currentId = processed === undefined ? '' : String(processed);
    }
    for (const key in obj) {
      if (key === 'resourceType' || key === 'id') continue;
      this.member(obj, key, obj[key], table, eff, tp.rootCursors);
    }
    this.flushHashes();
    let out = obj;
    if (this.ops !== 0) out = this.label(obj);
    return { resource: out, touched: this.touched, counts: this.counts, offsets: this.offsets, resources: this.resources, numbers: this.numbers };
  }

  /**
   * Starts a resource of the given type: its rules, fresh counters, the reference date, no root id
   * yet (see {@link FastPath.setRootId}).
   * @returns The dispatch table of the resource's members.
   * @throws {@link FAST_PATH_DECLINED} for an unknown type or one with rules of other shapes.
   * @internal
   */
  begin(type: string, scopePrefix: string | undefined): Table {
    this.tp = this.planOf(type);
    this.ops = 0;
    for (const o of this.touched) this.counts[o] = 0;
    this.touched.length = 0;
    this.offsets = [];
    this.counted = false;
    this.nested = false;
    this.resources = 1;
    this.saved.length = 0;
    this.scopePrefix = scopePrefix;
    this.now = this.host.now();
    this.clearHashes();
    this.setRootId('');
    this.idEff = INF;
    return this.tableOf(type);
  }

  /** The root id as the input has it, read by date shifts of rules before the id's own rule. @internal */
  setRootId(original: string): void {
    this.originalId = original;
    this.currentId = original;
  }

  /**
   * Switches to a contained resource: its own rules; labels and counters stay the root's.
   * @returns The dispatch table of the contained resource's members.
   * @throws {@link FAST_PATH_DECLINED} for an unknown type or one with rules of other shapes.
   * @internal
   */
  enterContained(type: string): Table {
    const tp = this.planOf(type);
    this.saved.push(this.tp, this.counted, this.nested);
    this.tp = tp;
    this.counted = false;
    this.nested = true;
    this.resources++;
    return this.tableOf(type);
  }

  /** Back from a contained resource to the resource holding it. @internal */
  leaveContained(): void {
    this.nested = this.saved.pop() as boolean;
    this.counted = this.saved.pop() as boolean;
    this.tp = this.saved.pop() as TypePlan;
  }

  /** Cryptohash values waiting for the batch. @internal */
  pendingHashes(): number {
    return this.hashInputs.length;
  }

  /**
   * Adds the security labels of the recorded operations, as addSecurityLabels does; an
   * existing `meta` is completed in place, and the codings are shared (the output is
   * serialized at once and never handed out).
   */
  private label(obj: Record<string, unknown>): Record<string, unknown> {
    const codings = LABELS_BY_OPS[this.ops]!;
    const meta = obj['meta'];
    if (meta === undefined) {
      // A new meta right after id, pruned members skipped (where the general path puts it).
      const out: Record<string, unknown> = {};
      const fresh = { security: codings.slice() };
      let placed = false;
      for (const key in obj) {
        const v = obj[key];
        if (v === undefined) continue;
        if (!placed && key !== 'resourceType' && key !== 'id') {
          out['meta'] = fresh;
          placed = true;
        }
        out[key] = v;
      }
      if (!placed) out['meta'] = fresh;
      return out;
    }
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
      return addSecurityLabels(obj, new Set(codings.map((c) => c['code']!)));
    }
    const m = meta as Record<string, unknown>;
    const existing = m['security'];
    if (!Array.isArray(existing)) {
      delete m['security']; // emptied by a rule: the labels come last, as the general path writes them
      m['security'] = codings.slice();
      return obj;
    }
    for (const c of codings) {
      const present = existing.some((e: unknown) => e !== null && typeof e === 'object' && (e as Record<string, unknown>)['code'] === c.code);
      if (!present) existing.push(c);
    }
    return obj;
  }

  private rememberReference(reference: string, out: string): void {
    if (this.references.size >= 2048) this.references.clear();
    this.references.set(reference, out);
  }

  private clearHashes(): void {
    this.hashTargets.length = 0;
    this.hashKeys.length = 0;
    this.hashPrefixes.length = 0;
    this.hashInputs.length = 0;
    this.hashSuffixes.length = 0;
    this.hashReferences.length = 0;
  }

  /** @internal */
  flushHashes(): void {
    const n = this.hashInputs.length;
    if (n === 0) return;
    const digests = this.hasher!.hashBatch(this.hashInputs);
    for (let i = 0; i < n; i++) {
      const out = this.hashPrefixes[i]! + digests[i]! + this.hashSuffixes[i]!;
      (this.hashTargets[i] as Record<string | number, unknown>)[this.hashKeys[i]!] = out;
      const reference = this.hashReferences[i];
      if (reference !== null && reference !== undefined) this.rememberReference(reference, out);
    }
    this.clearHashes();
  }

  /** The dispatch table of an object's members under a base, for the current resource type. */
  /** @internal */
  tableOf(base: string): Table {
    let t = this.tp.tables.get(base);
    if (t === undefined) this.tp.tables.set(base, (t = { base, slots: new Map(), byHash: new Map(), first: null }));
    return t;
  }

  /** Resolves a member key of a table: its element, the static rule reach of its type and name. */
  /** @internal */
  slotOf(table: Table, key: string): Slot {
    let slot = table.slots.get(key);
    if (slot !== undefined) return slot;
    const info = key.charCodeAt(0) === 95 ? undefined : this.host.model.child(table.base, key); // "_key" sidecars: general path
    if (info === undefined) {
      slot = null;
    } else {
      const tt = this.tp.typeTries.get(info.type);
      const nt = this.tp.nameTries.get(info.name);
      let min = INF;
      const open: Trie[] = [];
      for (const t of [tt, nt]) {
        if (t === undefined) continue;
        if (t.min < min) min = t.min;
        if (t.next !== null) open.push(t);
      }
      const base = table.base;
      slot = {
        key, quoted: `"${key}":`, follow: null, name: info.name, type: info.type, primitive: info.primitive, repeating: info.repeating, json: jsonKindOf(info.type), childBase: info.childBase, child: null,
        min, open: open.length > 0 ? open : null,
        kind: info.primitive
          ? DATE_TYPES.has(info.type) ? K_DATE
          : info.type === 'decimal' && info.name === 'value' && base === 'Age' ? K_AGE
          : info.name === 'postalCode' ? K_POSTAL
          : info.name === 'reference' && base === 'Reference' ? K_REFERENCE
          : K_OTHER
          : K_OTHER,
      };
    }
    table.slots.set(key, slot);
    return slot;
  }

  /**
   * Processes one member of an object.
   * @returns whether it is still present (not pruned).
   */
  private member(obj: Record<string, unknown>, key: string, v: unknown, table: Table, eff: number, cursors: readonly Trie[]): boolean {
    if (v === null || v === undefined) decline();
    const slot = table.slots.get(key) ?? this.slotOf(table, key);
    if (slot === null) decline();
    const next = this.advance(slot, cursors);
    const direct = this.reach;
    if (slot.type === 'Resource') {
      // Contained resources are processed as resources (their own rules, labels folded into
      // this resource's); other nested resources, and rule paths reaching into them, go the general way.
      if (slot.name !== 'contained' || direct !== INF || next !== null || !Array.isArray(v) || v.length === 0) decline();
      for (const x of v) this.containedResource(x);
      return true;
    }
    if (!slot.repeating && Array.isArray(v)) decline(); // a single-valued element as an array: the general path
    const childEff = direct < eff ? direct : eff;
    if (obj === this.rootObj && key === 'id') this.idEff = childEff;
    if (slot.primitive) {
      if (Array.isArray(v)) {
        let w = 0;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          const t = x instanceof LosslessNumber ? 'number' : typeof x;
          if (t !== slot.json) decline();
          if (t === 'number') this.numbers++;
          if (childEff === INF) {
            w++;
            continue;
          }
          const r = this.primitive(x, childEff, slot, v, w);
          if (r !== REMOVED) v[w++] = r;
        }
        if (w === 0) {
          obj[key] = undefined;
          return false;
        }
        if (w !== v.length) v.length = w;
        return true;
      }
      if (slot.repeating) decline();
      const t = v instanceof LosslessNumber ? 'number' : typeof v;
      // A value of the wrong JSON kind goes to the general path, which rejects it with its pointer.
      if (t !== slot.json) decline();
      if (t === 'number') this.numbers++;
      if (childEff === INF) return true;
      const r = this.primitive(v, childEff, slot, obj, key);
      if (r === REMOVED) {
        obj[key] = undefined;
        return false;
      }
      if (r !== v) obj[key] = r;
      return true;
    }
    const childCursors = next ?? NO_CURSORS;
    const child = slot.child ?? (slot.child = this.tableOf(slot.childBase));
    if (Array.isArray(v)) {
      let w = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || typeof x !== 'object' || Array.isArray(x)) decline();
        if (this.complex(x as Record<string, unknown>, child, childEff, childCursors)) v[w++] = x;
      }
      if (w === 0) {
        obj[key] = undefined;
        return false;
      }
      if (w !== v.length) v.length = w;
      return true;
    }
    if (slot.repeating || typeof v !== 'object') decline();
    if (this.complex(v as Record<string, unknown>, child, childEff, childCursors)) return true;
    obj[key] = undefined;
    return false;
  }

  /** @returns whether the object keeps any member. */
  private complex(obj: Record<string, unknown>, table: Table, eff: number, cursors: readonly Trie[]): boolean {
    let any = false;
    for (const key in obj) if (this.member(obj, key, obj[key], table, eff, cursors)) any = true;
    return any;
  }

  /**
   * Applies the effective rule to a primitive value.
   * @returns the new value, or {@link REMOVED}; a hashed value is written later, at (target, slot).
   */
  /**
   * The rules reaching a member: returns the tries still open at it and sets {@link FastPath.reach}
   * to the lowest rule position reaching it directly.
   * @internal
   */
  advance(slot: NonNullable<Slot>, cursors: readonly Trie[]): Trie[] | null {
    let direct = slot.min;
    let next: Trie[] | null = slot.open;
    if (cursors.length !== 0) {
      const name = slot.name;
      for (let i = 0; i < cursors.length; i++) {
        const t = cursors[i]!.next!.get(name);
        if (t === undefined) continue;
        if (t.min < direct) direct = t.min;
        if (t.next !== null) next = next === null ? [t] : next === slot.open ? [...next, t] : (next.push(t), next);
      }
    }
    this.reach = direct;
    return next;
  }

  /**
   * Whether `redact` removes a value of this kind whatever it holds (no partial form applies).
   * @internal
   */
  redactsWhole(kind: number): boolean {
    const p = this.host.parameters;
    return kind === K_DATE ? !p.enablePartialDatesForRedact
      : kind === K_AGE ? !p.enablePartialAgesForRedact
      : kind === K_POSTAL ? !p.enablePartialZipCodesForRedact
      : true;
  }

  /** Counts the removal of a whole value by the redact rule at `eff`. @internal */
  countRedaction(eff: number): void {
    const order = this.rules[eff]!.order;
    if (this.counts[order]!++ === 0) this.touched.push(order);
    this.ops |= REDACTED;
  }

  /** The method of the rule at position `eff`. @internal */
  methodAt(eff: number): string {
    return this.rules[eff]!.rule.method;
  }

  /** @internal */
  primitive(value: unknown, eff: number, slot: NonNullable<Slot>, target: Record<string, unknown> | unknown[], at: string | number): unknown {
    if (value === '') return value;
    const rule = this.rules[eff]!;
    const p = this.host.parameters;
    const kind = slot.kind;
    switch (rule.rule.method) {
      case 'keep':
        return value;
      case 'redact': {
        if (this.redactsWhole(kind)) {
          this.countRedaction(eff);
          return REMOVED;
        }
        if (this.counts[rule.order]!++ === 0) this.touched.push(rule.order);
        if (kind === K_DATE) {
          this.ops |= REDACTED;
          return redactDate(String(value), p.enablePartialDatesForRedact, this.now) ?? REMOVED;
        }
        if (kind === K_AGE) {
          this.ops |= REDACTED;
          return keepAge(String(value), p.enablePartialAgesForRedact) ? value : REMOVED;
        }
        this.ops |= ABSTRED; // a postal code, partially
        return redactPostalCode(String(value), p.restrictedZipCodeTabulationAreas);
      }
      case 'dateShift': {
        if (kind !== K_DATE || typeof value !== 'string') return value;
        if (this.counts[rule.order]!++ === 0) this.touched.push(rule.order);
        // A full date, not over 89 years before the reference date, is shifted; anything else is redacted.
        const parts = parseDateParts(value);
        const shifted = parts !== undefined && parts.day !== 0 && !isAgeOver89(parts, this.now) ? shiftDateValue(value, this.dateOffset(rule.order)) : undefined;
        if (shifted === undefined) {
          this.ops |= REDACTED;
          return redactDate(value, p.enablePartialDatesForRedact, this.now) ?? REMOVED;
        }
        this.ops |= PERTURBED;
        // Instants are written as .NET DateTimeOffset values by the reference: UTC as +00:00.
        return slot.type === 'instant' && shifted.endsWith('Z') ? shifted.slice(0, -1) + '+00:00' : shifted;
      }
      case 'cryptoHash': {
        if (this.counts[rule.order]!++ === 0) this.touched.push(rule.order);
        this.ops |= CRYTOHASH;
        const text = String(value);
        const hasher = this.hasher ?? (this.hasher = this.host.hasher());
        let prefix = '';
        let input = text;
        let suffix = '';
        if (kind === K_REFERENCE) {
          const done = this.references.get(text);
          if (done !== undefined) return done;
          const parts = hasher.splitReference(text); // the output is remembered below
          prefix = parts.prefix;
          input = parts.id;
          suffix = parts.suffix;
        }
        const known = hasher.cached(input);
        if (known !== undefined) {
          const out = prefix + known + suffix;
          if (kind === K_REFERENCE) this.rememberReference(text, out);
          return out;
        }
        this.hashReferences.push(kind === K_REFERENCE ? text : null);
        this.hashTargets.push(target);
        this.hashKeys.push(at);
        this.hashPrefixes.push(prefix);
        this.hashInputs.push(input);
        this.hashSuffixes.push(suffix);
        return value; // replaced when the batch is hashed
      }
      case 'encrypt':
        if (this.counts[rule.order]!++ === 0) this.touched.push(rule.order);
        this.ops |= MASKED;
        return encryptValue(this.host.core, this.host.encryptKey(), String(value));
      default:
        return decline();
    }
  }

  private containedResource(x: unknown): void {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) decline();
    const obj = x as Record<string, unknown>;
    const type = obj['resourceType'];
    if (typeof type !== 'string' || !startsWithResourceType(obj)) decline();
    const table = this.enterContained(type);
    const tp = this.tp;
    for (const key in obj) if (key !== 'resourceType') this.member(obj, key, obj[key], table, tp.rootDirect, tp.rootCursors);
    this.leaveContained();
  }

  private dateOffset(order: number): number {
    let prefix = this.scopePrefix;
    if (prefix === undefined) {
      // The root's id, as the reference reads it: unprocessed for rules before the id's own rule.
      prefix = !this.nested && this.idEff > order ? this.originalId : this.currentId;
    }
    let offset = this.lastOffset;
    if (prefix !== this.lastPrefix) {
      offset = this.host.offsetFor(prefix);
      this.lastPrefix = prefix;
      this.lastOffset = offset;
    }
    if (!this.counted) {
      this.counted = true;
      this.offsets.push(offset);
    }
    return offset;
  }
}

/** What {@link FastPath.primitive} returns for a value the rule removes. @internal */
export const REMOVED: unique symbol = Symbol('removed');

const REDACTED = 1;
const ABSTRED = 2;
const CRYTOHASH = 4;
const MASKED = 8;
const PERTURBED = 16;
const LABEL_BITS: ReadonlyArray<readonly [number, SecurityLabelCode]> = [
  [REDACTED, 'REDACTED'], [ABSTRED, 'ABSTRED'], [CRYTOHASH, 'CRYTOHASH'], [MASKED, 'MASKED'], [PERTURBED, 'PERTURBED'],
];
/** The label codings for each combination of operation bits, in the reference's order. */
const LABELS_BY_OPS: ReadonlyArray<ReadonlyArray<Readonly<Record<string, string>>>> = Array.from({ length: 32 }, (_, ops) =>
  SECURITY_LABELS.filter((l) => LABEL_BITS.some(([bit, code]) => (ops & bit) !== 0 && code === l.code)).map((l) => Object.freeze({ ...l.coding })));

/** The label codings of each combination of operation bits, as JSON text (for the text walker). @internal */
export const LABELS_JSON_BY_OPS: readonly string[] = LABELS_BY_OPS.map((codings) => JSON.stringify(codings));
