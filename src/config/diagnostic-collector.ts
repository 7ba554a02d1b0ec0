/**
 * Collects configuration diagnostics: maps pointers back to the names the document
 * uses, attaches line and column, and sorts into document order.
 * @module
 */
import type { ErrorCode } from '../errors.ts';
import type { DiagnosticReason, FhirConfigDiagnostic } from './fhir-diagnostics.ts';
import type { TextPosition } from './json-reader.ts';
import { isObject, setOwn } from './json-value.ts';
import type { Json, JsonObject } from './json-value.ts';
import { joinPointer, splitPointer } from './pointer.ts';

/** Gathers the diagnostics of one validation. */
export class Collector {
  /** Diagnostics in the order found, with that order. */
  readonly list: Array<FhirConfigDiagnostic & { readonly seq: number }> = [];
  /** Positions of the configuration text, when it was text. */
  readonly positions: ReadonlyMap<string, TextPosition> | undefined;
  /** Pre-order index of every pointer of the document. */
  readonly order: Map<string, number> = new Map();
  /** Canonical top-level name → the name the document uses. */
  readonly topNames: Map<string, string> = new Map();
  /** Canonical `parameters` name → the name the document uses. */
  readonly parameterNames: Map<string, string> = new Map();

  constructor(positions: ReadonlyMap<string, TextPosition> | undefined) {
    this.positions = positions;
  }

  /** Maps a pointer written with canonical names back to the names the document uses. */
  original(pointer: string): string {
    const tokens = splitPointer(pointer);
    if (tokens.length > 0) tokens[0] = this.topNames.get(tokens[0]!) ?? tokens[0]!;
    if (tokens.length > 1 && tokens[0] === (this.topNames.get('parameters') ?? 'parameters')) {
      tokens[1] = this.parameterNames.get(tokens[1]!) ?? tokens[1]!;
    }
    return tokens.reduce<string>((p, t) => joinPointer(p, t), '');
  }

  add(severity: 'error' | 'warning', code: ErrorCode, reason: DiagnosticReason, canonicalPointer: string, message: string, file?: string): void {
    const pointer = file === undefined ? this.original(canonicalPointer) : canonicalPointer;
    let position: TextPosition | undefined;
    if (file === undefined && this.positions !== undefined) {
      for (let p = pointer; position === undefined; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        position = this.positions.get(p);
        if (p === '') break;
      }
    }
    this.list.push({
      severity, code, reason, pointer, message, seq: this.list.length,
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
      ...(file === undefined ? {} : { file }),
    });
  }

  addExternal(d: FhirConfigDiagnostic): void {
    this.list.push({ ...d, seq: this.list.length });
  }

  error(code: ErrorCode, reason: DiagnosticReason, pointer: string, message: string): void {
    this.add('error', code, reason, pointer, message);
  }

  warn(reason: DiagnosticReason, pointer: string, message: string): void {
    this.add('warning', 'ERR_CONFIG_INVALID', reason, pointer, message);
  }

  sorted(): FhirConfigDiagnostic[] {
    const rank = (d: FhirConfigDiagnostic): number => {
      if (d.file !== undefined) return Number.MAX_SAFE_INTEGER;
      for (let p = d.pointer; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        const r = this.order.get(p);
        if (r !== undefined) return r;
        if (p === '') return 0;
      }
    };
    return [...this.list]
      .map((d) => ({ d, r: rank(d) }))
      .sort((a, b) => a.r - b.r || a.d.seq - b.d.seq)
      .map(({ d }) => {
        const { seq: _seq, ...rest } = d;
        return rest;
      });
  }
}

/** Copies a JS value as JSON, recording document order; non-JSON values become diagnostics. */
export function copyJson(value: unknown, pointer: string, c: Collector, seen: Set<object>): Json | undefined {
  c.order.set(pointer, c.order.size);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value must be a finite JSON number');
    return undefined;
  }
  if (typeof value === 'object') {
    if (seen.has(value)) {
      c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value refers to itself; a configuration must be a JSON tree');
      return undefined;
    }
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const out: Json[] = [];
        value.forEach((item, i) => {
          const copy = copyJson(item, joinPointer(pointer, i), c, seen);
          out.push(copy === undefined ? null : copy);
        });
        return out;
      }
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const copy = copyJson(v, joinPointer(pointer, k), c, seen);
        if (copy !== undefined) setOwn(out, k, copy);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
  c.error('ERR_CONFIG_INVALID', 'type', pointer, 'Value is not JSON data');
  return undefined;
}

/** Records the document order of every pointer of a parsed value. */
export function recordOrder(value: Json, pointer: string, c: Collector): void {
  c.order.set(pointer, c.order.size);
  if (Array.isArray(value)) value.forEach((v, i) => recordOrder(v, joinPointer(pointer, i), c));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) recordOrder(v, joinPointer(pointer, k), c);
}
