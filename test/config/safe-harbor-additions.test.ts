import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { getFhirProfile } from '../../src/config/index.ts';
import { createFhirAnonymizer } from '../../src/fhir/index.ts';

// Review 1, findings 3, 4 and 5 (ZIP list): what this project's additions to the built-in
// hipaa-safe-harbor profiles (marked ADDED: in src/config/profiles/) must remove from real
// resources. The expectations come from the review's probes (values that survived the
// reference sample) and from HMAC-SHA256 computed with node:crypto, never from our output.
type J = Record<string, unknown>;
const HASH_KEY = 'review-1-hash-key';
const hmac = (v: string): string => createHmac('sha256', HASH_KEY).update(v, 'utf8').digest('hex');

function run(version: 'R4' | 'Stu3', resource: J): { out: J; text: string } {
  const config = getFhirProfile('hipaa-safe-harbor', version, { keys: { cryptoHashKey: HASH_KEY, dateShiftKey: 'review-1-date-key' } });
  const a = createFhirAnonymizer(config, { referenceDate: new Date('2025-01-01T00:00:00Z') });
  const text = a.anonymizeJson(JSON.stringify(resource));
  return { out: JSON.parse(text) as J, text };
}

function assertGone(text: string, secrets: readonly string[]): void {
  for (const s of secrets) assert.equal(text.includes(s), false, `a value that must be removed survived (secret #${secrets.indexOf(s)})`);
}

const outcome = (): J => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'duplicate', diagnostics: 'Patient John Smith MRN12345 already exists', expression: ['Patient.identifier[0]'] }],
});

