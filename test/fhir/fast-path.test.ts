// Differential test of the fast path (anonymizeJson: one in-place walk of the parsed JSON) against
// the general path (anonymizeResource: typed tree, then written back), on the Synthea sample and on
// inputs the fast path must leave to the general path. Same output bytes, same counters.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { getCore } from '../../src/core/index.ts';
import { createFhirAnonymizer, type FhirAnonymizer, type FhirRunContext } from '../../src/fhir/anonymizer.ts';
import { FAST_PATH_DECLINED, FastPath } from '../../src/fhir/fast-path.ts';
import { parseJsonLossless, stringifyJson } from '../../src/fhir/lossless-json.ts';
import { getFhirModel } from '../../src/fhir/model.ts';
import { compilePlan } from '../../src/fhir/plan.ts';
import { createCryptoHasher } from '../../src/methods/crypto-hash.ts';
import { dateShiftOffset } from '../../src/methods/date-shift.ts';
import type { FhirConfig } from '../../src/config/fhir-types.ts';
import { loadFixtureConfig, makeConfig, readFixture } from './helpers.ts';

const lines = readFixture('synthea-r4-sample.ndjson').trim().split('\n');
const referenceDate = new Date('2026-01-01');

function hipaa(parameters: Record<string, unknown> = {}): FhirConfig {
  const base = loadFixtureConfig('R4.FunctionalTests/r4-configuration-sample.json', 'R4');
  return { ...base, parameters: { ...base.parameters, cryptoHashKey: 'fast-hash-key', dateShiftKey: 'fast-date-key', ...parameters } };
}

/** Configurations of every shape the fast path takes, and some it declines per resource type. */
const configs: Array<[string, FhirConfig, FhirRunContext]> = [
  ['HIPAA sample', hipaa(), {}],
  ['HIPAA sample, file scope', hipaa({ dateShiftScope: 'file' }), { file: 'a.ndjson' }],
  ['HIPAA sample, folder scope, no partial redaction', hipaa({
    dateShiftScope: 'folder', enablePartialDatesForRedact: false, enablePartialAgesForRedact: false, enablePartialZipCodesForRedact: false,
  }), { folder: 'in' }],
  ['HIPAA sample, fixed offset', hipaa({ dateShiftFixedOffsetInDays: 7 }), {}],
  ['common-config (where() rules send Patient to the general path)', loadFixtureConfig('Shared.FunctionalTests/Configurations/common-config.json', 'R4'), {}],
  ['rule shapes', makeConfig([
    { path: "nodesByName('display')", method: 'keep' },
    { path: "nodesByType('Coding').system", method: 'redact' },
    { path: "nodesByName('valueQuantity').value", method: 'redact' },
    { path: 'Observation.code.coding', method: 'cryptoHash' },
    { path: "Claim.nodesByType('Reference')", method: 'cryptoHash' },
    { path: 'Encounter', method: 'redact' },
    { path: 'Resource.meta', method: 'keep' },
    { path: "nodesByType('Period')", method: 'dateShift' },
    { path: 'Patient.address.postalCode', method: 'redact' },
    { path: "nodesByType('Extension')", method: 'keep' },
    { path: 'DomainResource.text', method: 'redact' },
    { path: 'ExplanationOfBenefit.contained', method: 'keep' },
    { path: "nodesByType('Reference').reference", method: 'cryptoHash' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: "nodesByType('dateTime')", method: 'dateShift' },
  ], { cryptoHashKey: 'k', dateShiftKey: 'd', enablePartialZipCodesForRedact: true, restrictedZipCodeTabulationAreas: ['981'] }), {}],
  ['date rule before the id rule', makeConfig([
    { path: "nodesByType('dateTime')", method: 'dateShift' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: "nodesByType('date')", method: 'dateShift' },
  ], { cryptoHashKey: 'k', dateShiftKey: 'd' }), {}],
];

/** The general path's output as anonymizeJson writes it (decimals such as 0.0 keep their text). */
function generalJson(a: FhirAnonymizer, line: string, context: FhirRunContext = {}): string {
  const parsed = parseJsonLossless(line);
  return stringifyJson(a.anonymizeResource(parsed.value as Record<string, unknown>, context), false, parsed.lossless);
}

