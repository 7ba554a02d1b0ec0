/**
 * Test-only helpers: locate the vendored fixtures (from the sources or from build/),
 * and turn a reference-tool configuration file into a normalized FhirConfig the way
 * fhir-types.ts documents it (canonical method names, defaults), independently of
 * the configuration loader.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FhirConfig, FhirMethod, FhirRule, FhirVersion } from '../../src/config/fhir-types.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The folder holding the vendored reference fixtures. */
export function fixturesDir(): string {
  for (const candidate of [join(here, '../fixtures/fhir'), join(here, '../../../test/fixtures/fhir')]) {
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
  }
  throw new Error('test/fixtures/fhir not found');
}

/** Reads a fixture as text (BOM removed). */
export function readFixture(relative: string): string {
  const text = readFileSync(join(fixturesDir(), relative), 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses JSON that may have trailing commas (as the reference's sample configurations do). */
export function parseLenient(text: string): unknown {
  return JSON.parse(text.replace(/,(\s*[\]}])/g, '$1'));
}

const METHODS: Record<string, FhirMethod> = {
  keep: 'keep', redact: 'redact', dateshift: 'dateShift', cryptohash: 'cryptoHash', encrypt: 'encrypt',
  substitute: 'substitute', perturb: 'perturb', generalize: 'generalize',
};

function randomHex(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Normalizes a reference-tool configuration object. */
export function toFhirConfig(raw: Record<string, unknown>, version?: FhirVersion): FhirConfig {
  const p = (raw['parameters'] ?? {}) as Record<string, unknown>;
  const rules = (raw['fhirPathRules'] as Record<string, unknown>[]).map((r, index): FhirRule => {
    const method = METHODS[String(r['method']).toLowerCase()];
    if (method === undefined) throw new Error(`unknown method at rule ${index}`);
    const rule: Record<string, unknown> = { path: r['path'], method, index };
    if ('replaceWith' in r) rule['replaceWith'] = r['replaceWith'];
    if (method === 'perturb') {
      rule['span'] = r['span'];
      rule['rangeType'] = String(r['rangeType'] ?? 'fixed').toLowerCase();
      rule['roundTo'] = r['roundTo'] ?? 2;
    }
    if (method === 'generalize') {
      rule['cases'] = Object.entries(r['cases'] as Record<string, string>);
      rule['otherValues'] = String(r['otherValues'] ?? 'redact').toLowerCase();
    }
    return rule as unknown as FhirRule;
  });
  const str = (k: string): string | undefined => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined);
  const declared = String(raw['fhirVersion'] ?? '').toLowerCase();
  const fhirVersion: FhirVersion | undefined = version ?? (declared === 'r4' ? 'R4' : declared === 'stu3' ? 'Stu3' : undefined);
  return {
    ...(fhirVersion !== undefined ? { fhirVersion } : {}),
    processingErrors: raw['processingErrors'] === 'skip' ? 'skip' : 'raise',
    fhirPathRules: rules,
    parameters: {
      dateShiftKey: str('dateShiftKey') ?? randomHex(),
      dateShiftScope: (str('dateShiftScope')?.toLowerCase() ?? 'resource') as FhirConfig['parameters']['dateShiftScope'],
      ...(typeof p['dateShiftFixedOffsetInDays'] === 'number' ? { dateShiftFixedOffsetInDays: p['dateShiftFixedOffsetInDays'] } : {}),
      cryptoHashKey: str('cryptoHashKey') ?? randomHex(),
      encryptKey: str('encryptKey') ?? randomHex(),
      enablePartialAgesForRedact: p['enablePartialAgesForRedact'] === true,
      enablePartialDatesForRedact: p['enablePartialDatesForRedact'] === true,
      enablePartialZipCodesForRedact: p['enablePartialZipCodesForRedact'] === true,
      restrictedZipCodeTabulationAreas: (p['restrictedZipCodeTabulationAreas'] as string[] | undefined) ?? [],
    },
  };
}

/** Loads a fixture configuration. */
export function loadFixtureConfig(relative: string, version?: FhirVersion): FhirConfig {
  return toFhirConfig(parseLenient(readFixture(relative)) as Record<string, unknown>, version);
}

/** A minimal configuration from rules and parameter overrides. */
export function makeConfig(rules: Array<Record<string, unknown>>, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): FhirConfig {
  return toFhirConfig({ fhirVersion: 'R4', fhirPathRules: rules, parameters, ...extra });
}