for (const version of ['R4', 'Stu3'] as const) {
  describe(`config/hipaa-safe-harbor additions (${version})`, () => {
    it('finding 3: Bundle request conditions, link urls and OperationOutcome diagnostics are removed', () => {
      const bundle: J = {
        resourceType: 'Bundle',
        type: 'batch-response',
        link: [{ relation: 'self', url: 'http://hosp.example/fhir/Patient?name=Smith&birthdate=1960-03-02' }],
        entry: [
          {
            link: [{ relation: 'alternate', url: 'http://hosp.example/fhir/Patient?identifier=MRN12345' }],
            request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=http://hosp|MRN12345&name=Smith', ifMatch: 'W/"MRN12345-v7"', ifNoneMatch: 'W/"Smith-v2"' },
            response: { status: '412', outcome: outcome() },
          },
          { resource: outcome(), search: { mode: 'outcome' } },
        ],
      };
      const { out, text } = run(version, bundle);
      assertGone(text, ['MRN12345', 'Smith', '1960-03-02', 'hosp.example']);
      const entries = out['entry'] as J[];
      assert.deepEqual(entries[0]!['request'], { method: 'POST' }, 'only the method stays (url was already redacted by the reference)');
      assert.deepEqual(out['link'], [{ relation: 'self' }]);
      // OperationOutcome keeps its coded issue, and the harmless FHIRPath location
      const issue = ((entries[1]!['resource'] as J)['issue'] as J[])[0]!;
      assert.equal(issue['severity'], 'error');
      assert.equal('diagnostics' in issue, false);
      assert.deepEqual(issue['expression'], ['Patient.identifier[0]']);
      assert.deepEqual(entries[1]!['search'], { mode: 'outcome' }, 'Bundle.entry.search (mode, score) is kept');
    });

    it('finding 4: Dosage text and patient instruction are removed (R4 had no rule)', () => {
      const { text } = run(version, {
        resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' },
        dosageInstruction: [{ text: 'Take one, Mrs Smith', patientInstruction: 'Call Dr Smith at 555-1234', sequence: 1 }],
      });
      assertGone(text, ['Smith', '555-1234']);
      assert.match(text, /"sequence":1/);
    });

    it('finding 4: DocumentReference.description and Parameters string values are removed, other values kept', () => {
      assertGone(run(version, {
        resourceType: 'DocumentReference', status: 'current', description: 'Discharge letter for John Smith', subject: { reference: 'Patient/p1' },
      }).text, ['Smith']);
      const { out, text } = run(version, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'name', valueString: 'John Smith' },
          { name: 'note', valueMarkdown: '**Smith** at home' },
          { name: 'onlyCertainMatches', valueBoolean: true },
          { name: 'count', valueInteger: 3 },
          { name: 'group', part: [{ name: 'family', valueString: 'Smithson', part: [{ name: 'given', valueString: 'Johnny' }] }] },
        ],
      });
      assertGone(text, ['Smith', 'Johnny']);
      const params = out['parameter'] as J[];
      assert.deepEqual(params.map((p) => p['name']), ['name', 'note', 'onlyCertainMatches', 'count', 'group'], 'parameter names are kept');
      assert.equal(params[2]!['valueBoolean'], true);
      assert.equal(params[3]!['valueInteger'], 3);
    });

    it('finding 4: element ids and meta.versionId are removed; resource ids stay hashed; dates are still shifted, not removed', () => {
      const meta: J = version === 'R4' ? { versionId: 'MTU5MzAxMjM0NTY3ODkw', source: 'http://hosp.example/ehr#Smith' } : { versionId: 'MTU5MzAxMjM0NTY3ODkw' };
      const { out, text } = run(version, {
        resourceType: 'Patient', id: 'pat-1', meta,
        birthDate: '1960-03-02', _birthDate: { id: 'Smith-birth' },
        gender: 'male', _gender: { id: 'MRN12345' },
      });
      assertGone(text, ['Smith', 'MRN12345', 'MTU5MzAxMjM0NTY3ODkw', 'hosp.example', '1960-03-02']);
      assert.equal(out['id'], hmac('pat-1'));
      assert.match(out['birthDate'] as string, /^\d{4}-\d{2}-\d{2}$/, 'birthDate is shifted, not removed');
      assert.equal(out['gender'], 'male');
      assert.equal('_birthDate' in out, false);
    });

    it('finding 4: ImagingStudy UIDs are replaced by their HMAC (so the same UID still matches across resources)', () => {
      const series = '1.2.840.113619.2.55.3.604688119.969.1268071029.320';
      const sop = '1.2.840.113619.2.55.3.604688119.969.1268071029.321';
      const study = '1.2.840.113619.2.55.3.604688119.969.1268071029.319';
      const resource: J = version === 'R4'
        ? { resourceType: 'ImagingStudy', status: 'available', subject: { reference: 'Patient/p1' },
            series: [{ uid: series, modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }, instance: [{ uid: sop, sopClass: { code: '1.2.840.10008.5.1.4.1.1.2' } }] }] }
        : { resourceType: 'ImagingStudy', uid: `urn:oid:${study}`, patient: { reference: 'Patient/p1' },
            series: [{ uid: `urn:oid:${series}`, modality: { code: 'CT' }, instance: [{ uid: `urn:oid:${sop}`, sopClass: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' }] }] };
      const { out, text } = run(version, resource);
      assertGone(text, [series, sop, study]);
      const s = (out['series'] as J[])[0]!;
      const i = (s['instance'] as J[])[0]!;
      if (version === 'R4') {
        assert.equal(s['uid'], hmac(series));
        assert.equal(i['uid'], hmac(sop));
      } else {
        assert.equal(out['uid'], hmac(`urn:oid:${study}`));
        assert.equal(s['uid'], hmac(`urn:oid:${series}`));
        assert.equal(i['uid'], hmac(`urn:oid:${sop}`));
      }
    });

    it('free text and external ids of documents, devices and sequences are removed (same kind of leak as finding 4)', () => {
      assertGone(run(version, {
        resourceType: 'Composition', status: 'final', type: { text: 'x' }, date: '2020-01-01', title: 'Discharge summary of John Smith',
        section: [{ title: 'Smith family history' }],
      }).text, ['Smith']);
      assertGone(run(version, {
        resourceType: 'DocumentManifest', status: 'current', description: 'Scans for John Smith', source: 'urn:uuid:0a1b2c3d-smith-ehr',
      }).text, ['Smith', '0a1b2c3d']);
      assertGone(run(version, { resourceType: 'Device', url: 'http://10.1.2.3/pump-of-smith' }).text, ['Smith', '10.1.2.3']);
      const seq = version === 'R4' ? 'MolecularSequence' : 'Sequence';
      const { out, text } = run(version, {
        resourceType: seq, type: 'dna', coordinateSystem: 0,
        repository: [{ type: 'openapi', url: 'https://ga4gh.example/datasets/SMITH-42', datasetId: 'SMITH-42', variantsetId: 'VS-SMITH-42', readsetId: 'RS-SMITH-42' }],
      });
      assertGone(text, ['SMITH-42']);
      assert.deepEqual((out['repository'] as J[])[0], { type: 'openapi' });
    });

    if (version === 'Stu3') {
      it('ImagingManifest UIDs (STU3) are replaced by their HMAC, as ImagingStudy UIDs', () => {
        const study = 'urn:oid:1.2.840.113619.2.55.3.604688119.969.1268071029.319';
        const series = 'urn:oid:1.2.840.113619.2.55.3.604688119.969.1268071029.320';
        const sop = 'urn:oid:1.2.840.113619.2.55.3.604688119.969.1268071029.321';
        const { out, text } = run(version, {
          resourceType: 'ImagingManifest', patient: { reference: 'Patient/p1' }, authoringTime: '2020-01-01T00:00:00Z',
          study: [{ uid: study, series: [{ uid: series, instance: [{ sopClass: 'urn:oid:1.2.840.10008.5.1.4.1.1.2', uid: sop }] }] }],
        });
        assertGone(text, [study, series, sop]);
        const st = (out['study'] as J[])[0]!;
        const se = (st['series'] as J[])[0]!;
        assert.equal(st['uid'], hmac(study));
        assert.equal(se['uid'], hmac(series));
        assert.equal((se['instance'] as J[])[0]!['uid'], hmac(sop));
      });
    }

    it('finding 5: every restricted 3-digit ZIP area of HHS (2000 Census) and of the reference becomes 000', () => {
      // HHS guidance: the 17 three-digit ZCTAs with 20,000 people or fewer (2000 Census);
      // the reference sample adds 205 and 369 (and lacks 063, 790, 830, 831, 890).
      const hhs = ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'];
      for (const zip3 of [...hhs, '205', '369']) {
        const { out } = run(version, { resourceType: 'Patient', address: [{ postalCode: `${zip3}42`, state: 'XX' }] });
        assert.deepEqual((out['address'] as J[])[0], { postalCode: '00000', state: 'XX' }, zip3);
      }
      const { out } = run(version, { resourceType: 'Patient', address: [{ postalCode: '02139' }] });
      assert.deepEqual((out['address'] as J[])[0], { postalCode: '02100' }, 'an unrestricted area keeps its first three digits');
    });
  });
}
