// Vectors from the reference tool's unit tests (CryptoHashUtilityTests, ReferenceUtilityTests),
// re-computed independently with node:crypto.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { createCryptoHasher, hmacHex } from '../../src/methods/crypto-hash.ts';
import { getCore } from '../../src/core/index.ts';
import { getFhirModel } from '../../src/fhir/model.ts';

const hasher = createCryptoHasher(getCore(), '123', [...getFhirModel('R4').resourceTypes]);

const HASHES: Array<[string, string]> = [
  ['abc', '8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae'],
  ['&*^%$@()=-,/', '33f6f7d6b3602bf5354dcb4b8d988982602349355f50f86798d8ce1ffd61521b'],
  ['ÆŊŋßſ♫∅', '1a94823f0a0f00a4b1ca771c3446dc5e17958f4dae3588ace2bca8a843eb63d9'],
  ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890!@#$%^&*()=-', '352b5a4af5adb81fa616c2a5b5c492d0b0b544c188a9aa003767a2b5efbd1478'],
  ['a', '69e99e82127c1f146f50653e02b92c4bb0c3bc182a6165a5bbce5f4f94e1ccb7'],
  ['bb6f4872-e456-42d5-a9da-a0d82cb7ea29', '73defcb8fcaf4c0c3d5c77f05b479cadbe502db2ef6e9b1523d2bfee31f3b999'],
  ['urn:oid:1.2.3.4.5', '6aa8e3e9af18cae990adc9c26dc006ebf633dd1332886867a691ee2d5247dd15'],
  ['urn:uuid:c757873d-ec9a-4326-a141-556f43239520', '23a940be8f03522b52a393c7194407796bb5ea3c02b926b0e42fdab94ca30bad'],
  ['2020-04-12', '1e99c6a8b99d3c8b4906c2e80911ad3b5961fd7498d3bc2b96fb128bc7148f90'],
  ['2017-01-01T00:00:00.000Z', '4c765fc04a6f9967d493ff39238d47993c709d3392a72060efeff285cf7b2501'],
  ['example', '698d54f0494528a759f19c8e87a9f99e75a5881b9267ee3926bcf62c992d84ba'],
  ['23', 'c846593cc9ec1e3a2126c5aa321f8e1c2246f976ffd8f1b9c0fe75a1e26c985d'],
  ['lipid', 'c72e70ca31a54fdccbad35634bbdfdcfa5176bf053e20d1136dbad7d2b2db70a'],
];

describe('methods/crypto-hash', () => {
  it('hashes values as lowercase hex HMAC-SHA256 (reference vectors, key "123")', () => {
    for (const [input, expected] of HASHES) assert.equal(hasher.hash(input), expected, input);
  });
  it('agrees with node:crypto on random text', () => {
    for (let i = 0; i < 50; i++) {
      const text = [...crypto.getRandomValues(new Uint8Array(1 + i))].map((b) => String.fromCharCode(32 + (b % 500))).join('');
      assert.equal(hasher.hash(text), createHmac('sha256', '123').update(text, 'utf8').digest('hex'));
    }
  });
  it('hashes whole values for DICOM, the empty string and SHA-512 included', () => {
    const key = new TextEncoder().encode('123');
    assert.equal(hmacHex(getCore(), key, ''), '6d6cd63284be4a47ba7aec4a3458939a95dcbdd5cd0438f23d7457099b4b917c');
    assert.equal(hmacHex(getCore(), key, 'abc', 'sha512'),
      '58585acd673067f96bea32a1c57bf3fc3fd5a42678567e72d5cb0ab7f08ea41dcf3a41af96c53948e13184ae6fe6cd0b8b4193fc593dfb2693b00c2b0ee7a316');
  });
  it('leaves the empty string empty', () => {
    assert.equal(hasher.hash(''), '');
  });
  it('hashes only the id part of literal references', () => {
    const h = (s: string): string => hasher.hash(s);
    assert.equal(hasher.hashReference('#p1'), '#a10e6bee4fbeb6a7804153c25688dd4dd7b9c2a005417136026350fc33ac609f');
    assert.equal(hasher.hashReference('Patient/example'), 'Patient/698d54f0494528a759f19c8e87a9f99e75a5881b9267ee3926bcf62c992d84ba');
    assert.equal(
      hasher.hashReference('http://fhir.hl7.org/svc/StructureDefinition/c8973a22-2b5b-4e76-9c66-00639c99e61b'),
      'http://fhir.hl7.org/svc/StructureDefinition/b0ff9c939b3507a79e2ae3d2d3b595d62819b9b8f6ef10d4099b3058d902642f',
    );
    assert.equal(
      hasher.hashReference('http://example.org/fhir/Observation/apo89654/_history/2'),
      'http://example.org/fhir/Observation/b1e85ca33baf76575ad28588af85b8f10c0dd40e9ed8cd57cdb7ae94ccd75695/_history/2',
    );
    assert.equal(hasher.hashReference('urn:uuid:c757873d-ec9a-4326-a141-556f43239520'), 'urn:uuid:24970eb3f915e516a2b5241c0d6979097a6357a13b89612c6a54b8ab5479df34');
    assert.equal(hasher.hashReference('urn:oid:1.2.3.4.5'), 'urn:oid:0543fb50485f58a47073f51aad1677607aec031c2c83c25ee7b040ade95cfbcc');
    assert.equal(hasher.hashReference('#'), '#');
    assert.equal(hasher.hashReference(''), '');
    assert.equal(hasher.hashReference('Patient/034AB16'), 'Patient/' + h('034AB16'));
  });
  it('hashes the whole value when it is not a recognised literal reference', () => {
    for (const whole of [
      '034AB16', 'Patient/AbcŴΉЙ', 'http://fhir.hl7.org/svc/StructureDefinitionTest/c8973a22-2b5b-4e76-9c66-00639c99e61b',
      'ftp://example.org/fhir/Patient/1', 'wwurn:uuid:c757873d-ec9a-4326-a141-556f43239520', 'urn:oid:1.2.3=4.5',
      'http://my-server.org/fhir/Patient/1',
    ]) {
      assert.equal(hasher.hashReference(whole), hasher.hash(whole), whole);
    }
  });
});
