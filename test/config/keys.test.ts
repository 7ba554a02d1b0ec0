import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { FHIR_KEY_ENV_VARS, loadFhirConfig, parseKeyFile, validateConfigCommand, validateFhirConfig } from '../../src/config/index.ts';
import type { FhirConfigDiagnostic } from '../../src/config/index.ts';
import { ConfigError, ConfigParseError } from '../../src/errors.ts';

const CONFIG = { fhirVersion: 'R4', fhirPathRules: [], parameters: { cryptoHashKey: 'from-config', dateShiftKey: 'date-config', encryptKey: '' } };
const env = (values: Record<string, string>) => (name: string): string | undefined => values[name];

describe('config/keys', () => {
  it('uses the documented environment variable names', () => {
    assert.deepEqual({ ...FHIR_KEY_ENV_VARS }, {
      cryptoHashKey: 'HEALTH_ANONYMIZER_CRYPTOHASH_KEY',
      encryptKey: 'HEALTH_ANONYMIZER_ENCRYPT_KEY',
      dateShiftKey: 'HEALTH_ANONYMIZER_DATESHIFT_KEY',
    });
  });

  it('precedence: option > key file > environment > configuration > random', () => {
    const envAll = env({ HEALTH_ANONYMIZER_CRYPTOHASH_KEY: 'from-env', HEALTH_ANONYMIZER_DATESHIFT_KEY: 'date-env', HEALTH_ANONYMIZER_ENCRYPT_KEY: 'e'.repeat(16) });
    const keyFile = { text: '{"cryptoHashKey": "from-file", "encryptKey": "' + 'f'.repeat(24) + '"}', file: 'keys.json' };

    const onlyConfig = loadFhirConfig(CONFIG);
    assert.deepEqual([onlyConfig.parameters.cryptoHashKey, onlyConfig.parameters.dateShiftKey], ['from-config', 'date-config']);
    assert.deepEqual(onlyConfig.keySources, { cryptoHashKey: 'config', encryptKey: 'random', dateShiftKey: 'config' });

    const withEnv = loadFhirConfig(CONFIG, { env: envAll });
    assert.deepEqual([withEnv.parameters.cryptoHashKey, withEnv.parameters.dateShiftKey, withEnv.parameters.encryptKey], ['from-env', 'date-env', 'e'.repeat(16)]);
    assert.deepEqual(withEnv.keySources, { cryptoHashKey: 'env', encryptKey: 'env', dateShiftKey: 'env' });

    const withFile = loadFhirConfig(CONFIG, { env: envAll, keyFile });
    assert.deepEqual([withFile.parameters.cryptoHashKey, withFile.parameters.dateShiftKey, withFile.parameters.encryptKey], ['from-file', 'date-env', 'f'.repeat(24)]);
    assert.deepEqual(withFile.keySources, { cryptoHashKey: 'keyFile', encryptKey: 'keyFile', dateShiftKey: 'env' });

    const withOption = loadFhirConfig(CONFIG, { env: envAll, keyFile, keys: { cryptoHashKey: 'from-option' } });
    assert.equal(withOption.parameters.cryptoHashKey, 'from-option');
    assert.deepEqual(withOption.keySources, { cryptoHashKey: 'option', encryptKey: 'keyFile', dateShiftKey: 'env' });
  });

  it('empty strings count as absent at every level', () => {
    const config = loadFhirConfig(CONFIG, { keys: { cryptoHashKey: '' }, env: env({ HEALTH_ANONYMIZER_CRYPTOHASH_KEY: '' }), keyFile: { text: '{"cryptoHashKey": ""}' } });
    assert.equal(config.parameters.cryptoHashKey, 'from-config');
  });

  it('reads no environment unless an env function is given', () => {
    const config = loadFhirConfig({ fhirPathRules: [] });
    assert.equal(config.keySources?.cryptoHashKey, 'random');
  });

  it('random keys: dateShiftKey fresh per load, cryptoHash and encrypt keys fixed per process and distinct', () => {
    const a = loadFhirConfig({ fhirPathRules: [] });
    const b = loadFhirConfig({ fhirPathRules: [] });
    assert.notEqual(a.parameters.dateShiftKey, b.parameters.dateShiftKey);
    assert.equal(a.parameters.cryptoHashKey, b.parameters.cryptoHashKey);
    assert.equal(a.parameters.encryptKey, b.parameters.encryptKey);
    assert.notEqual(a.parameters.cryptoHashKey, a.parameters.encryptKey);
    for (const k of [a.parameters.dateShiftKey, a.parameters.cryptoHashKey, a.parameters.encryptKey]) assert.match(k, /^[0-9a-f]{32}$/);
  });

  it('a key file member with another name is an error (no silent fallback to a random key)', () => {
    const problems: FhirConfigDiagnostic[] = [];
    const keys = parseKeyFile({ text: '{\n "cryptohashkey": "a",\n "cryptoHashKeys": "b",\n "encryptKey": 5,\n "CryptoHashKey": "c"\n}', file: 'k.json' }, problems);
    assert.deepEqual({ ...keys }, { cryptoHashKey: 'a' });
    assert.deepEqual(problems.map((p) => `${p.file} ${p.line} ${p.reason} ${p.pointer}`), [
      'k.json 3 unknown-key ', // an unknown member's name is not echoed: it could be a pasted key
      'k.json 4 type /encryptKey',
      'k.json 5 duplicate-key /CryptoHashKey',
    ]);
    const r = validateFhirConfig(CONFIG, { keyFile: { text: '{"cryptoHashKeys": "b"}', file: 'k.json' } });
    assert.equal(r.ok, false);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file} ${d.reason} ${d.pointer}`), ['k.json unknown-key ']);
    const pasted = validateFhirConfig(CONFIG, { keyFile: { text: '{"Zq8-pasted-secret": 1, "Zq8-pasted-secret": 2}', file: 'k.json' } });
    assert.deepEqual(pasted.diagnostics.map((d) => `${d.reason} ${d.pointer}`), ['duplicate-key ', 'unknown-key ']);
    assert.ok(!JSON.stringify(pasted.diagnostics).includes('Zq8'));
  });

  it('a key file that is not JSON throws ConfigParseError with its name and line only', () => {
    assert.throws(() => loadFhirConfig(CONFIG, { keyFile: { text: '{\n"cryptoHashKey": "hunter2" oops}', file: 'k.json' } }), (e: unknown) =>
      e instanceof ConfigParseError && e.location?.file === 'k.json' && e.location.line === 2 && !e.message.includes('hunter2') && !e.message.includes('oops'));
    assert.throws(() => loadFhirConfig(CONFIG, { keyFile: { text: '["x"]' } }), ConfigError);
  });

  it('checks the size of an encrypt key from any source, naming the source but never the key', () => {
    const short = 'short-key-value';
    const fromEnv = validateFhirConfig(CONFIG, { env: env({ HEALTH_ANONYMIZER_ENCRYPT_KEY: short }) });
    assert.deepEqual(fromEnv.diagnostics.map((d) => `${d.code} ${d.file}`), ['ERR_KEY_SIZE environment variable HEALTH_ANONYMIZER_ENCRYPT_KEY']);
    const fromFile = validateFhirConfig(CONFIG, { keyFile: { text: JSON.stringify({ encryptKey: short }), file: 'k.json' } });
    assert.deepEqual(fromFile.diagnostics.map((d) => `${d.code} ${d.file} ${d.pointer}`), ['ERR_KEY_SIZE k.json /encryptKey']);
    const fromOption = validateFhirConfig(CONFIG, { keys: { encryptKey: short } });
    assert.deepEqual(fromOption.diagnostics.map((d) => d.code), ['ERR_KEY_SIZE']);
    for (const r of [fromEnv, fromFile, fromOption]) for (const d of r.diagnostics) assert.ok(!JSON.stringify(d).includes(short));
  });

  it('keys never appear in the validate command report', () => {
    const secret = 'K3y-That-Must-Not-Leak';
    const text = JSON.stringify({ fhirVersion: 'R4', fhirPathRules: [{ path: 'Patient.id', method: 'cryptoHash' }], parameters: { cryptoHashKey: secret, dateShiftKey: secret, encryptKey: secret } });
    const bad = validateConfigCommand(text, 'c.json');
    assert.equal(bad.ok, false);
    assert.ok(!bad.report.includes(secret));
    const good = validateConfigCommand(text.replace(`"encryptKey":"${secret}"`, '"encryptKey":""'), 'c.json', { env: env({ HEALTH_ANONYMIZER_DATESHIFT_KEY: secret + '2' }) });
    assert.equal(good.ok, true);
    assert.ok(!good.report.includes(secret));
  });
});

describe('config/keys broken key file', () => {
  it('validation reports a key file that is not JSON as a diagnostic (no exception), with its name and position', () => {
    const r = validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [] }, { keyFile: { text: '{\n "cryptoHashKey": "hunter2",,\n}', file: 'k.json' } });
    assert.equal(r.ok, false);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file} ${d.line}:${d.column} ${d.code} ${d.reason}`), ['k.json 2:29 ERR_CONFIG_PARSE syntax']);
    assert.ok(!JSON.stringify(r.diagnostics).includes('hunter2'));
    const report = validateConfigCommand('{"fhirPathRules": []}', 'c.json', { keyFile: { text: '[', file: 'k.json' } });
    assert.equal(report.ok, false);
    assert.match(report.report, /^k\.json:1:2: error ERR_CONFIG_PARSE \[syntax\] at \/: Key file is not valid JSON: unexpected end of input$/m);
  });
});
