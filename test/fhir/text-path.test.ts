// Differential test of the text walker (text-path.ts: compact JSON anonymized by editing its text)
// against the general path (typed tree, then written back): the same bytes, the same counters, the
// same errors; and the texts it must leave to the other paths. The general path is the oracle, as in
// fast-path.test.ts; the golden cases of the reference tool check the general path itself.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { getCore } from '../../src/core/index.ts';
import { createFhirAnonymizer, type FhirAnonymizer, type FhirRunContext } from '../../src/fhir/anonymizer.ts';
import { FAST_PATH_DECLINED, FastPath } from '../../src/fhir/fast-path.ts';
import { parseJsonLossless, stringifyJson } from '../../src/fhir/lossless-json.ts';
import { getFhirModel } from '../../src/fhir/model.ts';
import { compilePlan } from '../../src/fhir/plan.ts';
import { TextPath } from '../../src/fhir/text-path.ts';
import { Utf8Sink } from '../../src/fhir/utf8-sink.ts';
import { createCryptoHasher } from '../../src/methods/crypto-hash.ts';
import { dateShiftOffset } from '../../src/methods/date-shift.ts';
import type { FhirConfig } from '../../src/config/fhir-types.ts';
import { loadFixtureConfig, makeConfig, readFixture } from './helpers.ts';

const lines = readFixture('synthea-r4-sample.ndjson').trim().split('\n');
const referenceDate = new Date('2026-01-01');

function hipaa(parameters: Record<string, unknown> = {}): FhirConfig {
  const base = loadFixtureConfig('R4.FunctionalTests/r4-configuration-sample.json', 'R4');
  return { ...base, parameters: { ...base.parameters, cryptoHashKey: 'text-hash-key', dateShiftKey: 'text-date-key', ...parameters } };
}

/** The general path's output as anonymizeJson writes it (lossless numbers). */
function generalJson(a: FhirAnonymizer, text: string, context: FhirRunContext = {}): string {
  const parsed = parseJsonLossless(text);
  return stringifyJson(a.anonymizeResource(parsed.value as Record<string, unknown>, context), false, parsed.lossless);
}

/** A text walker over its own fast path, to see whether it takes a text. */
function walker(config: FhirConfig): TextPath {
  const model = getFhirModel('R4');
  const core = getCore();
  const hasher = createCryptoHasher(core, config.parameters.cryptoHashKey, [...model.resourceTypes]);
  return new TextPath(new FastPath({
    model, plan: compilePlan(config), parameters: config.parameters, core, now: () => referenceDate, hasher: () => hasher,
    encryptKey: () => new Uint8Array(16), offsetFor: (prefix) => dateShiftOffset(prefix, config.parameters.dateShiftKey),
  }));
}

function takes(w: TextPath, text: string): boolean {
  try {
    w.run(text, undefined);
    return true;
  } catch (err) {
    if (err !== FAST_PATH_DECLINED) throw err;
    return false;
  }
}

/** anonymizeJson, anonymizeJsonTo with the ASCII copy and without it: the same bytes as the general path, or the same error. */
function check(config: FhirConfig, text: string, context: FhirRunContext = {}): void {
  let expected: string | undefined;
  let failure: unknown;
  try {
    expected = generalJson(createFhirAnonymizer(config, { referenceDate }), text, context);
  } catch (err) {
    failure = err;
  }
  const a = createFhirAnonymizer(config, { referenceDate });
  if (failure !== undefined) {
    assert.throws(() => a.anonymizeJson(text, context), (err: unknown) => {
      assert.equal((err as Error).constructor, (failure as Error).constructor, text);
      assert.deepEqual((err as { location?: unknown }).location, (failure as { location?: unknown }).location, text);
      return true;
    }, text);
    const sink = new Utf8Sink(16);
    assert.throws(() => a.anonymizeJsonTo(text, context, sink), text);
    assert.equal(sink.output().length, 0, 'nothing written on failure');
    return;
  }
  assert.equal(a.anonymizeJson(text, context), expected, text);
  const bytes = new TextEncoder().encode(text);
  for (const viaBytes of [true, false]) {
    // With the bytes (ASCII or not: non-ASCII bytes must be ignored) and without.
    const sink = new Utf8Sink(4);
    sink.byte(0x7b); // something already in the sink stays
    a.anonymizeJsonTo(text, context, sink, viaBytes ? { bytes, start: 0, end: bytes.length } : undefined);
    assert.equal(new TextDecoder().decode(sink.output()), '{' + expected, text);
  }
}

