import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { fingerprintConfig, loadFhirConfig, validateConfigCommand } from '../../src/config/index.ts';
import { fixtureText } from './fixtures.ts';

describe('config/validate command', () => {
  it('a valid file: ok, one summary line with release, rule count and fingerprint', () => {
    const text = fixtureText('ms/R4.FunctionalTests/r4-configuration-sample.json');
    const result = validateConfigCommand(text, 'r4.json', { fhirVersion: 'R4' });
    const fingerprint = fingerprintConfig(loadFhirConfig(text));
    assert.equal(result.ok, true);
    assert.equal(result.fingerprint, fingerprint);
    const lines = result.report.trimEnd().split('\n');
    assert.equal(lines.at(-1), `r4.json: valid FHIR configuration for R4: 192 rules, 1 warning; fingerprint ${fingerprint}`);
    assert.equal(lines[0], 'r4.json:28:14: warning ERR_CONFIG_INVALID [unknown-element] at /fhirPathRules/22/path: Rule path names the element notAvaliable, which the R4 model does not define; the rule matches nothing');
    assert.ok(result.report.endsWith('\n'));
  });

  it('strict mode fails on warnings', () => {
    const text = fixtureText('ms/R4.CommandLineTool/configuration-sample.json');
    const result = validateConfigCommand(text, 'sample.json', { strict: true });
    assert.equal(result.ok, false);
    assert.match(result.report, /sample\.json: valid, but rejected in strict mode because of warnings FHIR configuration for R4: 193 rules, 1 warning; fingerprint [0-9a-f]{64}\n$/);
  });

  it('an invalid file: every problem as file:line:column, and a count', () => {
    const result = validateConfigCommand('{\n"fhirPathRules": [{"path": "x(", "method": "hide"}]\n}', 'bad.json');
    assert.equal(result.ok, false);
    assert.equal(result.fingerprint, undefined);
    assert.deepEqual(result.report.trimEnd().split('\n'), [
      'bad.json:1:1: warning ERR_CONFIG_INVALID [no-version] at /fhirVersion: fhirVersion is empty; the configuration is used for any release',
      'bad.json:2:28: error ERR_RULE_COMPILE [fhirpath] at /fhirPathRules/0/path: Rule path is not a valid FHIRPath expression (syntax error at character 3)',
      'bad.json:2:44: error ERR_CONFIG_INVALID [unknown-method] at /fhirPathRules/0/method: Rule method must be one of keep, redact, dateShift, cryptoHash, encrypt, substitute, perturb, generalize (any case)',
      'bad.json: invalid FHIR configuration: 2 errors, 1 warning',
    ]);
  });

  it('a syntax error: its position only', () => {
    const result = validateConfigCommand('{"fhirPathRules": [\n  {"path": "Patient.name" "method": "redact"}]}', 'x.json');
    assert.equal(result.report, "x.json:2:27: error ERR_CONFIG_PARSE [syntax] at /: Configuration is not valid JSON: expected ',' or '}'\nx.json: invalid FHIR configuration: 1 error, 0 warnings\n");
  });
});
