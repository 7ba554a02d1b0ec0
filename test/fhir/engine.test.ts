// Engine semantics beyond the reference fixtures: precedence, nesting, labels, scopes,
// lossless JSON, errors. Expected values are derived from the documented rules, with hashes
// and offsets computed independently (node:crypto, the published offset formula).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { createFhirAnonymizer, decryptValue } from '../../src/fhir/anonymizer.ts';
import { InputParseError, InvalidInputError, KeySizeError, RuleCompileError } from '../../src/errors.ts';
import { loadFixtureConfig, makeConfig, readFixture } from './helpers.ts';

const hmac = (s: string): string => createHmac('sha256', 'k').update(s).digest('hex');
type J = Record<string, any>;
const codes = (r: J): string[] => (r['meta']?.security ?? []).map((s: J) => s['code']);

function offsetOf(prefix: string, key: string): number {
  let o = 0;
  for (const b of Buffer.from(prefix + key, 'utf8')) o = (o * 131 + b) % 101;
  return o - 50;
}
function shifted(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('fhir/engine', () => {
  it('keeps decimals as written and the key order', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Observation.status', method: 'redact' }]));
    const text = '{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"t"},"valueQuantity":{"value":1.00,"unit":"mg","system":"http://unitsofmeasure.org"},"component":[{"code":{"text":"c"},"valueQuantity":{"value":12345678901234567890.50}}]}';
    const out = a.anonymizeJson(text);
    assert.ok(out.includes('"value":1.00,'));
    assert.ok(out.includes('"value":12345678901234567890.50}'));
    assert.ok(!out.includes('"status"'));
    assert.deepEqual(Object.keys(JSON.parse(out)), ['resourceType', 'id', 'meta', 'code', 'valueQuantity', 'component']);
  });
  it('uses the native fast path when no number needs care, with identical results', () => {
    const a = createFhirAnonymizer(makeConfig([]));
    const text = '{"resourceType":"Patient","id":"p","birthDate":"2000-01-01","multipleBirthInteger":2,"_birthDate":{"extension":[{"url":"u","valueTime":"10:17:20.120"}]}}';
    assert.equal(a.anonymizeJson(text), text);
  });
  it('pretty-prints like JSON.stringify with two spaces', () => {
    const a = createFhirAnonymizer(makeConfig([]));
    const text = '{"resourceType":"Observation","status":"final","code":{"text":"t"},"valueQuantity":{"value":2.50}}';
    assert.equal(a.anonymizeJson(text, { pretty: true }), JSON.stringify(JSON.parse(text), null, 2).replace('"value": 2.5', '"value": 2.50'));
  });
  it('lets the first rule that reaches an element win', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: "nodesByType('HumanName').family", method: 'keep' },
      { path: "nodesByType('HumanName')", method: 'redact' },
      { path: 'Patient.name.given', method: 'cryptoHash' },
    ], { cryptoHashKey: 'k' }));
    const out: J = a.anonymizeResource({ resourceType: 'Patient', name: [{ family: 'F', given: ['G'], text: 'T' }] });
    assert.deepEqual(out['name'], [{ family: 'F' }]);
    assert.deepEqual(codes(out), ['REDACTED']);
  });
  it('does not let nodesByType cross into contained resources; labels bubble to the container', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: "Condition.nodesByType('Reference').reference", method: 'cryptoHash' },
      { path: 'Patient.name', method: 'redact' },
    ], { cryptoHashKey: 'k' }));
    const out: J = a.anonymizeResource({
      resourceType: 'Condition', subject: { reference: 'Patient/1' },
      contained: [{ resourceType: 'Patient', id: 'p1', name: [{ family: 'X' }], managingOrganization: { reference: 'Organization/2' } }],
      asserter: { reference: '#p1' },
    });
    assert.equal(out['subject'].reference, 'Patient/' + hmac('1'));
    assert.equal(out['asserter'].reference, '#' + hmac('p1'));
    assert.deepEqual(out['contained'][0], { resourceType: 'Patient', id: 'p1', managingOrganization: { reference: 'Organization/2' } });
    assert.deepEqual(codes(out), ['REDACTED', 'CRYTOHASH']);
  });
  it('rejects an element unknown to the contained resource type', () => {
    const a = createFhirAnonymizer(makeConfig([]));
    assert.throws(() => a.anonymizeResource({ resourceType: 'Condition', contained: [{ resourceType: 'Practitioner', bogus: 1 }], subject: { reference: 'x' } }),
      (e: unknown) => e instanceof InvalidInputError && e.location?.pointer === '/contained/0/bogus');
  });
  it('processes Bundle entries as resources with their own labels and gives the Bundle the union', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'Patient.name', method: 'redact' },
      { path: 'Observation.subject', method: 'cryptoHash' },
      { path: 'Bundle', method: 'keep' },
    ], { cryptoHashKey: 'k' }));
    const out: J = a.anonymizeResource({
      resourceType: 'Bundle', type: 'collection', entry: [
        { resource: { resourceType: 'Patient', id: 'a', name: [{ family: 'F' }] } },
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'c' }, subject: { reference: 'Patient/a' } } },
      ],
    });
    assert.deepEqual(codes(out), ['REDACTED', 'CRYTOHASH']);
    assert.deepEqual(codes(out['entry'][0].resource), ['REDACTED']);
    assert.deepEqual(codes(out['entry'][1].resource), ['CRYTOHASH']);
    assert.equal(out['entry'][1].resource.subject.reference, 'Patient/' + hmac('a'));
    assert.equal(out['entry'][0].resource.name, undefined);
  });
  it('does not duplicate an existing label', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.gender', method: 'redact' }]));
    const existing = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED', display: 'redacted' };
    const out: J = a.anonymizeResource({ resourceType: 'Patient', meta: { security: [existing] }, gender: 'male' });
    assert.deepEqual(out['meta'].security, [existing]);
  });
  it('shifts all dates of one patient by one offset across resources (dateShiftScope patient)', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: "nodesByType('Reference').reference", method: 'cryptoHash' },
      { path: "nodesByType('date')", method: 'dateShift' },
      { path: "nodesByType('dateTime')", method: 'dateShift' },
    ], { dateShiftKey: 'key', dateShiftScope: 'patient', cryptoHashKey: 'k' }), { referenceDate: new Date('2026-01-01') });
    const p: J = a.anonymizeResource({ resourceType: 'Patient', id: 'pat-1', birthDate: '1980-05-05' });
    const o: J = a.anonymizeResource({ resourceType: 'Observation', status: 'final', code: { text: 'c' }, subject: { reference: 'Patient/pat-1' }, effectiveDateTime: '1980-05-05T10:00:00Z' });
    const other: J = a.anonymizeResource({ resourceType: 'Observation', status: 'final', code: { text: 'c' }, subject: { reference: 'Patient/pat-2' }, effectiveDateTime: '1980-05-05T10:00:00Z' });
    const days = offsetOf('pat-1', 'key');
    assert.equal(p['birthDate'], shifted('1980-05-05', days));
    assert.equal(o['effectiveDateTime'], shifted('1980-05-05', days) + 'T00:00:00Z');
    assert.equal(other['effectiveDateTime'], shifted('1980-05-05', offsetOf('pat-2', 'key')) + 'T00:00:00Z');
  });
  it('uses the hashed root id as the resource-scope prefix when id hashing comes first (reference quirk)', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: "nodesByType('date')", method: 'dateShift' },
    ], { dateShiftKey: '123', cryptoHashKey: 'k' }), { referenceDate: new Date('2026-01-01') });
    const out: J = a.anonymizeResource({ resourceType: 'Patient', id: 'example', birthDate: '2000-01-01' });
    assert.equal(out['birthDate'], shifted('2000-01-01', offsetOf(hmac('example'), '123')));
    const b = createFhirAnonymizer(makeConfig([
      { path: "nodesByType('date')", method: 'dateShift' },
      { path: 'Resource.id', method: 'cryptoHash' },
    ], { dateShiftKey: '123', cryptoHashKey: 'k' }), { referenceDate: new Date('2026-01-01') });
    assert.equal(b.anonymizeResource({ resourceType: 'Patient', id: 'example', birthDate: '2000-01-01' })['birthDate'], '2000-02-11');
  });
  it('uses the fixed offset and the file scope', () => {
    const fixed = createFhirAnonymizer(makeConfig([{ path: 'Patient.birthDate', method: 'dateShift' }], { dateShiftFixedOffsetInDays: 7 }));
    assert.equal(fixed.anonymizeResource({ resourceType: 'Patient', birthDate: '2000-01-01' })['birthDate'], '2000-01-08');
    const file = createFhirAnonymizer(makeConfig([{ path: 'Patient.birthDate', method: 'dateShift' }], { dateShiftKey: 'x', dateShiftScope: 'file' }));
    assert.equal(file.anonymizeResource({ resourceType: 'Patient', birthDate: '2000-01-01' }, { file: 'a.json' })['birthDate'],
      shifted('2000-01-01', offsetOf('a.json', 'x')));
    assert.deepEqual([...file.stats.dateShiftOffsets], [[offsetOf('a.json', 'x'), 1]]);
  });
  it('redacts dates of people over 89 with the injected reference date', () => {
    const cfg = makeConfig([{ path: 'Patient.birthDate', method: 'dateShift' }], { dateShiftKey: 'x', enablePartialDatesForRedact: true });
    const young: J = createFhirAnonymizer(cfg, { referenceDate: new Date('2010-01-01') }).anonymizeResource({ resourceType: 'Patient', birthDate: '1925-02-07' });
    const old: J = createFhirAnonymizer(cfg, { referenceDate: new Date('2020-01-01') }).anonymizeResource({ resourceType: 'Patient', birthDate: '1925-02-07' });
    assert.notEqual(young['birthDate'], undefined);
    assert.equal(old['birthDate'], undefined);
    assert.deepEqual(codes(old), ['REDACTED']);
  });
  it('perturbs the value of a Quantity and protects its other children', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'Observation.value', method: 'perturb', span: 1, rangeType: 'fixed', roundTo: 1 },
      { path: "nodesByType('Quantity')", method: 'redact' },
    ]));
    const out: J = a.anonymizeResource({ resourceType: 'Observation', status: 'final', code: { text: 'c' }, valueQuantity: { value: 10, unit: 'mg' } });
    assert.equal(out['valueQuantity'].unit, 'mg');
    assert.ok(out['valueQuantity'].value >= 9.5 && out['valueQuantity'].value <= 10.5);
    assert.deepEqual(codes(out), ['PERTURBED']);
  });
  it('encrypts values that decrypt back', () => {
    const key = '704ab12c8e3e46d4bea600ef62a6bec7';
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.name.family', method: 'encrypt' }], { encryptKey: key }));
    const out: J = a.anonymizeResource({ resourceType: 'Patient', name: [{ family: 'Ünïcode' }] });
    assert.equal(decryptValue(key, out['name'][0].family), 'Ünïcode');
    assert.deepEqual(codes(out), ['MASKED']);
  });
  it('redacts extensions on primitives and prunes what becomes empty', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: "nodesByType('Extension')", method: 'redact' }]));
    const out: J = a.anonymizeResource({
      resourceType: 'Patient', birthDate: '2000-01-01',
      _birthDate: { extension: [{ url: 'http://x', valueString: 'secret' }] },
      name: [{ given: ['a', 'b'], _given: [null, { extension: [{ url: 'u', valueString: 's' }] }] }],
    });
    assert.deepEqual(out, { resourceType: 'Patient', meta: out['meta'], birthDate: '2000-01-01', name: [{ given: ['a', 'b'] }] });
  });
  it('reads a single value where the model repeats as a list of one', () => {
    const out: J = createFhirAnonymizer(makeConfig([])).anonymizeResource({ resourceType: 'Patient', name: { family: 'F' } });
    assert.deepEqual(out['name'], [{ family: 'F' }]);
  });
  it('yields the empty labelled resource on a skippable error with processingErrors skip', () => {
    const cfg = makeConfig([{ path: 'Patient.name.family', method: 'generalize', cases: { '$this > 1': '1' } }], {}, { processingErrors: 'skip' });
    const out: J = createFhirAnonymizer(cfg).anonymizeResource({ resourceType: 'Patient', name: [{ family: 'F' }] });
    assert.deepEqual(out, { resourceType: 'Patient', meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED', display: 'redacted' }] } });
  });
  it('reports malformed JSON with an offset and without the text', () => {
    const a = createFhirAnonymizer(makeConfig([]));
    assert.throws(() => a.anonymizeJson('{"resourceType":"Patient","name":[{"family":"Secretname"'),
      (e: unknown) => e instanceof InputParseError && typeof e.location?.offset === 'number' && !e.message.includes('Secret'));
  });
  it('rejects an unknown resource type and does not modify its input', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.name', method: 'redact' }]));
    assert.throws(() => a.anonymizeResource({ resourceType: 'NotAType' }), InvalidInputError);
    const input = { resourceType: 'Patient', name: [{ family: 'F' }] };
    const copy = structuredClone(input);
    a.anonymizeResource(input);
    assert.deepEqual(input, copy);
  });
  it('counts resources and changes per rule and method', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.name.given', method: 'redact' }, { path: 'Patient.gender', method: 'keep' }]));
    a.anonymizeResource({ resourceType: 'Patient', gender: 'male', name: [{ given: ['a', 'b'] }] });
    a.anonymizeResource({ resourceType: 'Patient', name: [{ given: ['c'] }] });
    assert.equal(a.stats.resources, 2);
    assert.deepEqual(a.stats.byRule, [3, 0]);
    assert.deepEqual(a.stats.byMethod, { redact: 3 });
  });
  it('runs the HIPAA sample (R4) over the reference NDJSON patient without leaving names, ids or the narrative', () => {
    const a = createFhirAnonymizer(loadFixtureConfig('R4.FunctionalTests/r4-configuration-sample.json', 'R4'), { referenceDate: new Date('2026-01-01') });
    const line = readFixture('Shared.FunctionalTests/Patient-1.ndjson').trim();
    const input = JSON.parse(line);
    const out: J = JSON.parse(a.anonymizeJson(line));
    const text = JSON.stringify(out);
    for (const secret of ['Chalmers', 'Peter', input.id, 'Erewhon', input.identifier?.[0]?.value].filter((x) => typeof x === 'string')) {
      assert.ok(!text.includes(secret));
    }
    assert.equal(out['id'], createHmac('sha256', '123').update(input.id).digest('hex'));
    assert.equal(out['text'], undefined);
    assert.ok(codes(out).includes('REDACTED') && codes(out).includes('CRYTOHASH'));
  });
  it('evaluates FHIRPath remainders on repeating primitives', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: "Patient.name.given.where($this = 'b')", method: 'redact' },
      { path: "Patient.telecom.where(system = 'email').value", method: 'cryptoHash' },
    ], { cryptoHashKey: 'k' }));
    const out: J = a.anonymizeResource({
      resourceType: 'Patient', name: [{ given: ['a', 'b', 'c'] }],
      telecom: [{ system: 'phone', value: '1' }, { system: 'email', value: 'x@y' }],
    });
    assert.deepEqual(out['name'], [{ given: ['a', 'c'] }]);
    assert.deepEqual(out['telecom'], [{ system: 'phone', value: '1' }, { system: 'email', value: hmac('x@y') }]);
  });
  it('evaluates whole expressions with operators (the HIPAA "onset as Age" perturb rule)', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'FamilyMemberHistory.condition.onset as Age', method: 'perturb', span: 0.1, rangeType: 'proportional', roundTo: 0 },
      { path: 'FamilyMemberHistory.condition.onset', method: 'redact' },
    ]));
    const fmh = (onset: Record<string, unknown>): J => a.anonymizeResource({
      resourceType: 'FamilyMemberHistory', status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'r' },
      condition: [{ code: { text: 'c' }, ...onset }],
    });
    const age: J = fmh({ onsetAge: { value: 50, unit: 'a' } });
    assert.ok(age['condition'][0].onsetAge.value >= 47 && age['condition'][0].onsetAge.value <= 53);
    assert.equal(age['condition'][0].onsetAge.unit, 'a');
    assert.deepEqual(codes(age), ['PERTURBED']);
    const text: J = fmh({ onsetString: 'in childhood' });
    assert.equal(text['condition'][0].onsetString, undefined);
    assert.deepEqual(codes(text), ['REDACTED']);
  });
  it('fails at creation on an expression that does not compile or a bad encrypt key', () => {
    assert.throws(() => createFhirAnonymizer(makeConfig([{ path: 'Patient.name.where(', method: 'redact' }])),
      (e: unknown) => e instanceof RuleCompileError && e.location?.pointer === '/fhirPathRules/0/path');
    assert.throws(() => createFhirAnonymizer(makeConfig([{ path: 'Patient.gender', method: 'generalize', cases: { '$this = ': "'x'" } }])),
      (e: unknown) => e instanceof RuleCompileError && e.location?.pointer === '/fhirPathRules/0/cases/0');
    assert.throws(() => createFhirAnonymizer(makeConfig([{ path: 'Patient.gender', method: 'encrypt' }], { encryptKey: 'short' })), KeySizeError);
  });
  it('locates primitives that fhirpath.js returns wrapped (decimals, dates) through ofType and as', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'c' }, valueQuantity: { value: 5, unit: 'mg' }, effectiveDateTime: '2020-01-01' };
    for (const path of ['Observation.value.ofType(Quantity).value', '(Observation.value as Quantity).value']) {
      const out: J = createFhirAnonymizer(makeConfig([{ path, method: 'redact' }])).anonymizeResource(obs);
      assert.deepEqual(out['valueQuantity'], { unit: 'mg' }, path);
    }
    const d: J = createFhirAnonymizer(makeConfig([{ path: 'Observation.effective.ofType(dateTime)', method: 'redact' }])).anonymizeResource(obs);
    assert.equal(d['effectiveDateTime'], undefined);
  });
  it('lets a rule reach into nested resources through a path, before the nested resource\'s own rules', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: 'Patient.name', method: 'keep' },
      { path: 'Bundle.entry.resource.name.family', method: 'redact' },
      { path: "Patient.contained.where(resourceType = 'Practitioner')", method: 'redact' },
    ]));
    const out: J = a.anonymizeResource({
      resourceType: 'Bundle', type: 'collection', entry: [{ resource: {
        resourceType: 'Patient', name: [{ family: 'F', given: ['G'] }],
        contained: [{ resourceType: 'Practitioner', id: 'x', name: [{ family: 'P' }] }],
      } }],
    });
    const patient = out['entry'][0].resource;
    assert.deepEqual(patient.name, [{ given: ['G'] }]);
    assert.deepEqual(patient.contained, [{ resourceType: 'Practitioner' }]);
    assert.deepEqual(codes(out), ['REDACTED']);
    assert.deepEqual(codes(patient), ['REDACTED']);
  });
  it('keeps no state from a resource that failed', () => {
    const cfg = makeConfig([
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: 'Patient.name.family', method: 'generalize', cases: { '$this > 1': '1' } },
    ], { cryptoHashKey: 'k' }, { processingErrors: 'skip' });
    const a = createFhirAnonymizer(cfg);
    assert.deepEqual(codes(a.anonymizeResource({ resourceType: 'Patient', id: 'one', name: [{ family: 'F' }] })), ['REDACTED']);
    const ok: J = a.anonymizeResource({ resourceType: 'Patient', id: 'two' });
    assert.equal(ok['id'], hmac('two'));
    assert.deepEqual(codes(ok), ['CRYTOHASH']);
    assert.deepEqual(a.stats.byRule, [1, 0], 'only the resource that succeeded is counted');
    assert.equal(a.stats.resources, 1);
  });
  it('runs nodesByType further down a path, and on the resource itself', () => {
    const a = createFhirAnonymizer(makeConfig([
      { path: "Patient.contact.nodesByType('HumanName').family", method: 'redact' },
      { path: "Observation.nodesByType('Observation').status", method: 'redact' },
    ]));
    const p: J = a.anonymizeResource({ resourceType: 'Patient', name: [{ family: 'Own' }], contact: [{ name: { family: 'C', given: ['G'] } }] });
    assert.deepEqual(p['name'], [{ family: 'Own' }]);
    assert.deepEqual(p['contact'], [{ name: { given: ['G'] } }]);
    const o: J = a.anonymizeResource({ resourceType: 'Observation', status: 'final', code: { text: 'c' } });
    assert.equal(o['status'], undefined);
  });
});

