import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { describe, it } from '../harness.ts';
import {
  DEFAULT_FHIR_PROFILE, FHIR_CONFIG_SCHEMA, getFhirProfile, getFhirProfileSource, listFhirProfiles, readJsonText, validateFhirConfig,
} from '../../src/config/index.ts';
import { UnsupportedError } from '../../src/errors.ts';
import { fixtureText, repoText } from './fixtures.ts';

interface RuleLike { path: string; method: string; [k: string]: unknown }

// The typo fixes documented in src/config/profiles/*.ts and docs/fhir-profiles.md: reference path → our path (null: removed).
const FIXES: Record<'R4' | 'Stu3', Record<string, string | null>> = {
  R4: { 'HealthcareService.notAvaliable.description': 'HealthcareService.notAvailable.description' },
  Stu3: {
    'HealthcareService.notAvaliable.description': 'HealthcareService.notAvailable.description',
    'DeviceComponent.ProductionSpecification.productionSpec': 'DeviceComponent.productionSpecification.productionSpec',
    'Claim.supportingInfo.value': 'Claim.information.value',
    'Invoice.cancelledReason': null,
  },
};

// This project's additions (ADDED: in src/config/profiles/*.ts, listed in docs/fhir-profiles.md; security review 1,
// findings 3 and 4): each inserted right after the reference rule named (`null`: at the very start of the list).
const BUNDLE_AND_FREE_TEXT: readonly RuleLike[] = [
  { path: 'Bundle.entry.request.ifNoneExist', method: 'redact' },
  { path: 'Bundle.entry.request.ifMatch', method: 'redact' },
  { path: 'Bundle.entry.request.ifNoneMatch', method: 'redact' },
  { path: 'Bundle.link.url', method: 'redact' },
  { path: 'Bundle.entry.link.url', method: 'redact' },
  { path: 'OperationOutcome.issue.diagnostics', method: 'redact' },
  { path: 'Parameters.parameter.value.ofType(string)', method: 'redact' },
  { path: 'Parameters.parameter.value.ofType(markdown)', method: 'redact' },
  { path: 'Parameters.parameter.repeat(part).value.ofType(string)', method: 'redact' },
  { path: 'Parameters.parameter.repeat(part).value.ofType(markdown)', method: 'redact' },
  { path: 'DocumentReference.description', method: 'redact' },
  { path: 'DocumentManifest.description', method: 'redact' },
  { path: 'DocumentManifest.source', method: 'redact' },
  { path: 'Composition.title', method: 'redact' },
  { path: 'Composition.section.title', method: 'redact' },
  { path: 'Device.url', method: 'redact' },
];
const sequenceRepository = (type: string): RuleLike[] =>
  ['url', 'datasetId', 'variantsetId', 'readsetId'].map((e) => ({ path: `${type}.repository.${e}`, method: 'redact' }));
