import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { loadFhirConfig, validateFhirConfig } from '../../src/config/index.ts';
import type { FhirConfigDiagnostic } from '../../src/config/index.ts';
import { ConfigError, ConfigParseError } from '../../src/errors.ts';

const summary = (ds: readonly FhirConfigDiagnostic[]): string[] => ds.map((d) => `${d.severity} ${d.code} ${d.reason} ${d.pointer}`);

describe('config/validate', () => {
  it('reports all problems at once, in document order, with pointers, lines and columns', () => {
    const text = [
      '{',
      '  "fhirVersion": "R4",',
      '  "processingErrors": "explode",',
      '  "fhirPathRules": [',
      '    {"path": "Patient.name", "method": "redact"},',
      '    {"path": "Patient.birthDate", "method": "perturb", "span": -3, "roundTo": 40, "rangeType": "wide"},',
      '    {"path": "Patient.(", "method": "redact"},',
      '    {"path": "Observation.value", "method": "obliterate"},',
      '    {"method": "keep"},',
      '    {"path": "Patient.gender", "method": "generalize", "cases": {"$this = \'male\'": "\'m\'", "$this ==": "1"}, "otherValues": "drop"},',
      '    {"path": "Patient.id", "method": "substitute"}',
      '  ],',
      '  "parameters": {"encryptKey": "tooShort", "dateShiftScope": "galaxy", "enablePartialAgesForRedact": "yes"}',
      '}',
    ].join('\n');
    const r = validateFhirConfig(text);
    assert.equal(r.ok, false);
    assert.deepEqual(summary(r.diagnostics.filter((d) => d.severity === 'error')), [
      'error ERR_CONFIG_INVALID invalid-value /processingErrors',
      'error ERR_CONFIG_INVALID invalid-value /fhirPathRules/1/span',
      'error ERR_CONFIG_INVALID invalid-value /fhirPathRules/1/roundTo',
      'error ERR_CONFIG_INVALID invalid-value /fhirPathRules/1/rangeType',
      'error ERR_RULE_COMPILE fhirpath /fhirPathRules/2/path',
      'error ERR_CONFIG_INVALID unknown-method /fhirPathRules/3/method',
      'error ERR_CONFIG_INVALID missing /fhirPathRules/4/path',
      'error ERR_RULE_COMPILE fhirpath /fhirPathRules/5/cases/$this ==',
      'error ERR_CONFIG_INVALID invalid-value /fhirPathRules/5/otherValues',
      'error ERR_CONFIG_INVALID missing /fhirPathRules/6/replaceWith',
      'error ERR_KEY_SIZE key-size /parameters/encryptKey',
      'error ERR_CONFIG_INVALID invalid-value /parameters/dateShiftScope',
      'error ERR_CONFIG_INVALID type /parameters/enablePartialAgesForRedact',
    ]);
    const span = r.diagnostics.find((d) => d.pointer === '/fhirPathRules/1/span')!;
    assert.deepEqual([span.line, span.column], [6, text.split('\n')[5]!.indexOf('-3') + 1]);
    const missing = r.diagnostics.find((d) => d.pointer === '/fhirPathRules/4/path')!;
    assert.deepEqual([missing.line, missing.column], [9, text.split('\n')[8]!.indexOf('{') + 1]);
    // the whole list, errors and warnings, is ordered by position in the file
    const lines = r.diagnostics.map((d) => d.line ?? 0);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.throws(() => loadFhirConfig(text, { file: 'c.json' }), (e: unknown) =>
      e instanceof ConfigError && e.diagnostics.length === 13 && e.location?.file === 'c.json' && e.location.line === 3 &&
      e.message.startsWith('FHIR configuration is invalid: 13 problems; first at /processingErrors'));
  });

  it('never puts a key or other configured value in a message', () => {
    const secret = 'Sup3rSecretKey!';
    const r = validateFhirConfig({
      fhirVersion: 'R9-' + secret,
      fhirPathRules: [{ path: secret + '(', method: secret }, { path: 'Patient', method: 'perturb', span: secret }],
      parameters: { encryptKey: secret, cryptoHashKey: 7, dateShiftScope: secret },
    }, { keys: { dateShiftKey: secret } });
    assert.ok(r.diagnostics.length >= 6);
    for (const d of r.diagnostics) assert.ok(!d.message.includes(secret) && !d.pointer.includes(secret), d.message);
    assert.throws(() => loadFhirConfig({ fhirPathRules: [], parameters: { encryptKey: secret } }), (e: unknown) =>
      e instanceof ConfigError && !e.message.includes(secret) && !JSON.stringify(e.diagnostics).includes(secret));
  });

  it('a syntax error is one ERR_CONFIG_PARSE diagnostic, and loadFhirConfig throws ConfigParseError', () => {
    const r = validateFhirConfig('{\n "fhirPathRules": [\n  {"path": "x" "method": "redact"}\n ]\n}');
    assert.deepEqual(r.diagnostics, [{ severity: 'error', code: 'ERR_CONFIG_PARSE', reason: 'syntax', pointer: '', message: "Configuration is not valid JSON: expected ',' or '}'", line: 3, column: 16 }]);
    assert.throws(() => loadFhirConfig('{"fhirPathRules": [}', { file: 'x.json' }), (e: unknown) =>
      e instanceof ConfigParseError && e.location?.file === 'x.json' && e.location.line === 1 && /column 20/.test(e.message));
  });

  it('matches top-level and parameters names case-insensitively, as the reference does', () => {
    const config = loadFhirConfig('{"FHIRVERSION": "stu3", "ProcessingErrors": "SKIP", "FhirPathRules": [{"path": "Patient", "method": "REDACT"}],' +
      ' "Parameters": {"DateShiftKey": "k", "ENABLEPARTIALDATESFORREDACT": true, "dateshiftscope": "File"}}');
    assert.equal(config.fhirVersion, 'Stu3');
    assert.equal(config.processingErrors, 'skip');
    assert.equal(config.fhirPathRules[0]!.method, 'redact');
    assert.equal(config.parameters.dateShiftKey, 'k');
    assert.equal(config.parameters.enablePartialDatesForRedact, true);
    assert.equal(config.parameters.dateShiftScope, 'file');
  });

  it('pointers use the names the document uses', () => {
    const r = validateFhirConfig('{"FhirPathRules": [{"path": "Patient", "method": "nope"}], "Parameters": {"EncryptKey": "x"}}');
    assert.deepEqual(summary(r.diagnostics.filter((d) => d.severity === 'error')), [
      'error ERR_CONFIG_INVALID unknown-method /FhirPathRules/0/method',
      'error ERR_KEY_SIZE key-size /Parameters/EncryptKey',
    ]);
  });

  it('duplicate property names are errors, also when they differ only in case where names are case-insensitive', () => {
    const r = validateFhirConfig('{"fhirPathRules": [{"path": "Patient", "method": "keep", "method": "redact"}], "fhirVersion": "R4", "FhirVersion": "Stu3",' +
      ' "parameters": {"cryptoHashKey": "a", "CryptoHashKey": "b"}}');
    assert.deepEqual(summary(r.diagnostics.filter((d) => d.severity === 'error')), [
      'error ERR_CONFIG_INVALID duplicate-key /fhirPathRules/0/method',
      'error ERR_CONFIG_INVALID duplicate-key /FhirVersion',
      'error ERR_CONFIG_INVALID duplicate-key /parameters/CryptoHashKey',
    ]);
  });

  it('ignores unknown keys with a warning; rule keys are case-sensitive (as in the reference) with a hint', () => {
    const r = validateFhirConfig({
      fhirVersion: 'R4',
      extra: 1,
      fhirPathRules: [{ path: 'Patient.birthDate', method: 'perturb', span: 1, RoundTo: 3, comment: 'x' }, { path: 'Patient.name', method: 'redact', span: 2 }],
      parameters: { dateShiftKey: 'k', futureSetting: true, customSettings: { a: 1 } },
    });
    assert.equal(r.ok, true);
    assert.deepEqual(summary(r.diagnostics), [
      'warning ERR_CONFIG_INVALID unknown-key /extra',
      'warning ERR_CONFIG_INVALID unknown-key /fhirPathRules/0/RoundTo',
      'warning ERR_CONFIG_INVALID unknown-key /fhirPathRules/0/comment',
      'warning ERR_CONFIG_INVALID ignored-key /fhirPathRules/1/span',
      'warning ERR_CONFIG_INVALID unknown-key /parameters/futureSetting',
      'warning ERR_CONFIG_INVALID unknown-key /parameters/customSettings',
    ]);
    assert.match(r.diagnostics[1]!.message, /case-sensitive.*roundTo/);
    assert.equal(r.config!.fhirPathRules[0]!.roundTo, 2);
  });

  it('fills the reference defaults', () => {
    const config = loadFhirConfig({ fhirPathRules: [{ path: 'Patient.birthDate', method: 'Perturb', span: '0.5' }, { path: 'Patient.gender', method: 'generalize', cases: { "$this = 'male'": "'m'", '$this.exists()': 1 } }] });
    assert.equal(config.fhirVersion, undefined);
    assert.equal(config.processingErrors, 'raise');
    assert.deepEqual({ ...config.fhirPathRules[0] }, { path: 'Patient.birthDate', method: 'perturb', span: 0.5, rangeType: 'fixed', roundTo: 2, index: 0 });
    assert.deepEqual({ ...config.fhirPathRules[1] }, { path: 'Patient.gender', method: 'generalize', cases: [["$this = 'male'", "'m'"], ['$this.exists()', '1']], otherValues: 'redact', index: 1 });
    const p = config.parameters;
    assert.equal(p.dateShiftScope, 'resource');
    assert.equal(p.dateShiftFixedOffsetInDays, undefined);
    assert.deepEqual([p.enablePartialAgesForRedact, p.enablePartialDatesForRedact, p.enablePartialZipCodesForRedact], [false, false, false]);
    assert.deepEqual(p.restrictedZipCodeTabulationAreas, []);
    assert.match(p.dateShiftKey, /^[0-9a-f]{32}$/);
    assert.match(p.cryptoHashKey, /^[0-9a-f]{32}$/);
    assert.equal(new TextEncoder().encode(p.encryptKey).length, 32);
    assert.deepEqual(config.keySources, { cryptoHashKey: 'random', encryptKey: 'random', dateShiftKey: 'random' });
  });

  it('accepts the reference\'s string forms of numbers and nulls where it does', () => {
    const config = loadFhirConfig({
      fhirVersion: null,
      fhirPathRules: [{ path: 'Patient.x', method: 'perturb', span: ' 3 ', roundTo: '28', rangeType: 'Proportional' }, { path: 'Patient', method: 'substitute', replaceWith: null }],
      parameters: { dateShiftKey: null, dateShiftFixedOffsetInDays: '-7', restrictedZipCodeTabulationAreas: null, dateShiftScope: null },
    });
    assert.deepEqual({ ...config.fhirPathRules[0] }, { path: 'Patient.x', method: 'perturb', span: 3, rangeType: 'proportional', roundTo: 28, index: 0 });
    assert.ok('replaceWith' in config.fhirPathRules[1]! && config.fhirPathRules[1]!.replaceWith === null);
    assert.equal(config.parameters.dateShiftFixedOffsetInDays, -7);
    assert.deepEqual(config.parameters.restrictedZipCodeTabulationAreas, []);
    assert.equal(config.parameters.dateShiftScope, 'resource');
  });

  it('rejects perturb and generalize settings out of range, each with its pointer', () => {
    const bad: [Record<string, unknown>, string, string][] = [
      [{ span: -0.001 }, 'span', 'invalid-value'],
      [{ span: '1e' }, 'span', 'invalid-value'],
      [{ span: true }, 'span', 'type'],
      [{ span: 1, roundTo: 2.5 }, 'roundTo', 'invalid-value'],
      [{ span: 1, roundTo: '-1' }, 'roundTo', 'invalid-value'],
      [{ span: 1, roundTo: 29 }, 'roundTo', 'invalid-value'],
      [{ span: 1, rangeType: 3 }, 'rangeType', 'type'],
    ];
    for (const [settings, key, reason] of bad) {
      const r = validateFhirConfig({ fhirPathRules: [{ path: 'Patient', method: 'perturb', ...settings }] });
      assert.deepEqual(summary(r.diagnostics.filter((d) => d.severity === 'error')), [`error ERR_CONFIG_INVALID ${reason} /fhirPathRules/0/${key}`], JSON.stringify(settings));
    }
    const ok = validateFhirConfig({ fhirPathRules: [{ path: 'Patient', method: 'perturb', span: 0, roundTo: 0 }, { path: 'Patient', method: 'perturb', span: '2.5', roundTo: '028' }] });
    assert.equal(ok.ok, true);
  });

  it('compiles paths with the custom functions and rejects unknown or misused functions', () => {
    const good = ["nodesByType('HumanName').given", 'nodesByType("date")', "nodesByName('telecom').value", 'Patient.nodesByType(\'Address\')',
      "Observation.value.ofType(Quantity).value", "Patient.name.where(use = 'official').family", 'Condition.onset as Age', 'Resource', 'Patient'];
    const r = validateFhirConfig({ fhirPathRules: good.map((path) => ({ path, method: 'redact' })) });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(r.config!.fhirPathRules[1]!.path, "nodesByType('date')");
    const bad = ['invalid()', "nodesByType('a', 'b')", 'nodesByType(1)', 'Patient.name.', "Patient.resolve()", "Patient.name.first(1)", '$this >= 0 && $this < 10'];
    const rb = validateFhirConfig({ fhirPathRules: bad.map((path) => ({ path, method: 'redact' })) });
    assert.deepEqual(rb.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pointer} ${d.reason}`), [
      '/fhirPathRules/0/path fhirpath', '/fhirPathRules/1/path fhirpath', '/fhirPathRules/2/path fhirpath', '/fhirPathRules/3/path fhirpath',
      '/fhirPathRules/4/path offline', '/fhirPathRules/5/path fhirpath', '/fhirPathRules/6/path fhirpath',
    ]);
    for (const d of rb.diagnostics.filter((x) => x.severity === 'error')) assert.equal(d.code, 'ERR_RULE_COMPILE');
  });

  it('compiles with the release\'s model and warns about paths that name no element', () => {
    const rules = [{ path: 'Patient.animal.species', method: 'redact' }, { path: 'HealthcareService.notAvaliable.description', method: 'redact' }, { path: "nodesByType('HumanNames')", method: 'redact' }];
    const r4 = validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: rules });
    assert.equal(r4.ok, true);
    assert.deepEqual(r4.diagnostics.map((d) => `${d.severity} ${d.reason} ${d.pointer}`), [
      'warning unknown-element /fhirPathRules/0/path', 'warning unknown-element /fhirPathRules/1/path', 'warning unknown-element /fhirPathRules/2/path',
    ]);
    assert.match(r4.diagnostics[1]!.message, /notAvaliable/);
    const stu3 = validateFhirConfig({ fhirVersion: 'Stu3', fhirPathRules: rules });
    assert.deepEqual(stu3.diagnostics.map((d) => d.pointer), ['/fhirPathRules/1/path', '/fhirPathRules/2/path']);
  });

  it('rejects a configuration for another release than the caller processes, and an unknown release', () => {
    const r = validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [] }, { fhirVersion: 'Stu3' });
    assert.deepEqual(summary(r.diagnostics), ['error ERR_UNSUPPORTED version-mismatch /fhirVersion']);
    for (const v of ['R5', 'r3', 'DSTU2', 'R4 ']) {
      const bad = validateFhirConfig({ fhirVersion: v, fhirPathRules: [] });
      assert.deepEqual(summary(bad.diagnostics), ['error ERR_CONFIG_INVALID unsupported-version /fhirVersion'], v);
    }
    const empty = validateFhirConfig({ fhirVersion: '', fhirPathRules: [] }, { fhirVersion: 'Stu3' });
    assert.deepEqual(summary(empty.diagnostics), ['warning ERR_CONFIG_INVALID no-version /fhirVersion']);
    assert.equal(empty.ok, true);
  });

  it('checks the encrypt key length in UTF-8 bytes, not characters', () => {
    assert.equal(validateFhirConfig({ fhirPathRules: [], parameters: { encryptKey: 'é'.repeat(8) } }).ok, true); // 16 bytes
    assert.equal(validateFhirConfig({ fhirPathRules: [], parameters: { encryptKey: 'é'.repeat(16) } }).ok, true); // 32 bytes
    assert.equal(validateFhirConfig({ fhirPathRules: [], parameters: { encryptKey: 'a'.repeat(24) } }).ok, true);
    for (const key of ['a'.repeat(15), 'é'.repeat(12) + 'a', 'a'.repeat(33), '01234567890123456789']) {
      const r = validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [], parameters: { encryptKey: key } });
      assert.deepEqual(summary(r.diagnostics), ['error ERR_KEY_SIZE key-size /parameters/encryptKey']);
    }
  });

  it('rejects inputs that are not a JSON tree', () => {
    const cyclic: Record<string, unknown> = { fhirPathRules: [] };
    cyclic['self'] = cyclic;
    assert.deepEqual(summary(validateFhirConfig(cyclic).diagnostics.filter((d) => d.severity === 'error')), ['error ERR_CONFIG_INVALID type /self']);
    assert.deepEqual(summary(validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [{ path: 'Patient', method: 'perturb', span: Number.NaN }] }).diagnostics),
      ['error ERR_CONFIG_INVALID type /fhirPathRules/0/span', 'error ERR_CONFIG_INVALID missing /fhirPathRules/0/span']);
    assert.deepEqual(summary(validateFhirConfig(undefined).diagnostics), ['error ERR_CONFIG_INVALID type ']);
    assert.deepEqual(summary(validateFhirConfig([]).diagnostics), ['error ERR_CONFIG_INVALID type ']);
    assert.deepEqual(summary(validateFhirConfig({ fhirPathRules: {} }).diagnostics.filter((d) => d.severity === 'error')), ['error ERR_CONFIG_INVALID type /fhirPathRules']);
  });

  it('returns a frozen configuration that does not share objects with the input', () => {
    const replaceWith = { family: 'x' };
    const input = { fhirPathRules: [{ path: 'Patient.name', method: 'substitute', replaceWith }] };
    const config = loadFhirConfig(input);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.fhirPathRules[0]) && Object.isFrozen(config.parameters));
    assert.notEqual(config.fhirPathRules[0]!.replaceWith, replaceWith);
    replaceWith.family = 'changed';
    assert.deepEqual(config.fhirPathRules[0]!.replaceWith, { family: 'x' });
  });
});

describe('config/validate editor support', () => {
  it('accepts a top-level "$schema" member without a warning', () => {
    const r = validateFhirConfig({ $schema: './node_modules/health-anonymizer/schemas/fhir-config.schema.json', fhirVersion: 'R4', fhirPathRules: [] });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.ok, true);
  });
});

describe('config/validate generalize order', () => {
  it('keeps the file order of generalize cases, even for names a JS object would reorder', () => {
    const text = '{"fhirPathRules": [{"path": "Patient.x", "method": "generalize", "cases": {"$this > 5": "5", "1": "1", "$this < 0": "0"}}]}';
    const config = loadFhirConfig(text);
    assert.deepEqual(config.fhirPathRules[0]!.cases, [['$this > 5', '5'], ['1', '1'], ['$this < 0', '0']]);
  });
});

describe('config/validate hints', () => {
  it('suggests the known name for a near miss (the reference documentation\'s "processingError")', () => {
    const r = validateFhirConfig({ fhirVersion: 'R4', processingError: 'skip', fhirPathRules: [{ path: 'Patient', method: 'perturb', span: 1, roundto: 1, rangeTyp: 'fixed', xyz: 1 }], parameters: { cryptoHashkeys: 'k' } });
    assert.deepEqual(r.diagnostics.map((d) => `${d.pointer}: ${d.message}`), [
      '/processingError: Configuration has a property the loader does not know; it is ignored (did you mean processingErrors?)',
      '/fhirPathRules/0/roundto: Rule property names are case-sensitive: this one is ignored; write roundTo',
      '/fhirPathRules/0/rangeTyp: Rule has a property the loader does not know; it is ignored (did you mean rangeType?)',
      '/fhirPathRules/0/xyz: Rule has a property the loader does not know; it is ignored',
      '/parameters/cryptoHashkeys: parameters has a property the loader does not know; it is ignored (did you mean cryptoHashKey?)',
    ]);
  });
});

describe('config/validate bytes', () => {
  it('accepts UTF-8 bytes (with a BOM) and rejects invalid UTF-8 as a parse error', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"fhirVersion": "R4", "fhirPathRules": [{"path": "Patient.name", "method": "redact"},]}')]);
    assert.equal(loadFhirConfig(bytes).fhirPathRules.length, 1);
    const bad = validateFhirConfig(new Uint8Array([0x7b, 0xff, 0x7d]));
    assert.deepEqual(bad.diagnostics.map((d) => `${d.code} ${d.reason}`), ['ERR_CONFIG_PARSE syntax']);
    assert.throws(() => loadFhirConfig(new Uint8Array([0xc3])), (e: unknown) => e instanceof ConfigParseError && e.message === 'Configuration is not valid UTF-8');
  });
});

describe('config/validate path normalization', () => {
  it('delimits the Narrative element div (a FHIRPath operator word) outside string literals', () => {
    const config = loadFhirConfig({ fhirVersion: 'R4', fhirPathRules: [
      { path: 'Patient.text.div', method: 'redact' },
      { path: 'nodesByType("Narrative").div', method: 'redact' },
      { path: "Patient.where(id = 'a.div').text.divx", method: 'redact' },
      { path: 'Patient.text.`div`', method: 'redact' },
    ] });
    assert.deepEqual(config.fhirPathRules.map((r) => r.path), [
      'Patient.text.`div`', "nodesByType('Narrative').`div`", "Patient.where(id = 'a.div').text.divx", 'Patient.text.`div`',
    ]);
  });
});

describe('config/validate no-effect settings', () => {
  it('warns about a zero perturb span and a zero fixed date offset (values kept, yet labelled changed)', () => {
    const r = validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [{ path: 'Observation.value', method: 'perturb', span: 0 }, { path: 'Observation.component.value', method: 'perturb', span: '0.0' }, { path: 'Patient.multipleBirth', method: 'perturb', span: 0.5 }], parameters: { dateShiftFixedOffsetInDays: 0 } });
    assert.equal(r.ok, true);
    assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.reason} ${d.pointer}`), [
      'warning no-effect /fhirPathRules/0/span', 'warning no-effect /fhirPathRules/1/span', 'warning no-effect /parameters/dateShiftFixedOffsetInDays',
    ]);
    assert.deepEqual(validateFhirConfig({ fhirVersion: 'R4', fhirPathRules: [], parameters: { dateShiftFixedOffsetInDays: '7' } }).diagnostics, []);
  });
});

describe('config/validate strict', () => {
  it('strict turns warnings into failures, listing them in the ConfigError', () => {
    const source = { fhirVersion: 'R4', fhirPathRules: [{ path: 'HealthcareService.notAvaliable.description', method: 'redact' }] };
    assert.equal(validateFhirConfig(source).ok, true);
    const strict = validateFhirConfig(source, { strict: true });
    assert.equal(strict.ok, false);
    assert.equal(strict.config, undefined);
    assert.throws(() => loadFhirConfig(source, { strict: true }), (e: unknown) =>
      e instanceof ConfigError && e.diagnostics.length === 1 && e.diagnostics[0]!.pointer === '/fhirPathRules/0/path');
  });
});