function sameStats(a: FhirAnonymizer, b: FhirAnonymizer, what: string): void {
  assert.equal(a.stats.resources, b.stats.resources, what);
  assert.deepEqual(a.stats.byRule, b.stats.byRule, what);
  assert.deepEqual(a.stats.byMethod, b.stats.byMethod, what);
  assert.deepEqual([...a.stats.dateShiftOffsets].sort(), [...b.stats.dateShiftOffsets].sort(), what);
}

describe('fhir/fast-path (fast path vs general path)', () => {
  it('writes the same bytes and counts the same changes on the Synthea sample', () => {
    for (const [name, config, context] of configs) {
      const fast = createFhirAnonymizer(config, { referenceDate });
      const general = createFhirAnonymizer(config, { referenceDate });
      let changed = 0;
      for (const line of lines) {
        const out = fast.anonymizeJson(line, context);
        assert.equal(out, generalJson(general, line, context), name);
        if (!parseJsonLossless(line).lossless) {
          assert.equal(fast.anonymizeJson(line, { ...context, pretty: true }), JSON.stringify(JSON.parse(out), null, 2), name);
        }
        if (out !== line) changed++;
      }
      assert.ok(changed >= 30, `${name}: changed ${changed}`);
      assert.ok(general.stats.resources >= lines.length, name);
      // The fast engine ran every line twice.
      const again = createFhirAnonymizer(config, { referenceDate });
      for (const line of lines) again.anonymizeJson(line, context);
      sameStats(again, general, name);
    }
  });

  it('takes the Synthea resources itself under the HIPAA sample, contained resources included', () => {
    const base = hipaa();
    const config: FhirConfig = {
      ...base,
      fhirPathRules: [...base.fhirPathRules, { ...base.fhirPathRules[0]!, path: 'FamilyMemberHistory.condition.onset as Age', index: base.fhirPathRules.length }],
    };
    const model = getFhirModel('R4');
    const core = getCore();
    const hasher = createCryptoHasher(core, config.parameters.cryptoHashKey, [...model.resourceTypes]);
    const fast = new FastPath({
      model, plan: compilePlan(config), parameters: config.parameters, core, now: () => referenceDate, hasher: () => hasher,
      encryptKey: () => new Uint8Array(16), offsetFor: (prefix) => dateShiftOffset(prefix, config.parameters.dateShiftKey),
    });
    const general = createFhirAnonymizer(config, { referenceDate });
    let taken = 0;
    let contained = 0;
    // Lines with decimals such as 0.0 need the lossless reader, and so the general path: here they are normalized.
    const normalized = lines.map((l) => (parseJsonLossless(l).lossless ? JSON.stringify(JSON.parse(l)) : l));
    assert.ok(normalized.some((l, i) => l !== lines[i]));
    for (const line of normalized) {
      const parsed = parseJsonLossless(line); // decimals such as 0.0 need the lossless reader, and so the general path
      const result = fast.run(parsed.value as Record<string, unknown>, undefined);
      assert.equal(JSON.stringify(result.resource), JSON.stringify(general.anonymizeResource(JSON.parse(line) as Record<string, unknown>)));
      taken++;
      if (result.resources > 1) contained++;
    }
    assert.equal(taken, lines.length);
    // And on the lossless reader's values (decimals such as 0.0 keep their text).
    let lossless = 0;
    for (const line of lines) {
      const parsed = parseJsonLossless(line);
      if (!parsed.lossless) continue;
      const result = fast.run(parsed.value as Record<string, unknown>, undefined);
      assert.ok(result.numbers > 0);
      assert.equal(stringifyJson(result.resource, false, true), generalJson(general, line));
      lossless++;
    }
    assert.ok(lossless >= 2, `lossless ${lossless}`);
    assert.ok(contained >= 2, `contained ${contained}`);
    // FamilyMemberHistory carries an "as Age" rule (fhirpath.js): declined before anything is touched.
    const history = { resourceType: 'FamilyMemberHistory', status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'x' } };
    const copy = structuredClone(history);
    assert.throws(() => fast.run(copy, undefined), (e: unknown) => e === FAST_PATH_DECLINED);
    assert.deepEqual(copy, history);
  });

  it('labels resources as the general path does: existing meta and security kept, meta placed after id', () => {
    const config = hipaa();
    const inputs: unknown[] = [
      { resourceType: 'Patient', id: 'p1', meta: { security: [{ code: 'REDACTED' }, { system: 's', code: 'X' }] }, text: { status: 'generated', div: '<div/>' }, gender: 'male' },
      { resourceType: 'Patient', id: 'p1', meta: { versionId: '1' }, birthDate: '1980-03-04' },
      { resourceType: 'Patient', text: { status: 'generated', div: '<div/>' }, id: 'p1', gender: 'male' },
      { resourceType: 'Patient', text: { status: 'generated', div: '<div/>' }, gender: 'male' },
      { resourceType: 'Patient', meta: { lastUpdated: '2020-01-01T00:00:00Z' } },
      { resourceType: 'Patient', gender: 'male' },
      { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'c' }, meta: { security: [] },
        contained: [{ resourceType: 'Patient', id: 'c1', birthDate: '1970-01-02', address: [{ postalCode: '98052' }] }] },
    ];
    for (const input of inputs) {
      const text = JSON.stringify(input);
      const fast = createFhirAnonymizer(config, { referenceDate });
      const general = createFhirAnonymizer(config, { referenceDate });
      assert.equal(fast.anonymizeJson(text), generalJson(general, text), text);
      sameStats(fast, general, text);
    }
  });

  it('leaves sidecars, nulls, nested resources and malformed elements to the general path, with the same result or error', () => {
    const config = hipaa();
    const inputs: unknown[] = [
      { resourceType: 'Patient', id: 'p1', birthDate: '1980-03-04', _birthDate: { extension: [{ url: 'http://x', valueString: 'v' }] } },
      { resourceType: 'Patient', id: 'p1', _gender: { id: 'g' } },
      { resourceType: 'Patient', id: 'p1', gender: null, name: [{ given: ['A', null] }] },
      { resourceType: 'Patient', id: 'p1', name: { family: 'F' } },
      { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', id: 'p2', birthDate: '1970-01-02' } }] },
      { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'c' }, contained: [{ resourceType: 'Patient', id: 'c1', birthDate: '1970-01-02' }] },
      { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'c' }, valueQuantity: { value: 1.5 }, contained: [] },
      { resourceType: 'Patient', id: 'p1', name: [{}], telecom: [], address: [{ line: [] }] },
    ];
    for (const input of inputs) {
      const text = JSON.stringify(input);
      const a = createFhirAnonymizer(config, { referenceDate });
      assert.equal(a.anonymizeJson(text), generalJson(createFhirAnonymizer(config, { referenceDate }), text), text);
    }
    const errors: unknown[] = [
      { resourceType: 'Patient', id: 'p1', nickname: 'x' },
      { resourceType: 'Patient', id: 'p1', name: [{ given: [{ x: 1 }] }] },
      { resourceType: 'Patient', id: 'p1', name: ['x'] },
      { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'c' }, contained: [{ resourceType: 'Nope' }] },
      { resourceType: 'Nope' },
    ];
    for (const input of errors) {
      const text = JSON.stringify(input);
      let expected: unknown;
      try {
        createFhirAnonymizer(config, { referenceDate }).anonymizeResource(structuredClone(input) as Record<string, unknown>);
      } catch (err) {
        expected = err;
      }
      assert.ok(expected instanceof Error, text);
      assert.throws(() => createFhirAnonymizer(config, { referenceDate }).anonymizeJson(text), (err: unknown) => {
        assert.equal((err as Error).constructor, (expected as Error).constructor);
        assert.equal((err as Error).message, (expected as Error).message);
        assert.deepEqual((err as { location?: unknown }).location, (expected as { location?: unknown }).location);
        return true;
      }, text);
    }
  });
});
