import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from '../harness.ts';
import { createSchemaValidator } from '../../src/fhir/io/schema-validator.ts';
import { anonymizeNdjsonText } from '../../src/fhir/io/ndjson.ts';
import { InvalidInputError } from '../../src/errors.ts';

import { fixture as fixturePath } from '../cli/helpers.ts';

const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8').replace(/^\uFEFF/, '');
const identity = { anonymizeJson: (text: string) => text };

describe('fhir-io/schema', () => {
  it('R4: the reference tool\'s test patients are valid', async () => {
    const v = await createSchemaValidator('R4');
    assert.deepEqual(v.validate(JSON.parse(fixture('patient-basic.json'))), []);
    assert.deepEqual(v.validate(JSON.parse(fixture('Patient-1.ndjson'))), []);
  });

  it('R4: reports bad codes, unknown elements, bad dates and wrong types by pointer', async () => {
    const v = await createSchemaValidator('R4');
    assert.deepEqual(v.validate({ resourceType: 'Patient', gender: 'x' }).map((p) => p.pointer), ['/gender']);
    assert.deepEqual(v.validate({ resourceType: 'Patient', nickname: 'x' }), [{ pointer: '/nickname', message: 'unknown element' }]);
    assert.deepEqual(v.validate({ resourceType: 'Patient', birthDate: '1990-02-30T' }).map((p) => p.pointer), ['/birthDate']);
    assert.deepEqual(v.validate({ resourceType: 'Patient', active: 'yes' }).map((p) => p.pointer), ['/active']);
    assert.deepEqual(v.validate({ resourceType: 'Nope' }).map((p) => p.pointer), ['/resourceType']);
    assert.deepEqual(v.validate([]).map((p) => p.pointer), ['']);
  });

  it('R4: checks resources inside a Bundle by their own type', async () => {
    const v = await createSchemaValidator('R4');
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'Patient', gender: 1 } }] };
    assert.deepEqual(v.validate(bundle).map((p) => p.pointer), ['/entry/1/resource/gender']);
  });

  it('STU3: catches wrong types (its schema allows unknown elements)', async () => {
    const v = await createSchemaValidator('Stu3');
    assert.deepEqual(v.validate({ resourceType: 'Patient', gender: 'male' }), []);
    assert.deepEqual(v.validate({ resourceType: 'Patient', active: 'yes' }).map((p) => p.pointer), ['/active']);
    assert.deepEqual(v.validate({ resourceType: 'Patient', birthDate: 'yesterday' }).map((p) => p.pointer), ['/birthDate']);
  });

  it('messages never quote the value', async () => {
    const v = await createSchemaValidator('R4');
    for (const p of v.validate({ resourceType: 'Patient', gender: 'SECRET-123', birthDate: 'SECRET-456' })) assert.ok(!p.message.includes('SECRET'));
  });

  it('NDJSON input validation fails at the line with the pointer', async () => {
    const v = await createSchemaValidator('R4');
    const text = '{"resourceType":"Patient"}\n{"resourceType":"Patient","gender":"SECRET"}\n';
    assert.throws(() => anonymizeNdjsonText(identity, text, { file: 'f.ndjson', validateInput: v }), (e: unknown) => {
      return e instanceof InvalidInputError && e.location?.line === 2 && e.location.pointer === '/gender' && !e.message.includes('SECRET');
    });
  });
});
