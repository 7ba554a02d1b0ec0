// Differential test of the compiled rule matcher against fhirpath.js (an independent FHIRPath
// engine): every plain element path of the reference HIPAA sample (R4) is run once compiled and
// once forced through fhirpath.js, on a sample of Synthea resources; the outputs must be equal.
// nodesByType rules are compared with descendants().ofType(T), which is equivalent on this data
// (no contained resources, and no typed elements under extensions for the types compared).
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { createFhirAnonymizer } from '../../src/fhir/anonymizer.ts';
import { compileRule } from '../../src/fhir/plan.ts';
import { loadFixtureConfig, makeConfig, readFixture } from './helpers.ts';

const resources = readFixture('synthea-r4-sample.ndjson').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const sample = loadFixtureConfig('R4.FunctionalTests/r4-configuration-sample.json', 'R4');

function run(path: string, resource: Record<string, unknown>): unknown {
  return createFhirAnonymizer(makeConfig([{ path, method: 'redact' }]), { referenceDate: new Date('2026-01-01') }).anonymizeResource(resource);
}

describe('fhir/differential (compiled paths vs fhirpath.js)', () => {
  it('plain element paths select the same elements', () => {
    let compared = 0;
    let changed = 0;
    for (const rule of sample.fhirPathRules) {
      const c = compileRule(rule, 0);
      if (c.resourceOnly || c.start.kind !== 'root' || c.remainder !== '' || c.resourceType === undefined) continue;
      if (c.steps.some((x) => typeof x !== 'string')) continue;
      const forced = `${c.resourceType}.(${c.steps.join('.')})`;
      const f = compileRule({ ...rule, path: forced }, 0);
      assert.ok(f.steps.length === 0 && f.remainder !== '', 'the forced path goes to fhirpath.js');
      for (const r of resources) {
        if (r['resourceType'] !== c.resourceType) continue;
        const a = run(rule.path, r);
        assert.deepEqual(a, run(forced, r), rule.path);
        compared++;
        if (JSON.stringify(a) !== JSON.stringify(r)) changed++;
      }
    }
    assert.ok(compared >= 20 && changed >= 10, `compared ${compared}, changed ${changed}`);
  });
  it("nodesByType('T')[.child] selects what descendants().ofType(T)[.child] selects", () => {
    let changed = 0;
    for (const [type, child] of [['HumanName', ''], ['Address', ''], ['Identifier', 'value'], ['Reference', 'reference'], ['Coding', 'code'],
      ['CodeableConcept', 'text'], ['ContactPoint', ''], ['Attachment', 'url'], ['Narrative', ''], ['Annotation', ''], ['Period', 'start']] as const) {
      const suffix = child === '' ? '' : `.${child}`;
      for (const r of resources) {
        const a = run(`nodesByType('${type}')${suffix}`, r);
        assert.deepEqual(a, run(`(descendants().ofType(${type})${suffix})`, r), `${type}${suffix} on ${String(r['resourceType'])}`);
        if (JSON.stringify(a) !== JSON.stringify(r)) changed++;
      }
    }
    assert.ok(changed >= 40, `changed ${changed}`);
  });
  it('anonymizeJson writes what anonymizeResource returns, and anonymizeResource leaves its input alone', () => {
    const configs = ['R4.FunctionalTests/r4-configuration-sample.json', 'Shared.FunctionalTests/Configurations/common-config.json',
      'Shared.FunctionalTests/Configurations/substitute-multiple.json', 'Shared.FunctionalTests/Configurations/redact-all-config.json'];
    const inputs = [...resources.map((r) => JSON.stringify(r)), ...['patient-basic', 'bundle-basic', 'contained-in-bundle', 'patient-generalize',
      'patient-substitute-multiple', 'patient-null-date', 'patient-special-content']
      .map((n) => JSON.stringify(JSON.parse(readFixture(`Shared.FunctionalTests/TestResources/${n}.json`))))];
    let n = 0;
    for (const file of configs) {
      const a = createFhirAnonymizer(loadFixtureConfig(file, 'R4'), { referenceDate: new Date('2026-01-01') });
      for (const text of inputs) {
        const input = JSON.parse(text) as Record<string, unknown>;
        assert.equal(a.anonymizeJson(text), JSON.stringify(a.anonymizeResource(input)), file);
        assert.deepEqual(input, JSON.parse(text), 'anonymizeResource left its input alone');
        n++;
      }
    }
    assert.equal(n, configs.length * inputs.length);
  });
  it('prunes empty and null input elements and normalizes lists in both entry points', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.gender', method: 'keep' }]));
    const text = JSON.stringify({
      resourceType: 'Patient', name: [], telecom: [{}], maritalStatus: {}, gender: null, _birthDate: {},
      address: { city: 'C', line: [null, 'L'] }, contact: [{ name: { given: [null] }, gender: 'male' }],
      communication: [{ language: { text: 'en', coding: [] }, preferred: null }],
      link: [{ other: { reference: 'Patient/1', _reference: {} }, type: 'seealso' }],
    });
    const expected = {
      resourceType: 'Patient', address: [{ city: 'C', line: ['L'] }], contact: [{ gender: 'male' }],
      communication: [{ language: { text: 'en' } }], link: [{ other: { reference: 'Patient/1' }, type: 'seealso' }],
    };
    assert.deepEqual(JSON.parse(a.anonymizeJson(text)), expected);
    assert.deepEqual(a.anonymizeResource(JSON.parse(text)), expected);
  });
});