describe('fhir/text-path (text walker vs general path)', () => {
  it('takes every Synthea line of the sample under the HIPAA rules, with the general path\'s bytes and counters', () => {
    for (const [config, context] of [[hipaa(), {}], [hipaa({ dateShiftScope: 'file' }), { file: 'x.ndjson' }], [hipaa({ dateShiftFixedOffsetInDays: 3 }), {}]] as const) {
      const w = walker(config);
      let taken = 0;
      for (const line of lines) if (takes(w, line)) taken++;
      assert.equal(taken, lines.length);
      const fast = createFhirAnonymizer(config, { referenceDate });
      const general = createFhirAnonymizer(config, { referenceDate });
      for (const line of lines) assert.equal(fast.anonymizeJson(line, context), generalJson(general, line, context));
      assert.equal(fast.stats.resources, general.stats.resources);
      assert.deepEqual(fast.stats.byRule, general.stats.byRule);
      assert.deepEqual(fast.stats.byMethod, general.stats.byMethod);
      assert.deepEqual([...fast.stats.dateShiftOffsets].sort(), [...general.stats.dateShiftOffsets].sort());
    }
  });

  it('removes members and items with their commas, first, middle, last and all, and prunes what is emptied', () => {
    const config = makeConfig([
      { path: "nodesByName('family')", method: 'redact' },
      { path: "nodesByName('given')", method: 'redact' },
      { path: 'Patient.telecom', method: 'redact' },
      { path: "nodesByType('HumanName').text", method: 'redact' },
      { path: 'Patient.address.line', method: 'redact' },
      { path: 'Patient.gender', method: 'redact' },
    ], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    const inputs = [
      '{"resourceType":"Patient","id":"p","name":[{"family":"F","given":["A","B"],"use":"official"}]}',
      '{"resourceType":"Patient","id":"p","name":[{"use":"official","family":"F"}]}',
      '{"resourceType":"Patient","id":"p","name":[{"family":"F"}],"gender":"male"}',
      '{"resourceType":"Patient","name":[{"family":"F"},{"use":"usual","given":["x"]},{"text":"t"}],"active":true}',
      '{"resourceType":"Patient","active":true,"name":[{"family":"F","text":"t"}]}',
      '{"resourceType":"Patient","telecom":[{"value":"1"}],"address":[{"line":["a","b"],"city":"C"},{"line":["c"]}],"gender":"other"}',
      '{"resourceType":"Patient","id":"p","gender":"female"}',
      '{"resourceType":"Patient","gender":"female"}',
      '{"resourceType":"Patient","id":"p","meta":{"versionId":"1"},"gender":"female","active":false}',
      '{"resourceType":"Patient","id":"p","name":[],"address":[{}],"active":true}',
      '{"resourceType":"Patient","id":"p","address":[{"line":["a"],"period":{"start":"2020-01-01"}}]}',
    ];
    const w = walker(config);
    for (const text of inputs) {
      assert.ok(takes(w, text), text);
      check(config, text);
    }
  });

  it('labels as the general path does: new meta after id, into a kept meta, after a pruned meta, at the end', () => {
    const config = makeConfig([
      { path: 'Patient.birthDate', method: 'dateShift' },
      { path: 'Resource.meta.versionId', method: 'redact' },
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: 'Patient.address', method: 'redact' },
    ], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    const inputs = [
      '{"resourceType":"Patient","id":"p","birthDate":"1980-03-04"}',
      '{"resourceType":"Patient","birthDate":"1980-03-04"}',
      '{"resourceType":"Patient","id":"p"}',
      '{"resourceType":"Patient","id":"p","meta":{"versionId":"1"},"gender":"male"}',
      '{"resourceType":"Patient","id":"p","meta":{"versionId":"1","lastUpdated":"2020-01-01T00:00:00Z"},"gender":"male"}',
      '{"resourceType":"Patient","meta":{"lastUpdated":"2020-01-01T00:00:00Z","versionId":"1"}}',
      '{"resourceType":"Patient","id":"p","address":[{"city":"C"}]}',
      '{"resourceType":"Patient","id":"p","address":[{"city":"C"}],"meta":{"versionId":"2"}}',
      '{"resourceType":"Patient","id":"p","gender":"male","meta":{"profile":["http://x"]}}',
      '{"resourceType":"Patient","gender":"male"}',
    ];
    const w = walker(config);
    for (const text of inputs) {
      assert.ok(takes(w, text), text);
      check(config, text);
    }
  });

  it('hashes ids and references and shifts dates as the general path does, contained resources included', () => {
    const config = makeConfig([
      { path: "nodesByType('Reference').reference", method: 'cryptoHash' },
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: "nodesByType('dateTime')", method: 'dateShift' },
      { path: "nodesByType('instant')", method: 'dateShift' },
      { path: 'Observation.value', method: 'encrypt' },
      { path: "nodesByName('postalCode')", method: 'redact' },
    ], { cryptoHashKey: 'k', dateShiftKey: 'd', enablePartialZipCodesForRedact: true, restrictedZipCodeTabulationAreas: ['036'] });
    const inputs = [
      '{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"c"},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2015-02-07T13:28:17-05:00","issued":"2015-02-07T13:28:17.123Z"}',
      '{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"c"},"subject":{"reference":"urn:uuid:3b5d9e4c-1a2b-4c3d-8e9f-0a1b2c3d4e5f"},"performer":[{"reference":"#c1"}],"contained":[{"resourceType":"Practitioner","id":"c1","address":[{"postalCode":"03601"},{"postalCode":"98052"}]}]}',
      '{"resourceType":"Observation","id":"o3","status":"final","code":{"text":"c"},"subject":{"reference":"http://example.org/fhir/Patient/p1/_history/2"},"valueString":"secret"}',
      '{"resourceType":"Observation","id":"o4","status":"final","code":{"text":"c"},"subject":{"reference":"Patient/p1"},"focus":[{"reference":"Patient/p1"},{"reference":"Group/g"}]}',
      '{"resourceType":"Observation","status":"final","code":{"text":"c"},"effectiveDateTime":"2015-02","issued":"2015-02-07T13:28:17+00:00"}',
      '{"resourceType":"Observation","id":"o5","status":"final","code":{"text":"c"},"effectivePeriod":{"start":"1920-01-01","end":"2015-02-07T13:28"}}',
    ];
    const w = walker(config);
    for (const text of inputs) {
      assert.ok(takes(w, text), text);
      if (!text.includes('"valueString"')) check(config, text); // encrypt draws a random IV: checked below
    }
    const a = createFhirAnonymizer(config, { referenceDate });
    const out = JSON.parse(a.anonymizeJson(inputs[2]!)) as Record<string, unknown>;
    assert.notEqual(out['valueString'], 'secret');
    assert.ok(/^[A-Za-z0-9+/]+=*$/.test(String(out['valueString'])));
  });

  it('keeps escapes JSON.stringify writes, non-ASCII text and numbers as written', () => {
    const config = hipaa();
    const inputs = [
      '{"resourceType":"Patient","id":"p","text":{"status":"generated","div":"<div>a \\"quoted\\" \\\\ word\\nline\\ttab\\b\\f\\r</div>"},"gender":"male"}',
      '{"resourceType":"Patient","id":"p\\"q","gender":"male"}',
      '{"resourceType":"Patient","id":"p","name":[{"family":"Müller","given":["José","😀"]}],"gender":"female"}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"valueQuantity":{"value":1.50,"unit":"mg"}}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"valueQuantity":{"value":-0}}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"valueQuantity":{"value":1E+2}}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"valueQuantity":{"value":12345678901234567890}}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"valueInteger":0}',
    ];
    const w = walker(config);
    for (const text of inputs) {
      assert.ok(takes(w, text), text);
      check(config, text);
    }
  });

  it('leaves other texts to the other paths, which give the output or the located error', () => {
    const config = hipaa();
    const cases: string[] = [
      '{ "resourceType":"Patient","id":"p","gender":"male"}',
      '{"resourceType":"Patient","id":"p","gender":"male"} ',
      '{"resourceType":"Patient", "id":"p"}',
      '{"resourceType":"Patient","id":"p","gender":"m\\u0061le"}',
      '{"resourceType":"Patient","id":"p","gender":"male","text":{"status":"generated","div":"a\\/b"}}',
      '{"resourceType":"Patient","id":"p","gend\\u0065r":"male"}',
      '{"resourceType":"Patient","id":"p","gender":"male","gender":"female"}',
      '{"resourceType":"Patient","id":"p","name":[{"family":"A","family":"B"}]}',
      '{"resourceType":"Patient","gender":"male","id":"p"}',
      '{"resourceType":"Patient","id":"p","meta":{"security":[{"code":"X"}]},"birthDate":"1980-01-01"}',
      '{"resourceType":"Patient","id":"p","gender":"ma\tle"}',
      '{"resourceType":"Patient","id":"p","gender":"ma\u0001le"}',
      '{"resourceType":"Patient","id":"p","gender":"\ud800"}',
      '{"resourceType":"Patient","id":"p","gender":null}',
      '{"resourceType":"Patient","id":"p","_gender":{"id":"x"}}',
      '{"resourceType":"Patient","id":"p","nickname":"x"}',
      '{"resourceType":"Patient","id":"p","active":"true"}',
      '{"resourceType":"Patient","id":"p","name":{"family":"F"}}',
      '{"resourceType":"Patient","id":"p","gender":"male"',
      '{"resourceType":"Patient","id":"p","gender":"male"}}',
      '{"resourceType":"Patient","id":"p","gender":"male",}',
      '{"resourceType":"Patient","id":"p","multipleBirthInteger":01}',
      '{"resourceType":"Patient","id":"p","multipleBirthInteger":1.}',
      '{"resourceType":"Patient","id":"p","active":tru}',
      '{"resourceType":"Nope","id":"p"}',
      '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p","birthDate":"1980-01-01"}}]}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"contained":[]}',
      '[{"resourceType":"Patient"}]',
      '{"id":"p","resourceType":"Patient","gender":"male"}',
      '{"resourceType":"Observation","id":"o","status":"final","code":{"text":"c"},"contained":[{"id":"c","resourceType":"Patient"}]}',
      // Review findings: single-valued elements given as arrays (labels must not go inside them; the id is the offset prefix).
      '{"resourceType":"Patient","id":"p","meta":[{"versionId":"1"}],"birthDate":"1980-03-04"}',
      '{"resourceType":"Patient","id":["p"],"birthDate":"1980-03-04"}',
      '{"resourceType":"Patient","id":["p","q"],"gender":"male"}',
      '{"resourceType":"Patient","id":"p","gender":["male"]}',
      '{}',
    ];
    const w = walker(config);
    for (const text of cases) {
      assert.ok(!takes(w, text), `should decline: ${text}`);
      check(config, text);
    }

  });

  it('agrees with the general path on randomly altered Synthea resources', () => {
    // Members dropped, arrays emptied, values swapped between members, resources re-keyed: each
    // variant is either taken with the general path's bytes or declined to the paths that handle it.
    const config = hipaa();
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alter = (v: unknown, depth: number): unknown => {
      if (Array.isArray(v)) {
        const out = v.filter(() => rand(6) !== 0).map((x) => alter(x, depth + 1));
        return rand(10) === 0 ? [] : out;
      }
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        const keys = Object.keys(v);
        for (const k of keys) {
          if (depth > 0 && rand(7) === 0) continue;
          out[k] = alter((v as Record<string, unknown>)[k], depth + 1);
        }
        if (depth > 0 && rand(25) === 0) out['extra'] = 'x'; // unknown element: an error on every path
        return out;
      }
      if (typeof v === 'string' && rand(40) === 0) return '';
      return v;
    };
    const w = walker(config);
    let taken = 0;
    let variants = 0;
    for (let round = 0; round < 3; round++) {
      for (const line of lines) {
        const text = JSON.stringify(alter(JSON.parse(line), 0));
        variants++;
        if (takes(w, text)) taken++;
        check(config, text);
      }
    }
    assert.ok(taken > variants / 2, `taken ${taken} of ${variants}`);
  });
  it('puts the labels last in meta when a rule emptied meta.security, as the general path does', () => {
    const config = makeConfig([
      { path: 'Resource.meta.security', method: 'redact' },
      { path: 'Patient.birthDate', method: 'dateShift' },
    ], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    check(config, '{"resourceType":"Patient","id":"p","meta":{"security":[{"code":"X"}],"versionId":"1"},"birthDate":"1980-03-04"}');
    check(config, '{"resourceType":"Patient","id":"p","meta":{"versionId":"1","security":[{"code":"X"}]},"birthDate":"1980-03-04"}');
  });
  it('reads the output of a run once', () => {
    const w = walker(hipaa());
    assert.ok(takes(w, lines[0]!));
    assert.ok(w.text().length > 0);
    assert.throws(() => w.text());
  });
  it('redacts ages under the partial option as the general path does (kept up to 89 whole years, removed otherwise)', () => {
    const rules = [{ path: "nodesByType('Age')", method: 'redact' }, { path: 'FamilyMemberHistory.patient', method: 'keep' }];
    const inputs = ['45', '89', '90', '45.5', '-1', '0'].map((age) =>
      `{"resourceType":"FamilyMemberHistory","id":"f","status":"completed","patient":{"reference":"Patient/p"},"relationship":{"text":"x"},"deceasedAge":{"value":${age},"unit":"a"}}`);
    for (const partial of [true, false]) {
      const config = makeConfig(rules, { cryptoHashKey: 'k', dateShiftKey: 'd', enablePartialAgesForRedact: partial });
      const w = walker(config);
      for (const text of inputs) {
        assert.ok(takes(w, text), text);
        w.text();
        check(config, text);
      }
    }
  });
  it('shifts dates with the processed id, and leaves an id given as an array to the general path (review P3)', () => {
    const config = makeConfig([
      { path: 'Resource.id', method: 'cryptoHash' },
      { path: 'Patient.birthDate', method: 'dateShift' },
    ], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    for (const text of ['{"resourceType":"Patient","id":"p","birthDate":"1980-03-04"}', '{"resourceType":"Patient","id":["p","q"],"birthDate":"1980-03-04"}', '{"resourceType":"Patient","id":["p"],"birthDate":"1980-03-04"}']) check(config, text);
  });
  it('holds no edits of a huge resource after it, taken or declined (review F5, N2)', () => {
    const config = makeConfig([{ path: "nodesByName('given')", method: 'cryptoHash' }], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    const w = walker(config);
    const given = Array.from({ length: 6000 }, (_, i) => `"g${i}"`).join(',');
    const held = (): number => (w as unknown as { texts: unknown[] }).texts.filter((t) => t !== undefined).length;
    assert.ok(takes(w, `{"resourceType":"Patient","id":"p","name":[{"given":[${given}]}]}`));
    w.text();
    assert.equal(held(), 0);
    assert.ok(!takes(w, `{"resourceType":"Patient","id":"p","name":[{"given":[${given}]}],"nickname":"x"}`));
    assert.equal(held(), 0);
  });
  it('ignores bytes that are not the text\'s own ASCII form (review N1)', () => {
    const config = makeConfig([{ path: "nodesByName('family')", method: 'redact' }], { cryptoHashKey: 'k', dateShiftKey: 'd' });
    const text = '{"resourceType":"Patient","id":"p","name":[{"given":["éééééé"],"family":"SECRET"}]}';
    const bytes = new TextEncoder().encode(text);
    const sink = new Utf8Sink(16);
    createFhirAnonymizer(config, { referenceDate }).anonymizeJsonTo(text, {}, sink, { bytes, start: 0, end: bytes.length });
    const out = new TextDecoder().decode(sink.output());
    assert.equal(out, generalJson(createFhirAnonymizer(config, { referenceDate }), text));
    assert.ok(!out.includes('EC') && !out.includes('SECRET'));
  });
});
