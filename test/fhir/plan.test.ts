// How rule paths are compiled: which shapes become typed steps and what is left to fhirpath.js.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { compilePlan, compileRule } from '../../src/fhir/plan.ts';
import { RuleCompileError } from '../../src/errors.ts';
import type { FhirRule } from '../../src/config/fhir-types.ts';
import { makeConfig } from './helpers.ts';

const rule = (path: string): FhirRule => ({ path, method: 'redact', index: 0 });

describe('fhir/plan', () => {
  it('compiles resource-type rules', () => {
    assert.deepEqual({ ...compileRule(rule('Patient'), 0), rule: undefined },
      { rule: undefined, order: 0, resourceType: 'Patient', resourceOnly: true, start: { kind: 'root' }, steps: [], remainder: '', whole: false });
    const any = compileRule(rule('Resource'), 0);
    assert.equal(any.resourceType, undefined);
    assert.equal(any.resourceOnly, true);
  });
  it('compiles nodesByType / nodesByName with child steps, with or without a resource type', () => {
    const a = compileRule(rule("nodesByType('HumanName').use"), 3);
    assert.deepEqual([a.resourceType, a.start, a.steps, a.remainder], [undefined, { kind: 'type', value: 'HumanName' }, ['use'], '']);
    const b = compileRule(rule('Patient.nodesByName("postalCode")'), 0);
    assert.deepEqual([b.resourceType, b.start, b.steps], ['Patient', { kind: 'name', value: 'postalCode' }, []]);
  });
  it('keeps element steps and leaves functions to fhirpath.js', () => {
    const a = compileRule(rule("Patient.nodesByType('Address').where(city='KeepTest')"), 0);
    assert.deepEqual([a.steps, a.remainder, a.whole], [[], "where(city='KeepTest')", false]);
    const b = compileRule(rule("Patient.telecom.where(system='email').value"), 0);
    assert.deepEqual([b.steps, b.remainder], [['telecom'], "where(system='email').value"]);
    const c = compileRule(rule('Resource.id'), 0);
    assert.deepEqual([c.resourceType, c.steps, c.remainder], [undefined, ['id'], '']);
  });
  it('evaluates expressions with top-level operators whole', () => {
    const a = compileRule(rule('FamilyMemberHistory.condition.onset as Age'), 0);
    assert.deepEqual([a.resourceType, a.whole, a.remainder, a.steps], ['FamilyMemberHistory', true, 'condition.onset as Age', []]);
  });
  it('compiles nodesByType further down a path, and rejects it after other functions', () => {
    const a = compileRule(rule("Patient.contact.nodesByType('HumanName').given"), 0);
    assert.deepEqual([a.start, a.steps, a.remainder], [{ kind: 'root' }, ['contact', { kind: 'type', value: 'HumanName' }, 'given'], '']);
    assert.throws(() => compileRule(rule("Patient.contact.where(gender='male').nodesByType('HumanName')"), 0), RuleCompileError);
  });
  it('filters rules by resource type and merges plain paths into a trie', () => {
    const plan = compilePlan(makeConfig([
      { path: 'Patient.name.given', method: 'redact' }, { path: 'Patient.name', method: 'keep' },
      { path: 'Observation.value', method: 'redact' }, { path: "nodesByType('date')", method: 'dateShift' },
    ]));
    const m = plan.matchersFor('Patient');
    assert.equal(m.all.length, 3);
    assert.deepEqual(m.trie.next.get('name')?.orders, [1]);
    assert.deepEqual(m.trie.next.get('name')?.next.get('given')?.orders, [0]);
    assert.deepEqual(m.other.map((r) => r.order), [3]);
  });
});
