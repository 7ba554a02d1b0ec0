// Reference fixtures that the shared manifest does not list, paired the way the reference tool's
// own functional tests pair them.
import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { createFhirAnonymizer } from '../../src/fhir/anonymizer.ts';
import { loadFixtureConfig, readFixture } from './helpers.ts';

describe('fhir/conformance (extra reference pairs)', () => {
  it('bundle-without-entry-resource with the common configuration', () => {
    const config = loadFixtureConfig('Shared.FunctionalTests/Configurations/common-config.json', 'R4');
    const out = createFhirAnonymizer(config, { referenceDate: new Date('2020-06-01T00:00:00Z') })
      .anonymizeJson(readFixture('Shared.FunctionalTests/TestResources/bundle-without-entry-resource.json'));
    assert.deepEqual(JSON.parse(out), JSON.parse(readFixture('Shared.FunctionalTests/TestResources/bundle-without-entry-resource-target.json')));
  });
});