const ADDITIONS: Record<'R4' | 'Stu3', ReadonlyArray<readonly [after: string, rules: readonly RuleLike[]]>> = {
  R4: [
    ['Resource.id', [{ path: "nodesByName('id')", method: 'redact' }, { path: "nodesByType('Meta').versionId", method: 'redact' }, { path: "nodesByType('Meta').source", method: 'redact' }]],
    ['Bundle.entry.response.location', [...BUNDLE_AND_FREE_TEXT, ...sequenceRepository('MolecularSequence')]],
    ['ImagingStudy.series.instance.title', [{ path: 'ImagingStudy.series.uid', method: 'cryptoHash' }, { path: 'ImagingStudy.series.instance.uid', method: 'cryptoHash' }]],
    ['InsurancePlan.plan.generalCost.comment', [{ path: "nodesByType('Dosage').text", method: 'redact' }, { path: "nodesByType('Dosage').patientInstruction", method: 'redact' }]],
  ],
  Stu3: [
    ['Resource.id', [{ path: "nodesByName('id')", method: 'redact' }, { path: "nodesByType('Meta').versionId", method: 'redact' }]],
    ['Bundle.entry.response.location', [...BUNDLE_AND_FREE_TEXT, ...sequenceRepository('Sequence')]],
    ['ImagingStudy.series.instance.title', [{ path: 'ImagingStudy.uid', method: 'cryptoHash' }, { path: 'ImagingStudy.series.uid', method: 'cryptoHash' }, { path: 'ImagingStudy.series.instance.uid', method: 'cryptoHash' }]],
    ['ImagingManifest.description', [{ path: 'ImagingManifest.study.uid', method: 'cryptoHash' }, { path: 'ImagingManifest.study.series.uid', method: 'cryptoHash' }, { path: 'ImagingManifest.study.series.instance.uid', method: 'cryptoHash' }]],
  ],
};
// Review 1, finding 5: the union of the reference's 14 restricted ZIP prefixes and HHS's 17 (2000 Census).
const RESTRICTED_ZIP3 = ['036', '059', '063', '102', '203', '205', '369', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'];
const ADDED_ZIP3 = ['063', '790', '830', '831', '890'];

const SAMPLES = { R4: 'ms/R4.CommandLineTool/configuration-sample.json', Stu3: 'ms/Stu3.CommandLineTool/configuration-sample.json' } as const;

describe('config/profiles', () => {
  it('lists hipaa-safe-harbor for R4 and STU3 as the default', () => {
    assert.equal(DEFAULT_FHIR_PROFILE, 'hipaa-safe-harbor');
    assert.deepEqual(listFhirProfiles().map((p) => [p.name, p.versions]), [['hipaa-safe-harbor', ['R4', 'Stu3']]]);
  });

  for (const version of ['R4', 'Stu3'] as const) {
    it(`${version}: is the reference sample rule for rule, except the documented fixes and additions`, () => {
      const sample = readJsonText(fixtureText(SAMPLES[version])).value as { fhirPathRules: RuleLike[]; parameters: Record<string, unknown> };
      const expected: RuleLike[] = [];
      const pending = new Map(ADDITIONS[version]);
      for (const rule of sample.fhirPathRules) {
        const fix = FIXES[version][rule.path];
        if (fix === null) continue;
        expected.push(fix === undefined ? rule : { ...rule, path: fix });
        const added = pending.get(rule.path);
        if (added !== undefined) {
          expected.push(...added);
          pending.delete(rule.path);
        }
      }
      assert.deepEqual([...pending.keys()], [], 'every addition has its anchor rule in the sample');
      const profile = getFhirProfileSource('hipaa-safe-harbor', version);
      assert.deepEqual(profile.fhirPathRules, expected);
      const { encryptKey: _e, restrictedZipCodeTabulationAreas: profileZip, ...profileParams } = profile.parameters as Record<string, unknown>;
      const { encryptKey: _s, restrictedZipCodeTabulationAreas: sampleZip, ...sampleParams } = sample.parameters;
      assert.deepEqual(profileParams, sampleParams);
      assert.deepEqual(profileZip, RESTRICTED_ZIP3);
      assert.deepEqual([...(sampleZip as string[]), ...ADDED_ZIP3].sort(), RESTRICTED_ZIP3, 'the list is the sample\'s plus the HHS-only prefixes');
    });

    it(`${version}: loads, every path compiles with the ${version} model and names known elements (no diagnostics)`, () => {
      const r = validateFhirConfig(getFhirProfileSource('hipaa-safe-harbor', version), { fhirVersion: version });
      assert.equal(r.ok, true);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.config!.fhirVersion, version);
      assert.equal(r.config!.fhirPathRules.length, version === 'R4' ? 193 + 27 : 157 + 28);
      // the reference sample itself has the typos: our model check finds exactly them
      const sample = validateFhirConfig(fixtureText(SAMPLES[version]), { fhirVersion: version });
      const flagged = sample.diagnostics.filter((d) => d.reason === 'unknown-element').map((d) => (readJsonText(fixtureText(SAMPLES[version])).value as { fhirPathRules: RuleLike[] }).fhirPathRules[Number(d.pointer.split('/')[2])]!.path);
      assert.deepEqual(flagged.sort(), Object.keys(FIXES[version]).sort());
    });

    it(`${version}: keys are random per load unless supplied`, () => {
      const a = getFhirProfile('hipaa-safe-harbor', version);
      const b = getFhirProfile('hipaa-safe-harbor', version);
      assert.notEqual(a.parameters.dateShiftKey, b.parameters.dateShiftKey);
      assert.deepEqual(a.keySources, { cryptoHashKey: 'random', encryptKey: 'random', dateShiftKey: 'random' });
      const c = getFhirProfile('hipaa-safe-harbor', version, { keys: { cryptoHashKey: 'vault-key' }, env: (n) => (n === 'HEALTH_ANONYMIZER_DATESHIFT_KEY' ? 'env-key' : undefined) });
      assert.equal(c.parameters.cryptoHashKey, 'vault-key');
      assert.equal(c.parameters.dateShiftKey, 'env-key');
      assert.equal(c.parameters.enablePartialZipCodesForRedact, true);
      assert.equal(c.parameters.restrictedZipCodeTabulationAreas.length, 19);
    });
  }

  it('gives copies: changing a returned source does not change the profile', () => {
    const source = getFhirProfileSource('hipaa-safe-harbor', 'R4') as { fhirPathRules: RuleLike[] };
    source.fhirPathRules.length = 0;
    assert.equal(getFhirProfileSource('hipaa-safe-harbor', 'R4').fhirPathRules.length, 220);
  });

  it('rejects an unknown profile name', () => {
    assert.throws(() => getFhirProfile('gdpr-magic', 'R4'), (e: unknown) => e instanceof UnsupportedError && e.code === 'ERR_UNSUPPORTED');
    assert.throws(() => getFhirProfileSource('nope', 'Stu3'), UnsupportedError);
  });

  it('schemas/fhir-config.schema.json is the schema the loader uses, and it accepts the reference samples', () => {
    // Regenerate after editing src/config/fhir-schema.ts:
    // deno eval "import { FHIR_CONFIG_SCHEMA as s } from './src/config/fhir-schema.ts'; Deno.writeTextFileSync('schemas/fhir-config.schema.json', JSON.stringify(s, null, 2) + '\n')"
    assert.equal(repoText('schemas/fhir-config.schema.json'), `${JSON.stringify(FHIR_CONFIG_SCHEMA, null, 2)}\n`, 'schemas/fhir-config.schema.json is stale');
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictRequired: false, strictTypes: false });
    // The loader compiles the schema without checking it against the meta-schema (start-up cost): this is that check.
    assert.equal(ajv.validateSchema(FHIR_CONFIG_SCHEMA), true, 'the schema is valid draft-07');
    const validate = ajv.compile(JSON.parse(repoText('schemas/fhir-config.schema.json')));
    for (const file of Object.values(SAMPLES)) assert.equal(validate(readJsonText(fixtureText(file)).value), true, file);
    assert.equal(validate({ fhirPathRules: [{ path: 'Patient', method: 'perturb' }] }), false);
    assert.equal(validate({ fhirPathRules: [{ path: 'Patient', method: 'DateShift' }] }), true);
  });
});
