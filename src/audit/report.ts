/**
 * The run report: a JSON document that records what a run did, for audits. Shared by the
 * FHIR and DICOM engines. It holds counts, file names, rule paths, codes and locations,
 * never a value from the data and never a key (the configuration appears only as a
 * fingerprint computed with the keys removed).
 * @module
 */
import type { ErrorLocation } from '../errors.ts';

/** Outcome of one input. */
export type FileStatus = 'ok' | 'error' | 'skipped';

/** One input file (or `-` for stdin) and what became of it. */
export interface ReportFile {
  /** Input path as given or found (relative to the input folder in folder mode). */
  readonly input: string;
  /** Output path; absent when nothing was written. */
  readonly output?: string;
  readonly status: FileStatus;
  /** Resources (FHIR) or objects (DICOM: 1 per written file) written. */
  readonly resources: number;
  /** DICOM: elements seen at every depth. */
  readonly elements?: number;
  /** Why the input failed; the message never holds a value. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** How often one configuration rule applied. */
export interface ReportRule {
  /** Position of the rule in the configuration. */
  readonly index: number;
  /** The rule's path (FHIRPath) or tag. */
  readonly path: string;
  readonly method: string;
  /** Nodes the rule changed or kept. */
  readonly count: number;
}

/** A warning. */
export interface ReportWarning {
  readonly code: string;
  readonly message: string;
}

/** An error, with where it happened. */
export interface ReportError {
  readonly code: string;
  readonly message: string;
  readonly location: ErrorLocation;
}

/** Totals over the run. */
export interface ReportTotals {
  readonly files: number;
  readonly ok: number;
  readonly error: number;
  readonly skipped: number;
  readonly resources: number;
}

/** The whole run report (written by `--report FILE`). */
export interface RunReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** SHA-256 of the embedded WASM core, or `null` when the pure-JS core ran. */
  readonly wasmSha256: string | null;
  readonly engine: 'fhir' | 'dicom';
  /** Fingerprint of the normalized configuration with its keys removed. */
  readonly configFingerprint: string;
  /** Engine-specific facts (DICOM: scanner, profile and options, whether the key was random). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly files: readonly ReportFile[];
  readonly rules: readonly ReportRule[];
  readonly methods: Readonly<Record<string, number>>;
  readonly warnings: readonly ReportWarning[];
  readonly errors: readonly ReportError[];
  readonly totals: ReportTotals;
}

/** What the report needs to know at the start of a run. */
export interface RunReportStart {
  readonly tool: { readonly name: string; readonly version: string };
  readonly wasmSha256: string | null;
  readonly engine: 'fhir' | 'dicom';
  readonly configFingerprint: string;
  /** Engine-specific facts, printed as `details` after the fingerprint. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Start time (default: now). */
  readonly startedAt?: Date;
}

/**
 * Warning code: every resource got the same date-shift offset.
 * @example Checking a report for the warning
 * ```ts
 * report.warnings.some((w) => w.code === WARN_SINGLE_DATE_SHIFT_OFFSET);
 * ```
 */
export const WARN_SINGLE_DATE_SHIFT_OFFSET = 'WARN_SINGLE_DATE_SHIFT_OFFSET';

/**
 * Collects the facts of a run and produces a {@link RunReport}.
 *
 * @example Recording a run
 * ```ts
 * import { RunReportBuilder } from 'health-anonymizer/fhir';
 * const report = new RunReportBuilder({ tool: { name: 'health-anonymizer', version: '0.1.0' }, wasmSha256: null, engine: 'fhir', configFingerprint: 'sha256:…' });
 * report.addFile({ input: 'a.ndjson', output: 'out/a.ndjson', status: 'ok', resources: 10 });
 * const json = JSON.stringify(report.finish({ rules: [], methods: {} }), null, 2);
 * ```
 */
export class RunReportBuilder {
  private readonly start: RunReportStart;
  private readonly startedAt: Date;
  private readonly files: ReportFile[] = [];
  private readonly warnings: ReportWarning[] = [];
  private readonly errors: ReportError[] = [];

  /**
   * @param start - Tool, core, engine and configuration fingerprint.
   */
  constructor(start: RunReportStart) {
    this.start = start;
    this.startedAt = start.startedAt ?? new Date();
  }

  /**
   * Records one input.
   * @param file - Input, output, status, count and error.
   */
  addFile(file: ReportFile): void {
    this.files.push(file);
  }

  /**
   * Records a warning (once per code and message).
   * @param warning - Code and value-free message.
   */
  addWarning(warning: ReportWarning): void {
    if (!this.warnings.some((w) => w.code === warning.code && w.message === warning.message)) this.warnings.push(warning);
  }

  /**
   * Records an error.
   * @param error - Code, value-free message and location.
   */
  addError(error: ReportError): void {
    this.errors.push(error);
  }

  /**
   * Completes the report.
   * @param counts - Per-rule and per-method counts from the engine.
   * @param finishedAt - End time (default: now).
   * @returns The report, ready for `JSON.stringify`.
   */
  finish(counts: { readonly rules: readonly ReportRule[]; readonly methods: Readonly<Record<string, number>> }, finishedAt: Date = new Date()): RunReport {
    const count = (status: FileStatus): number => this.files.filter((f) => f.status === status).length;
    return {
      tool: this.start.tool,
      wasmSha256: this.start.wasmSha256,
      engine: this.start.engine,
      configFingerprint: this.start.configFingerprint,
      ...(this.start.details !== undefined ? { details: this.start.details } : {}),
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - this.startedAt.getTime()),
      files: [...this.files],
      rules: [...counts.rules],
      methods: { ...counts.methods },
      warnings: [...this.warnings],
      errors: [...this.errors],
      totals: {
        files: this.files.length,
        ok: count('ok'),
        error: count('error'),
        skipped: count('skipped'),
        resources: this.files.reduce((n, f) => n + f.resources, 0),
        ...(this.files.some((f) => f.elements !== undefined) ? { elements: this.files.reduce((n, f) => n + (f.elements ?? 0), 0) } : {}),
      },
    };
  }
}

/**
 * The date-shift warning: returns a warning when more than one resource was date-shifted and
 * all of them got one and the same offset (the scope prefix was empty or constant, so shifted
 * dates of different patients keep their true intervals relative to each other).
 * @param offsets - Offset in days → number of resources shifted by it.
 * @returns The warning, or `undefined`.
 * @example After a run
 * ```ts
 * import { singleDateShiftOffsetWarning } from 'health-anonymizer/fhir';
 * singleDateShiftOffsetWarning(new Map([[12, 40]]))?.code; // 'WARN_SINGLE_DATE_SHIFT_OFFSET'
 * ```
 */
export function singleDateShiftOffsetWarning(offsets: ReadonlyMap<number, number>): ReportWarning | undefined {
  let resources = 0;
  for (const n of offsets.values()) resources += n;
  if (offsets.size !== 1 || resources < 2) return undefined;
  return {
    code: WARN_SINGLE_DATE_SHIFT_OFFSET,
    message: `all ${resources} date-shifted resources share one offset: the date-shift prefix is empty or constant (check dateShiftScope), so relative timing across resources is preserved`,
  };
}