describe('fhir/engine unknown sidecars (review finding 7)', () => {
  it('a `_name` member whose base name is only inherited by JS objects is an unknown element', () => {
    const a = createFhirAnonymizer(makeConfig([{ path: 'Patient.name', method: 'redact' }]));
    for (const key of ['_constructor', '_toString', '_hasOwnProperty']) {
      const text = `{"resourceType":"Patient","${key}":{"id":"x"}}`;
      assert.throws(() => a.anonymizeJson(text), (e: unknown) => e instanceof InvalidInputError && e.location?.pointer === `/${key}`, key);
      assert.throws(() => a.anonymizeResource(JSON.parse(text)), InvalidInputError, key);
    }
  });
});

describe('fhir/engine JSON kinds (review finding 1)', () => {
  it('a primitive written as the wrong JSON kind is invalid input, never passed through', () => {
    // FHIR JSON: dates are strings, booleans are booleans, integers and decimals are numbers.
    const a = createFhirAnonymizer(makeConfig([{ path: "nodesByType('date')", method: 'dateShift' }, { path: "nodesByType('dateTime')", method: 'dateShift' }]));
    const cases: [string, string][] = [
      ['{"resourceType":"Patient","id":"p1","birthDate":19600302}', '/birthDate'],
      ['{"resourceType":"Patient","id":"p1","deceasedDateTime":true}', '/deceasedDateTime'],
      ['{"resourceType":"Patient","id":"p1","active":"true"}', '/active'],
      ['{"resourceType":"Patient","id":"p1","name":[{"given":["Ann",7]}]}', '/name/0/given/1'],
      ['{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"valueQuantity":{"value":"5"}}', '/valueQuantity/value'],
    ];
    for (const [text, pointer] of cases) {
      assert.throws(() => a.anonymizeJson(text), (e: unknown) => e instanceof InvalidInputError && e.location?.pointer === pointer && !e.message.includes('1960'), text);
      assert.throws(() => a.anonymizeResource(JSON.parse(text)), InvalidInputError, text);
    }
  });
});
