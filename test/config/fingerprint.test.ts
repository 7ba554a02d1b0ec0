import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { canonicalJson, fingerprintConfig, getFhirProfile, loadFhirConfig } from '../../src/config/index.ts';
import { fingerprintInput } from '../../src/config/fingerprint.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('config/fingerprint', () => {
  it('is SHA-256 (checked with node:crypto) of the canonical JSON written by hand', () => {
    const config = loadFhirConfig({
      fhirVersion: 'R4',
      fhirPathRules: [{ path: 'Patient.name', method: 'redact' }, { path: 'Patient.birthDate', method: 'perturb', span: 2 }],
      parameters: { cryptoHashKey: 'secret', enablePartialDatesForRedact: true, restrictedZipCodeTabulationAreas: ['036'] },
    });
    const expected = '{"fhirPathRules":[{"index":0,"method":"redact","path":"Patient.name"},' +
      '{"index":1,"method":"perturb","path":"Patient.birthDate","rangeType":"fixed","roundTo":2,"span":2}],' +
      '"fhirVersion":"R4",' +
      '"parameters":{"dateShiftScope":"resource","enablePartialAgesForRedact":false,"enablePartialDatesForRedact":true,' +
      '"enablePartialZipCodesForRedact":false,"restrictedZipCodeTabulationAreas":["036"]},' +
      '"processingErrors":"raise"}';
    assert.equal(fingerprintConfig(config), sha256(expected));
  });

  it('does not depend on keys, key sources or the order members were written in', () => {
    const rules = [{ path: 'Patient.id', method: 'cryptoHash' }];
    const a = loadFhirConfig({ fhirPathRules: rules, parameters: { cryptoHashKey: 'KEY-one-0001', encryptKey: 'KEY-enc-00000001', dateShiftKey: 'KEY-date-0001' } });
    const b = loadFhirConfig({ parameters: { dateShiftKey: 'KEY-date-0002', cryptoHashKey: 'KEY-two-0002' }, fhirPathRules: rules });
    const c = loadFhirConfig({ fhirPathRules: rules }, { keys: { cryptoHashKey: 'KEY-three-0003' } });
    assert.equal(fingerprintConfig(a), fingerprintConfig(b));
    assert.equal(fingerprintConfig(a), fingerprintConfig(c));
    for (const config of [a, b, c]) {
      for (const key of [config.parameters.cryptoHashKey, config.parameters.encryptKey, config.parameters.dateShiftKey]) {
        assert.ok(!canonicalJson(fingerprintInput(config)).includes(key));
      }
    }
  });

  it('changes when a rule, its order or a non-secret parameter changes', () => {
    const base = { fhirPathRules: [{ path: 'Patient.name', method: 'redact' }, { path: 'Patient.id', method: 'keep' }] };
    const f = (cfg: unknown): string => fingerprintConfig(loadFhirConfig(cfg));
    const ref = f(base);
    assert.notEqual(f({ fhirPathRules: [...base.fhirPathRules].reverse() }), ref);
    assert.notEqual(f({ fhirPathRules: [{ path: 'Patient.name', method: 'keep' }, base.fhirPathRules[1]] }), ref);
    assert.notEqual(f({ ...base, parameters: { enablePartialAgesForRedact: true } }), ref);
    assert.notEqual(f({ ...base, processingErrors: 'skip' }), ref);
    assert.notEqual(f({ ...base, fhirVersion: 'R4' }), ref);
    assert.equal(f({ ...base, parameters: { dateShiftScope: 'RESOURCE' } }), ref); // same meaning, same fingerprint
    assert.equal(f({ fhirPathRules: [{ path: 'Patient.name', method: 'REDACT' }, { path: 'Patient.id', method: 'Keep' }] }), ref);
  });

  it('is stable for a built-in profile across loads with different random keys', () => {
    const one = getFhirProfile('hipaa-safe-harbor', 'R4');
    const two = getFhirProfile('hipaa-safe-harbor', 'R4');
    assert.notEqual(one.parameters.dateShiftKey, two.parameters.dateShiftKey);
    assert.equal(fingerprintConfig(one), fingerprintConfig(two));
    assert.match(fingerprintConfig(one), /^[0-9a-f]{64}$/);
    assert.notEqual(fingerprintConfig(one), fingerprintConfig(getFhirProfile('hipaa-safe-harbor', 'Stu3')));
  });

  it('canonical JSON sorts members by code unit and escapes like JSON.stringify', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x"\n'], é: 0.5, B: -0, z: undefined }), '{"B":0,"a":[true,null,"x\\"\\n"],"b":1,"é":0.5}');
    assert.throws(() => canonicalJson({ a: Number.POSITIVE_INFINITY }), TypeError);
  });
});
