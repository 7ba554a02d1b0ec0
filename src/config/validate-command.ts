/**
 * The logic of `health-anonymizer config validate FILE` for FHIR configurations. The
 * CLI reads the file (and any key file) and prints `report`; this module never
 * touches the file system or the process.
 * @module
 */
import type { FhirConfigDiagnostic } from './fhir-diagnostics.ts';
import { validateFhirConfig } from './fhir-validate.ts';
import type { FhirConfigOptions } from './fhir-validate.ts';
import { fingerprintConfig } from './fingerprint.ts';

/** Options of {@link validateConfigCommand}. */
export interface ValidateConfigCommandOptions extends Omit<FhirConfigOptions, 'file' | 'strict'> {
  /** Treat warnings (unknown keys, paths that match nothing, …) as failures. */
  readonly strict?: boolean;
}

/** What {@link validateConfigCommand} returns. */
export interface ValidateConfigCommandResult {
  /** `true` when the configuration loads (and, with `strict`, has no warning). */
  readonly ok: boolean;
  /** Every problem found, in document order. */
  readonly diagnostics: readonly FhirConfigDiagnostic[];
  /** Human-readable report, one line per problem and a summary line, ending with a newline. Never contains a key. */
  readonly report: string;
  /** Fingerprint of the normalized configuration (keys excluded), when it loads. */
  readonly fingerprint?: string;
}

function formatDiagnostic(d: FhirConfigDiagnostic, file: string): string {
  const where = `${d.file ?? file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}`;
  return `${where}: ${d.severity} ${d.code} [${d.reason}] at ${d.pointer === '' ? '/' : d.pointer}: ${d.message}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Validates a FHIR configuration file's text and builds the command's report.
 * @param text - The file's content (the CLI decodes it as UTF-8).
 * @param file - The file name shown in the report (`-` for standard input).
 * @param options - Expected release, key sources (to check them too), and `strict`.
 * @returns `ok`, the diagnostics, the report text, and the fingerprint when the configuration loads.
 * @throws Nothing for bad input: a key file that is not JSON is a diagnostic too.
 * @example What the CLI does
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { validateConfigCommand } from 'health-anonymizer/config';
 * const result = validateConfigCommand(readFileSync('config.json', 'utf8'), 'config.json', { strict: false });
 * process.stdout.write(result.report);
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export function validateConfigCommand(text: string, file: string, options: ValidateConfigCommandOptions = {}): ValidateConfigCommandResult {
  const { strict = false, ...loadOptions } = options;
  const result = validateFhirConfig(text, { ...loadOptions, file });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const ok = result.ok && (!strict || warnings === 0);
  const lines = result.diagnostics.map((d) => formatDiagnostic(d, file));
  const fingerprint = result.config === undefined ? undefined : fingerprintConfig(result.config);
  if (result.config !== undefined) {
    const version = result.config.fhirVersion === undefined ? 'any FHIR release' : result.config.fhirVersion === 'Stu3' ? 'STU3' : 'R4';
    const verdict = ok ? 'valid' : 'valid, but rejected in strict mode because of warnings';
    lines.push(`${file}: ${verdict} FHIR configuration for ${version}: ${count(result.config.fhirPathRules.length, 'rule')}, ${count(warnings, 'warning')}; fingerprint ${fingerprint}`);
  } else {
    lines.push(`${file}: invalid FHIR configuration: ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
  }
  return { ok, diagnostics: result.diagnostics, report: `${lines.join('\n')}\n`, ...(fingerprint === undefined ? {} : { fingerprint }) };
}
