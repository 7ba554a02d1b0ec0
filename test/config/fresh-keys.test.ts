import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { fingerprintConfig, getFhirProfile, hasRandomDateShiftKey, loadFhirConfig, withDateShiftKey, withFreshDateShiftKey } from '../../src/config/index.ts';
import type { FhirConfig, FhirConfigDiagnostic } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { createFhirAnonymizer } from '../../src/fhir/index.ts';

// Review 1, finding 2: a run that loads its configuration once must still give each input
// file its own random date-shift key when none was supplied (the reference reloads per file).
describe('config/fresh date-shift key per input', () => {
  it('draws a new random dateShiftKey on each call when the key is the random default', () => {
    const loaded = getFhirProfile('hipaa-safe-harbor', 'R4');
    assert.equal(loaded.keySources?.dateShiftKey, 'random');
    assert.equal(hasRandomDateShiftKey(loaded), true);
    const keys = new Set<string>([loaded.parameters.dateShiftKey]);
    for (let i = 0; i < 5; i++) {
      const fresh = withFreshDateShiftKey(loaded);
      assert.match(fresh.parameters.dateShiftKey, /^[0-9a-f]{32}$/);
      keys.add(fresh.parameters.dateShiftKey);
      // everything else is the same configuration
      assert.equal(fresh.fhirPathRules, loaded.fhirPathRules);
      assert.deepEqual({ ...fresh.parameters, dateShiftKey: '' }, { ...loaded.parameters, dateShiftKey: '' });
      assert.deepEqual(fresh.keySources, loaded.keySources);
      assert.equal(fingerprintConfig(fresh), fingerprintConfig(loaded));
      assert.equal(Object.isFrozen(fresh) && Object.isFrozen(fresh.parameters), true);
    }
    assert.equal(keys.size, 6, 'every input gets its own key');
  });

  it('gives id-less Bundles of different files different offsets (the review\'s Synthea case), a supplied key the same', () => {
    const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', birthDate: '1960-03-02' } }] });
    const birthDate = (config: FhirConfig): string =>
      ((JSON.parse(createFhirAnonymizer(config).anonymizeJson(bundle)) as { entry: Array<{ resource: { birthDate: string } }> }).entry[0]!.resource.birthDate);
    const loaded = getFhirProfile('hipaa-safe-harbor', 'R4');
    const shared = new Set(Array.from({ length: 8 }, () => birthDate(loaded)));
    assert.equal(shared.size, 1, 'one loaded configuration = one offset (what the CLI did)');
    // 8 fresh keys: offsets span about 100 days, so all 8 equal would have probability < 1e-13
    const fresh = new Set(Array.from({ length: 8 }, () => birthDate(withFreshDateShiftKey(loaded))));
    assert.ok(fresh.size > 1, 'each file gets its own offset');
    const supplied = getFhirProfile('hipaa-safe-harbor', 'R4', { keys: { dateShiftKey: 'same' } });
    assert.equal(new Set(Array.from({ length: 4 }, () => birthDate(withFreshDateShiftKey(supplied)))).size, 1);
  });

  it('keeps a supplied key (option, key file, environment, configuration) and the cryptoHash key', () => {
    const supplied: FhirConfig[] = [
      getFhirProfile('hipaa-safe-harbor', 'R4', { keys: { dateShiftKey: 'opt' } }),
      getFhirProfile('hipaa-safe-harbor', 'Stu3', { keyFile: { text: '{"dateShiftKey":"kf"}', file: 'k.json' } }),
      getFhirProfile('hipaa-safe-harbor', 'R4', { env: (n) => (n === 'HEALTH_ANONYMIZER_DATESHIFT_KEY' ? 'e' : undefined) }),
      loadFhirConfig({ fhirVersion: 'R4', fhirPathRules: [], parameters: { dateShiftKey: 'in-file' } }),
    ];
    for (const config of supplied) {
      assert.equal(hasRandomDateShiftKey(config), false);
      assert.equal(withFreshDateShiftKey(config), config);
    }
    const random = getFhirProfile('hipaa-safe-harbor', 'R4');
    assert.equal(withFreshDateShiftKey(random).parameters.cryptoHashKey, random.parameters.cryptoHashKey, 'hashes must still line up across files');
  });

  it('leaves a fixed-offset configuration and a hand-built one (no keySources) alone', () => {
    const fixed = loadFhirConfig({ fhirVersion: 'R4', fhirPathRules: [], parameters: { dateShiftFixedOffsetInDays: 10 } });
    assert.equal(fixed.keySources?.dateShiftKey, 'random');
    assert.equal(withFreshDateShiftKey(fixed), fixed);
    const { keySources: _k, ...handBuilt } = getFhirProfile('hipaa-safe-harbor', 'R4');
    assert.equal(withFreshDateShiftKey(handBuilt), handBuilt);
  });

  it('works on a configuration copied to a worker (structured clone)', () => {
    const cloned = structuredClone(getFhirProfile('hipaa-safe-harbor', 'R4')) as FhirConfig;
    assert.notEqual(withFreshDateShiftKey(cloned).parameters.dateShiftKey, cloned.parameters.dateShiftKey);
  });
});

// Review 1, finding 8: a key-file problem must be located in the key file, not in the profile or configuration.
describe('config/key-file error location', () => {
  it('names the key file (and its line) in the error location, with a built-in profile', () => {
    const text = '{\n  "cryptoHashKey": "x",\n  "other": "y"\n}';
    assert.throws(() => getFhirProfile('hipaa-safe-harbor', 'R4', { keyFile: { text, file: 'k.json' } }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.location, { file: 'k.json', line: 3 });
      assert.doesNotMatch(e.message, /profile:/);
      assert.match(e.message, /k\.json, line 3/);
      assert.doesNotMatch(e.message, /other|"y"/);
      return true;
    });
  });

  it('names the configuration file when the first problem is in it', () => {
    const config = '{\n "fhirVersion": "R4",\n "fhirPathRules": [ { "path": "Patient", "method": "nope" } ]\n}';
    assert.throws(() => loadFhirConfig(config, { file: 'c.json', keyFile: { text: '{"bad": "1"}', file: 'k.json' } }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.location?.file, 'c.json');
      assert.ok((e.diagnostics as readonly FhirConfigDiagnostic[]).some((d) => d.file === 'k.json'), 'the key-file problem is still listed');
      return true;
    });
  });
});

describe('config/withDateShiftKey', () => {
  it('swaps only the date-shift key: rules, other keys and the fingerprint stay', () => {
    const loaded = getFhirProfile('hipaa-safe-harbor', 'R4', { keys: { cryptoHashKey: 'hash-key' } });
    const swapped = withDateShiftKey(loaded, 'per-file-key');
    assert.equal(swapped.parameters.dateShiftKey, 'per-file-key');
    assert.equal(swapped.parameters.cryptoHashKey, 'hash-key');
    assert.equal(swapped.fhirPathRules, loaded.fhirPathRules);
    assert.equal(fingerprintConfig(swapped), fingerprintConfig(loaded));
    assert.ok(Object.isFrozen(swapped) && Object.isFrozen(swapped.parameters));
    assert.notEqual(loaded.parameters.dateShiftKey, 'per-file-key');
  });
});
