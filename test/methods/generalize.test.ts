// Generalize vectors from the reference tool's GeneralizeProcessorTests, run through the engine
// (FHIRPath cases evaluated by fhirpath.js on real elements).
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { createFhirAnonymizer } from '../../src/fhir/anonymizer.ts';
import { generalizeValue } from '../../src/methods/generalize.ts';
import { ProcessingError } from '../../src/errors.ts';
import { makeConfig } from '../fhir/helpers.ts';

function run(rule: Record<string, unknown>, resource: Record<string, unknown>): Record<string, unknown> {
  return createFhirAnonymizer(makeConfig([rule])).anonymizeResource(resource);
}

const BANDS = { '$this>=0 and $this<20': '20', '$this>=20 and $this<40': '40', '$this>=40 and $this<60': '60', '$this>=60 and $this<80': '80' };

describe('methods/generalize', () => {
  it('selects the first matching case', () => {
    const cases = [{ predicate: (x: number) => x < 10, value: () => 'a' }, { predicate: () => true, value: () => 'b' }];
    assert.deepEqual(generalizeValue(5, cases, 'redact'), { kind: 'value', value: 'a' });
    assert.deepEqual(generalizeValue(50, cases, 'redact'), { kind: 'value', value: 'b' });
    assert.deepEqual(generalizeValue(50, [], 'keep'), { kind: 'keep' });
  });
  it('maps integers into bands; others are redacted or kept', () => {
    for (const [input, expected] of [[5, 20], [20, 40], [43, 60], [78, 80]] as const) {
      const out = run({ path: 'Patient.multipleBirth', method: 'generalize', cases: BANDS }, { resourceType: 'Patient', multipleBirthInteger: input });
      assert.equal(out['multipleBirthInteger'], expected, String(input));
    }
    const redacted = run({ path: 'Patient.multipleBirth', method: 'generalize', cases: BANDS }, { resourceType: 'Patient', multipleBirthInteger: 110 });
    assert.equal(redacted['multipleBirthInteger'], undefined);
    const kept = run({ path: 'Patient.multipleBirth', method: 'generalize', cases: BANDS, otherValues: 'keep' }, { resourceType: 'Patient', multipleBirthInteger: 110 });
    assert.equal(kept['multipleBirthInteger'], 110);
    assert.deepEqual((kept['meta'] as { security: Array<{ code: string }> }).security.map((s) => s.code), ['GENERALIZED']);
  });
  it('evaluates arithmetic value expressions', () => {
    const cases = { '$this>=-20 and $this<80': '($this div 10 -1)*10' };
    for (const [input, expected] of [[5, -10], [20, 10], [43, 30], [78, 60]] as const) {
      const out = run({ path: 'Patient.multipleBirth', method: 'generalize', cases }, { resourceType: 'Patient', multipleBirthInteger: input });
      assert.equal(out['multipleBirthInteger'], expected, String(input));
    }
  });
  it('masks strings and maps codes', () => {
    const out = run(
      { path: 'Patient.address.postalCode', method: 'generalize', cases: { "$this.startsWith('123')": "$this.substring(0,3)+'****'" } },
      { resourceType: 'Patient', address: [{ postalCode: '1230005' }, { postalCode: '9990005' }] },
    );
    assert.deepEqual(out['address'], [{ postalCode: '123****' }]);
    const lang = { "$this in ('en-AU' | 'en-CA' | 'en-GB' | 'en-US')": "'en'", "('es-AR' | 'es-ES' | 'es-UY') contains $this": "'es'" };
    for (const [input, expected] of [['en-AU', 'en'], ['es-ES', 'es'], ['en-CI', undefined]] as const) {
      const o = run({ path: 'Patient.communication.language.coding.code', method: 'generalize', cases: lang },
        { resourceType: 'Patient', communication: [{ language: { coding: [{ system: 's', code: input }] } }] });
      const coding = ((o['communication'] as Array<{ language: { coding: Array<Record<string, unknown>> } }>)[0]!).language.coding[0]!;
      assert.equal(coding['code'], expected, input);
    }
  });
  it('compares dateTimes across time zones as FHIRPath does', () => {
    const cases = { '$this >= @1990-01-01T00:00:00Z and $this <= @2000-01-01T00:00:00+08:00': '@2000-01-01T00:00:00Z' };
    const at = (v: string): unknown => run({ path: 'Observation.issued', method: 'generalize', cases },
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued: v })['issued'];
    assert.equal(at('2000-01-01T00:00:00Z'), undefined);
    assert.equal(at('2000-01-01T00:00:00+09:00'), '2000-01-01T00:00:00Z');
  });
  it('turns a failing case into a processing error', () => {
    assert.throws(() => run({ path: 'Patient.name.family', method: 'generalize', cases: { '$this>=0 and $this<20': '20' } },
      { resourceType: 'Patient', name: [{ family: 'Smith' }] }), ProcessingError);
  });
});
