import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { loadFhirConfig, validateFhirConfig } from '../../src/config/index.ts';
import type { FhirConfigDiagnostic } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { fixtureText } from './fixtures.ts';

interface Invalid {
  readonly file: string;
  /** The reference unit test that declares this file invalid (or our reason to differ). */
  readonly reference: string;
  readonly code: string;
  readonly reason: string;
  readonly pointer: string;
  readonly line: number;
  readonly fhirVersion?: 'R4' | 'Stu3';
}

const VALIDATOR = 'Shared.Core.UnitTests/AnonymizerConfigurationValidatorTests.cs GetInvalidConfigs';
const MANAGER = 'Shared.Core.UnitTests/AnonymizerConfigurationManagerTests.cs GetInvalidConfigs';
const R4_VERSION = 'R4.Core.UnitTests/AnonymizerConfigurationValidatorTests.cs (R4 binary)';

// Every invalid configuration of the reference's unit tests, with the code, reason and pointer we report.
const INVALID: readonly Invalid[] = [
  { file: 'TestConfigurations/configuration-miss-rules.json', reference: `${VALIDATOR}; ${MANAGER}`, code: 'ERR_CONFIG_INVALID', reason: 'missing', pointer: '/fhirPathRules', line: 1 },
  { file: 'TestConfigurations/configuration-invalid-fhirpath.json', reference: `${VALIDATOR}; ${MANAGER}`, code: 'ERR_RULE_COMPILE', reason: 'fhirpath', pointer: '/fhirPathRules/0/path', line: 5 },
  { file: 'TestConfigurations/configuration-invalid-encryptkey.json', reference: VALIDATOR, code: 'ERR_KEY_SIZE', reason: 'key-size', pointer: '/parameters/encryptKey', line: 23 },
  { file: 'TestConfigurations/configuration-miss-replacement.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'missing', pointer: '/fhirPathRules/0/replaceWith', line: 3 },
  { file: 'TestConfigurations/configuration-perturb-wrong-rangetype.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/rangeType', line: 7 },
  { file: 'TestConfigurations/configuration-perturb-miss-span.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'missing', pointer: '/fhirPathRules/0/span', line: 3 },
  { file: 'TestConfigurations/configuration-perturb-negative-span.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/span', line: 6 },
  { file: 'TestConfigurations/configuration-perturb-wrong-roundTo.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/roundTo', line: 7 },
  { file: 'TestConfigurations/configuration-perturb-negative-roundTo.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/roundTo', line: 7 },
  { file: 'TestConfigurations/configuration-perturb-exceed-28-roundTo.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/roundTo', line: 7 },
  { file: 'TestConfigurations/configuration-generalize-miss-cases.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'missing', pointer: '/fhirPathRules/0/cases', line: 3 },
  { file: 'TestConfigurations/configuration-generalize-fail-compiled-expression.json', reference: VALIDATOR, code: 'ERR_RULE_COMPILE', reason: 'fhirpath', pointer: '/fhirPathRules/0/cases/$this>=0 && $this<10', line: 7 },
  { file: 'TestConfigurations/configuration-generalize-invalid-othervalues.json', reference: VALIDATOR, code: 'ERR_CONFIG_INVALID', reason: 'invalid-value', pointer: '/fhirPathRules/0/otherValues', line: 9 },
  // Older reference releases (ManagerTests before custom processors) reject "skip"; HEAD only warns at load and
  // fails on the first resource (AnonymizerEngineTests). We have no custom processors: fail at load.
  { file: 'TestConfigurations/configuration-unsupported-method.json', reference: 'AnonymizerEngineTests.cs IfConfigurationHasUnsupportedMethod (throws on use)', code: 'ERR_CONFIG_INVALID', reason: 'unknown-method', pointer: '/fhirPathRules/0/method', line: 6 },
  // The reference loads it only with its MaskProcessor registered (AnonymizerEngineTests); custom processors are not supported here.
  { file: 'TestConfigurations/configuration-custom-processor.json', reference: 'AnonymizerEngineTests.cs (needs a registered custom MaskProcessor)', code: 'ERR_CONFIG_INVALID', reason: 'unknown-method', pointer: '/fhirPathRules/0/method', line: 7 },
  { file: 'TestConfigurationsVersion/configuration-invalid-version.json', reference: R4_VERSION, code: 'ERR_CONFIG_INVALID', reason: 'unsupported-version', pointer: '/fhirVersion', line: 2 },
  { file: 'TestConfigurationsVersion/configuration-Stu3-version.json', reference: R4_VERSION, code: 'ERR_UNSUPPORTED', reason: 'version-mismatch', pointer: '/fhirVersion', line: 2, fhirVersion: 'R4' },
];

interface Valid {
  readonly file: string;
  readonly reference: string;
  readonly rules: number;
  readonly fhirVersion?: 'R4' | 'Stu3';
  readonly expect?: 'R4' | 'Stu3';
}

// Every configuration the reference loads (unit tests' valid lists, functional tests, samples).
const VALID: readonly Valid[] = [
  { file: 'TestConfigurations/configuration-test-sample.json', reference: 'ManagerTests GetValidConfigs', rules: 5 },
  { file: 'TestConfigurations/configuration-raise-processing-error.json', reference: 'used by AnonymizerEngineTests', rules: 5 },
  { file: 'TestConfigurations/configuration-without-processing-error.json', reference: 'ManagerTests (processingErrors defaults to raise)', rules: 5 },
  { file: 'TestConfigurationsVersion/configuration-R4-version.json', reference: R4_VERSION, rules: 5, fhirVersion: 'R4', expect: 'R4' },
  { file: 'TestConfigurationsVersion/configuration-empty-version.json', reference: R4_VERSION, rules: 5, fhirVersion: 'R4' },
  { file: 'TestConfigurationsVersion/configuration-null-version.json', reference: R4_VERSION, rules: 5, fhirVersion: 'R4' },
  { file: 'TestConfigurationsVersion/configuration-Stu3-version.json', reference: 'Stu3 binary', rules: 5, fhirVersion: 'Stu3', expect: 'Stu3' },
  { file: 'R4.CommandLineTool/configuration-sample.json', reference: 'R4 CLI default', rules: 193, fhirVersion: 'R4', expect: 'R4' },
  { file: 'R4.CommandLineTool/configuration-sample-with-dateshiftfixedoffset.json', reference: 'R4 CLI sample', rules: 193, fhirVersion: 'R4', expect: 'R4' },
  { file: 'Stu3.CommandLineTool/configuration-sample.json', reference: 'STU3 CLI default', rules: 158, fhirVersion: 'Stu3', expect: 'Stu3' },
  { file: 'R4.FunctionalTests/r4-configuration-sample.json', reference: 'R4 functional tests', rules: 192, fhirVersion: 'R4', expect: 'R4' },
  { file: 'Stu3.FunctionalTests/stu3-configuration-sample.json', reference: 'STU3 functional tests', rules: 157, fhirVersion: 'Stu3', expect: 'Stu3' },
  { file: 'Shared.FunctionalTests/common-config.json', reference: 'functional tests', rules: 19 },
  { file: 'Shared.FunctionalTests/common-no-partial-config.json', reference: 'functional tests', rules: 19 },
  { file: 'Shared.FunctionalTests/configuration-raise-processing-error.json', reference: 'functional tests', rules: 5 },
  { file: 'Shared.FunctionalTests/configuration-skip-processing-error.json', reference: 'functional tests', rules: 5 },
  { file: 'Shared.FunctionalTests/configuration-without-processing-error.json', reference: 'functional tests', rules: 5 },
  { file: 'Shared.FunctionalTests/generalize-patient-config.json', reference: 'functional tests', rules: 6 },
  { file: 'Shared.FunctionalTests/redact-all-config.json', reference: 'functional tests', rules: 1 },
  { file: 'Shared.FunctionalTests/substitute-complex.json', reference: 'functional tests', rules: 1 },
  { file: 'Shared.FunctionalTests/substitute-conflict-rules.json', reference: 'functional tests', rules: 2 },
  { file: 'Shared.FunctionalTests/substitute-multiple-2.json', reference: 'functional tests', rules: 2 },
  { file: 'Shared.FunctionalTests/substitute-multiple.json', reference: 'functional tests', rules: 2 },
  { file: 'Shared.FunctionalTests/substitute-primitive.json', reference: 'functional tests', rules: 1 },
];

function errorsOf(diagnostics: readonly FhirConfigDiagnostic[]): FhirConfigDiagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

describe('config/reference fixtures', () => {
  for (const c of INVALID) {
    it(`rejects ${c.file} with ${c.code} [${c.reason}] at ${c.pointer}`, () => {
      const text = fixtureText(`ms/${c.file}`);
      const options = { file: c.file, ...(c.fhirVersion === undefined ? {} : { fhirVersion: c.fhirVersion }) };
      const result = validateFhirConfig(text, options);
      assert.equal(result.ok, false);
      assert.equal(result.config, undefined);
      const errors = errorsOf(result.diagnostics);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      const [d] = errors;
      assert.equal(d!.code, c.code);
      assert.equal(d!.reason, c.reason);
      assert.equal(d!.pointer, c.pointer);
      assert.equal(d!.line, c.line);
      assert.throws(() => loadFhirConfig(text, options), (e: unknown) =>
        e instanceof ConfigError && e.code === 'ERR_CONFIG_INVALID' && e.diagnostics.length === 1 &&
        e.diagnostics[0]!.pointer === c.pointer && e.location?.file === c.file);
    });
  }
  for (const c of VALID) {
    it(`loads ${c.file} (${c.rules} rules)`, () => {
      const config = loadFhirConfig(fixtureText(`ms/${c.file}`), { file: c.file, ...(c.fhirVersion === undefined ? {} : { fhirVersion: c.fhirVersion }) });
      assert.equal(config.fhirPathRules.length, c.rules);
      assert.equal(config.fhirVersion, c.expect);
      assert.equal(config.processingErrors, c.file.includes('skip-processing') ? 'skip' : 'raise');
    });
  }

  it('reads the test sample as the reference does (ManagerTests GivenAValidConfig)', () => {
    const config = loadFhirConfig(fixtureText('ms/TestConfigurations/configuration-test-sample.json'));
    assert.deepEqual(config.fhirPathRules.map((r) => [r.path, r.method]), [
      ["Patient.nodesByType('HumanName')", 'redact'],
      ['TestResource', 'redact'],
      ["nodesByType('HumanName')", 'redact'],
      ['Resource', 'keep'],
      ['Device.where(id.exists()).id', 'keep'],
    ]);
    assert.equal(config.parameters.dateShiftKey.length, 32);
    assert.equal(config.processingErrors, 'raise');
    assert.deepEqual(config.parameters.restrictedZipCodeTabulationAreas, ['036', '059', '102', '203', '205', '369', '556', '692', '821', '823', '878', '879', '884', '893']);
    assert.equal(config.parameters.enablePartialZipCodesForRedact, true);
  });

  it('normalizes the R4 sample: lower-case "dateshift" → dateShift, perturb settings, fixed offset', () => {
    const sample = loadFhirConfig(fixtureText('ms/R4.CommandLineTool/configuration-sample.json'));
    const methods = new Map<string, number>();
    for (const r of sample.fhirPathRules) methods.set(r.method, (methods.get(r.method) ?? 0) + 1);
    // microsoft.md §1.6: 193 rules = 179 redact, 8 keep, 3 dateshift, 2 cryptoHash, 1 perturb
    assert.deepEqual(Object.fromEntries(methods), { redact: 179, keep: 8, cryptoHash: 2, perturb: 1, dateShift: 3 });
    const perturb = sample.fhirPathRules.find((r) => r.method === 'perturb')!;
    assert.deepEqual({ ...perturb }, { path: 'FamilyMemberHistory.condition.onset as Age', method: 'perturb', span: 0.1, rangeType: 'proportional', roundTo: 0, index: 59 });
    assert.equal(sample.parameters.dateShiftFixedOffsetInDays, undefined);
    const fixed = loadFhirConfig(fixtureText('ms/R4.CommandLineTool/configuration-sample-with-dateshiftfixedoffset.json'));
    assert.equal(fixed.parameters.dateShiftFixedOffsetInDays, 7);
  });

  it('keeps the functional tests\' fixed keys and substitute values as written', () => {
    const r4 = loadFhirConfig(fixtureText('ms/R4.FunctionalTests/r4-configuration-sample.json'));
    assert.equal(r4.parameters.cryptoHashKey, '123');
    assert.equal(r4.parameters.dateShiftKey, '123');
    assert.deepEqual(r4.keySources, { cryptoHashKey: 'config', encryptKey: 'random', dateShiftKey: 'config' });
    const complex = loadFhirConfig(fixtureText('ms/Shared.FunctionalTests/substitute-complex.json'));
    const sub = complex.fhirPathRules.filter((r) => r.method === 'substitute');
    assert.ok(sub.length > 0);
    for (const r of sub) assert.ok('replaceWith' in r);
  });

  it('the generalize functional config keeps case order and otherValues', () => {
    const config = loadFhirConfig(fixtureText('ms/Shared.FunctionalTests/generalize-patient-config.json'));
    const rules = config.fhirPathRules.filter((r) => r.method === 'generalize');
    assert.ok(rules.length > 0);
    for (const r of rules) {
      assert.ok(r.cases !== undefined && r.cases.length > 0);
      assert.ok(r.otherValues === 'redact' || r.otherValues === 'keep');
    }
  });
});
