import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { dateShiftWarnings, keywordToTag, loadDicomConfig, type DicomRuleSet } from '../../src/dicom/rules/reference-config.ts';
import { ConfigError, ConfigParseError } from '../../src/errors.ts';
import { fixtureJson, fixtureText } from './fixtures.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const zeros = (n: number): Uint8Array => new Uint8Array(n);
const fixed = { randomBytes: zeros };

/** The rule-factory settings of the reference's unit tests (Core.UnitTests/Rules/settings.json). */
const factorySettings = fixtureJson<Record<string, unknown>>('ms-dicom/settings.json');
const withRule = (rule: unknown): DicomRuleSet => loadDicomConfig({ ...factorySettings, rules: [rule] }, fixed);
const one = (rule: unknown) => withRule(rule).rules[0]!;

function rejects(doc: unknown, pointers: string[]): void {
  assert.throws(() => loadDicomConfig(doc, fixed), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.code, 'ERR_CONFIG_INVALID');
    assert.deepEqual(e.diagnostics.map((d) => d.pointer), pointers);
    for (const d of e.diagnostics) {
      // A value that is no selector is a rule-compile error; everything else a configuration error.
      const selector = d.pointer.endsWith('/tag') && !d.message.includes('missing');
      assert.equal(d.code, selector ? 'ERR_RULE_COMPILE' : 'ERR_CONFIG_INVALID', d.pointer);
    }
    return true;
  });
}

describe('dicom-rules/reference-config', () => {
  it("the reference's default configuration loads unchanged: 318 rules", () => {
    const set = loadDicomConfig(fixtureText('ms-dicom/configuration.json'), { file: 'configuration.json' });
    assert.equal(set.rules.length, 318);
    const counts: Record<string, number> = {};
    for (const r of set.rules) counts[r.method] = (counts[r.method] ?? 0) + 1;
    assert.deepEqual(counts, { redact: 20, remove: 250, refreshUID: 36, dateShift: 3, cryptoHash: 2, substitute: 2, keep: 5 });
    const m = (tag: number, vr: string) => set.match(tag, vr);
    assert.equal(m(0x00100010, 'PN')?.method, 'redact'); // PatientName
    assert.equal(m(0x00080020, 'DA')?.method, 'redact'); // StudyDate: its own rule comes before "DA"
    assert.equal(m(0x00080023, 'DA')?.method, 'dateShift'); // ContentDate
    assert.equal(m(0x00080012, 'DA')?.method, 'dateShift'); // InstanceCreationDate via the DA rule
    assert.equal(m(0x0018a002, 'DT')?.method, 'dateShift'); // via DT
    assert.equal(m(0x0020000d, 'UI')?.method, 'refreshUID');
    assert.equal(m(0x00080016, 'UI'), undefined); // SOP Class UID: no rule
    assert.equal(m(0x00280010, 'US'), undefined);
    assert.equal(m(0x50020005, 'US')?.method, 'remove'); // (50xx,xxxx)
    assert.equal(m(0x60003000, 'OW')?.method, 'remove');
    assert.equal(m(0x00091001, 'LO')?.method, 'remove'); // xxx9,xxxx
    assert.equal(m(0x7fd11001, 'OB')?.method, 'remove'); // xxx1,xxxx
    assert.equal(m(0x00010010, 'LO')?.method, 'keep'); // 0001,xxxx comes first
    assert.equal(m(0xffff0001, 'UN')?.method, 'keep');
    const ds = m(0x00080023, 'DA')!.settings;
    assert.deepEqual(ds, { dateShiftKey: enc('123'), dateShiftRange: 50, dateShiftScope: 'SeriesInstance' });
  });

  it("params merge into a copy: (300A,0002)'s replaceWith does not leak into (0040,A027) (reference bug)", () => {
    const set = loadDicomConfig(fixtureText('ms-dicom/configuration.json'));
    assert.equal(set.match(0x300a0002, 'SH')?.settings['replaceWith'], 'ANONY');
    assert.equal(set.match(0x0040a027, 'LO')?.settings['replaceWith'], 'ANONYMOUS');
  });

  it('configurations the reference accepts load (its unit and CLI test configurations)', () => {
    const sample = loadDicomConfig(fixtureText('ms-dicom/configuration-test-sample.json'), fixed);
    assert.equal(sample.rules.filter((r) => r.tagSpec === '(0008,0050)').length, 1);
    assert.equal(sample.rules.filter((r) => r.tagSpec === 'DA').length, 1);
    assert.equal(sample.match(0x00080050, 'SH')?.method, 'redact');
    for (const name of ['configuration-test-engine.json', 'configuration-invalid-string-output.json', 'newConfig.json', 'privateTagConfig.json', 'invalidOutputConfig.json']) {
      assert.ok(loadDicomConfig(fixtureText(`ms-dicom/${name}`), fixed).rules.length > 0, name);
    }
    const engine = loadDicomConfig(fixtureText('ms-dicom/configuration-test-engine.json'), fixed);
    assert.equal(engine.match(0x00080054, 'AE')?.settings['replaceWith'], 'newValue'); // RetrieveAETitle
    assert.equal(engine.match(0x00101010, 'AS')?.settings['replaceWith'], '050Y'); // PatientAge
    assert.equal(engine.match(0x00080119, 'UC')?.method, 'cryptoHash'); // LongCodeValue
    const newConfig = loadDicomConfig(fixtureText('ms-dicom/newConfig.json'), fixed);
    assert.equal(newConfig.match(0x00080020, 'DA')?.method, 'redact');
    assert.equal(newConfig.match(0x00081140, 'SQ')?.method, 'redact');
    assert.equal(newConfig.match(0x00100010, 'PN'), undefined);
  });

  it('selectors the reference engine tests accept load (AnonymizerEngineTests)', () => {
    for (const json of [
      '{"rules":[{"tag":"PatientWeight","method":"keep"},{"tag":"(0010,1030)","method":"remove"}]}',
      '{"rules":[{"tag":"UI","method":"refreshUID"}]}',
      '{"rules":[{"tag":"SQ","method":"remove"}]}',
      '{"rules":[{"tag":"StudyDate","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"key"}}}',
      '{"rules":[{"tag":"(0008,00xx)","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"key"}}}',
      '{"rules":[{"tag":"PatientID","method":"keep","unexpected":true}]}',
      '{"rules":[{"tag":"(7776,1010)","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"key"}}}',
      '{"rules":[{"tag":"PixelData","method":"cryptoHash"}],"defaultSettings":{"cryptoHash":{"cryptoHashKey":"key"}}}',
    ]) assert.equal(loadDicomConfig(json, fixed).rules.length > 0, true, json);
  });

  it('configurations the reference rejects are rejected, every problem at once with its pointer', () => {
    rejects(fixtureJson('ms-dicom/configuration-miss-tag.json'), ['/rules/0/tag']);
    rejects(fixtureJson('ms-dicom/configuration-unsupported-method.json'), ['/rules/0/method']);
    rejects(fixtureJson('ms-dicom/configuration-invalid-DicomTag.json'), ['/rules/0/tag', '/rules/2/params']);
    rejects(fixtureJson('ms-dicom/configuration-invalid-parameters.json'), ['/rules/1/params']);
    // Custom methods ("mask") need a registered processor in the reference; we have none.
    rejects(fixtureJson('ms-dicom/configuration-custom.json'), ['/rules/0/method']);
    // No rules: the reference's test for this is disabled; we reject (nothing would be anonymized).
    rejects(fixtureJson('ms-dicom/configuration-miss-rules.json'), ['/rules']);
  });

  it("rule-factory vectors: tags, settings, custom settings and params (AnonymizerRuleFactoryTests)", () => {
    const redact = (r: unknown) => one(r).settings;
    assert.deepEqual(redact({ tag: '(0040,1001)', method: 'redact' }), { enablePartialAgesForRedact: false, enablePartialDatesForRedact: false });
    assert.deepEqual(redact({ tag: '00401001', method: 'redact', setting: 'redactCustomerSetting' }), { enablePartialAgesForRedact: true, enablePartialDatesForRedact: false });
    assert.deepEqual(redact({ tag: '00401001', method: 'redact', params: { enablePartialDatesForRedact: true }, setting: 'redactCustomerSetting' }), { enablePartialAgesForRedact: true, enablePartialDatesForRedact: true });
    assert.deepEqual(redact({ tag: '0040,1001', method: 'redact', params: { enablePartialDatesForRedact: true } }), { enablePartialAgesForRedact: false, enablePartialDatesForRedact: true });
    for (const spec of ['(0040,1001)', '00401001', '0040,1001']) assert.equal(withRule({ tag: spec, method: 'redact' }).match(0x00401001, 'LO')?.tagSpec, spec);

    assert.equal(one({ tag: '(0008,0001)', method: 'remove' }).method, 'remove');
    assert.equal(one({ tag: '00101000', method: 'keep' }).method, 'keep');
    assert.equal(one({ tag: '00080008', method: 'refreshuid' }).method, 'refreshUID');

    const perturb = (r: unknown) => one(r).settings;
    assert.deepEqual(perturb({ tag: 'PatientName', method: 'perturb' }), { span: 1, roundTo: 2, rangeType: 'Proportional' });
    assert.deepEqual(perturb({ tag: 'SpecificCharacterSet', method: 'perturb', params: { Span: '10' } }), { span: 10, roundTo: 2, rangeType: 'Proportional' });
    assert.deepEqual(perturb({ tag: 'LanguageCodeSequence', method: 'perturb', params: { roundTo: '3' }, setting: 'perturbCustomerSetting' }), { span: 1, roundTo: 3, rangeType: 'Fixed' });
    const lengthToEnd = withRule({ tag: 'LengthToEnd', method: 'perturb', setting: 'perturbCustomerSetting' });
    assert.equal(lengthToEnd.match(0x00080001, 'UL')?.settings['rangeType'], 'Fixed');

    const shift = (r: unknown) => one(r).settings;
    assert.deepEqual(shift({ tag: 'DA', method: 'dateshift', params: { dateShiftScope: 'SOPInstance' } }), { dateShiftKey: enc('123'), dateShiftScope: 'SopInstance', dateShiftRange: 50 });
    assert.deepEqual(shift({ tag: 'DT', method: 'dateshift' }), { dateShiftKey: enc('123'), dateShiftScope: 'SeriesInstance', dateShiftRange: 50 });
    assert.deepEqual(shift({ tag: 'CS', method: 'dateshift', setting: 'dateShiftCustomerSetting' }), { dateShiftKey: enc('123'), dateShiftScope: 'SopInstance', dateShiftRange: 100 });
    assert.deepEqual(shift({ tag: 'AS', method: 'dateshift', params: { dateShiftScope: 'SeriesInstance' }, setting: 'dateShiftCustomerSetting' }), { dateShiftKey: enc('123'), dateShiftScope: 'SeriesInstance', dateShiftRange: 100 });

    const key = (r: unknown) => one(r).settings['encryptKey'];
    assert.deepEqual(key({ tag: 'DS', method: 'encrypt', params: { encryptKey: '0000000000000000' } }), enc('0000000000000000'));
    assert.deepEqual(key({ tag: 'AT', method: 'encrypt' }), enc('123456781234567812345678'));
    assert.deepEqual(key({ tag: 'FD', method: 'encrypt', setting: 'encryptCustomerSetting' }), enc('0000000000000000'));
    assert.deepEqual(key({ tag: 'IS', method: 'encrypt', params: { encryptKey: '1234567812345678' }, setting: 'encryptCustomerSetting' }), enc('1234567812345678'));

    const hash = (spec: string, extra: object) => withRule({ tag: spec, method: 'cryptohash', ...extra });
    assert.deepEqual(hash('(0040,xx01)', {}).match(0x00402301, 'LO')?.settings['cryptoHashKey'], enc('123'));
    assert.equal(hash('(0040,xx01)', {}).match(0x00402302, 'LO'), undefined);
    assert.deepEqual(hash('(000x,0001)', { setting: 'cryptoHashCustomerSetting' }).match(0x00080001, 'UL')?.settings['cryptoHashKey'], enc('456'));
    assert.deepEqual(hash('(0008,xxxx)', { params: { cryptoHashKey: '456' } }).match(0x00081234, 'LO')?.settings['cryptoHashKey'], enc('456'));
    assert.deepEqual(hash('(0010,10xx)', { params: { cryptoHashKey: '123' }, setting: 'cryptoHashCustomerSetting' }).match(0x001010ff, 'LO')?.settings['cryptoHashKey'], enc('123'));

    const sub = (spec: string, extra: object, tag: number) => withRule({ tag: spec, method: 'substitute', ...extra }).match(tag, 'LO')?.settings['replaceWith'];
    assert.equal(sub('(00x0,x001)', {}, 0x00501001), 'ANONYMOUS');
    assert.equal(sub('(xxxx,xxxx)', { setting: 'substituteCustomerSetting' }, 0x12345678), 'customized');
    assert.equal(sub('(xxxx,0001)', { params: { replaceWith: 'test' } }, 0x00200001), 'test');
    assert.equal(sub('(0xxx,10xx)', { params: { replaceWith: 'test' }, setting: 'substituteCustomerSetting' }, 0x0abc1099), 'test');
  });

  it('invalid rules of AnonymizerRuleFactoryTests are rejected', () => {
    const base = factorySettings;
    rejects({ ...base, rules: [{ tag: '(0040)', method: 'redact' }] }, ['/rules/0/tag']);
    rejects({ ...base, rules: [{ tag: 'DD', method: 'dateshift' }] }, ['/rules/0/tag']);
    rejects({ ...base, rules: [{ tag: '(0040, 0010)', method: 'invalid' }] }, ['/rules/0/method']);
    rejects({ ...base, rules: [{ tag: '(0040, 0010)' }] }, ['/rules/0/method']);
    rejects({ ...base, rules: [{ method: 'encrypt' }] }, ['/rules/0/tag']);
    rejects({ ...base, rules: [{ tag: 'PatientName', method: 'perturb', setting: 'CustomerSetting' }] }, ['/rules/0/setting']);
  });

  it('bad setting values are reported where they were written, never with the value', () => {
    const doc = {
      rules: [
        { tag: 'DS', method: 'perturb', params: { span: -1, roundTo: 29, rangeType: 'Wide' } },
        { tag: 'DA', method: 'dateShift' },
        { tag: 'PN', method: 'encrypt', params: { encryptKey: 'short-secret-key' + 'x' } },
        { tag: 'LO', method: 'cryptoHash', params: { cryptoHashType: 'MD5' } },
      ],
      defaultSettings: { dateShift: { dateShiftScope: 'Patient', dateShiftRange: 'fifty' } },
    };
    assert.throws(() => loadDicomConfig(doc, fixed), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.diagnostics.map((d) => d.pointer), [
        '/rules/0/params/span', '/rules/0/params/roundTo', '/rules/0/params/rangeType',
        '/defaultSettings/dateShift/dateShiftRange', '/defaultSettings/dateShift/dateShiftScope',
        '/rules/2/params/encryptKey', '/rules/3/params/cryptoHashType',
      ]);
      assert.ok(!JSON.stringify(e.diagnostics).includes('short-secret'));
      assert.ok(!e.message.includes('short-secret'));
      return true;
    });
  });

  it('first matching rule wins across tag, mask, VR and keyword rules', () => {
    const set = loadDicomConfig({ rules: [{ tag: 'DA', method: 'remove' }, { tag: '(0008,0020)', method: 'keep' }, { tag: 'StudyTime', method: 'keep' }, { tag: '(0008,00xx)', method: 'redact' }] }, fixed);
    assert.equal(set.match(0x00080020, 'DA')?.method, 'remove');
    assert.equal(set.match(0x00080030, 'TM')?.method, 'keep');
    assert.equal(set.match(0x00080050, 'SH')?.method, 'redact');
    assert.equal(set.match(0x00090050, 'SH'), undefined);
    assert.equal(set.rules[3]!.index, 3);
  });

  it('keywords: dictionary keywords, the RETIRED suffix, repeating groups', () => {
    assert.equal(keywordToTag('PatientName'), 0x00100010);
    assert.equal(keywordToTag('LengthToEnd'), 0x00080001);
    assert.equal(keywordToTag('LengthToEndRETIRED'), 0x00080001);
    assert.equal(keywordToTag('OverlayData'), 0x60003000);
    assert.equal(keywordToTag('NoSuchKeyword'), undefined);
  });

  it('private creator selectors (extension): (gggg,xxee:CREATOR) matches that creator only', () => {
    const set = loadDicomConfig({ rules: [{ tag: '(0019,xx23:GEMS_ACQU_01)', method: 'keep' }, { tag: 'xxx9,xxxx', method: 'remove' }] }, fixed);
    assert.equal(set.match(0x00191023, 'DS', 'GEMS_ACQU_01 ')?.method, 'keep');
    assert.equal(set.match(0x00191123, 'DS', 'GEMS_ACQU_01')?.method, 'keep');
    assert.equal(set.match(0x00191023, 'DS', 'OTHER')?.method, 'remove');
    assert.equal(set.match(0x00191023, 'DS')?.method, 'remove');
    // Review 1, minor 7: a block written in the selector does not matter (the creator's block varies per file).
    const fixedBlock = loadDicomConfig({ rules: [{ tag: '(0019,1023:GEMS_ACQU_01)', method: 'remove' }, { tag: 'xxx9,xxxx', method: 'keep' }] }, fixed);
    for (const el of [0x00191023, 0x00191123, 0x0019ff23]) assert.equal(fixedBlock.match(el, 'DS', 'GEMS_ACQU_01')?.method, 'remove', el.toString(16));
    assert.equal(fixedBlock.match(0x00191024, 'DS', 'GEMS_ACQU_01')?.method, 'keep');
    assert.equal(fixedBlock.match(0x00191123, 'DS', 'OTHER')?.method, 'keep');
    assert.equal(fixedBlock.match(0x00190023, 'LO', 'GEMS_ACQU_01')?.method, 'keep'); // not a private data element
  });

  it('tolerates a BOM and trailing commas; bad JSON is a ConfigParseError that quotes nothing', () => {
    const set = loadDicomConfig('\uFEFF{"rules":[{"tag":"PN","method":"Redact",},],}', fixed);
    assert.equal(set.rules[0]!.method, 'redact');
    assert.equal(loadDicomConfig('{"rules":[{"tag":"LO","method":"substitute","params":{"replaceWith":"a,]"}}]}', fixed).rules[0]!.settings['replaceWith'], 'a,]');
    assert.throws(() => loadDicomConfig('{"rules": [ PATIENT-SECRET ]}', { file: 'c.json' }), (e: unknown) => {
      assert.ok(e instanceof ConfigParseError);
      assert.equal(e.code, 'ERR_CONFIG_PARSE');
      assert.ok(!e.message.includes('PATIENT'));
      assert.equal(e.location?.file, 'c.json');
      return true;
    });
    assert.throws(() => loadDicomConfig([], fixed), ConfigError);
  });

  it('keys written as numbers are read as their text, as Newtonsoft does; other types are rejected', () => {
    assert.deepEqual(loadDicomConfig({ rules: [{ tag: 'PN', method: 'cryptoHash', params: { cryptoHashKey: 123 } }] }).rules[0]!.settings['cryptoHashKey'], enc('123'));
    rejects({ rules: [{ tag: 'PN', method: 'cryptoHash', params: { cryptoHashKey: { a: 1 } } }] }, ['/rules/0/params/cryptoHashKey']);
  });

  it('missing keys are random per load, as in the reference', () => {
    const a = loadDicomConfig({ rules: [{ tag: 'PN', method: 'cryptoHash' }, { tag: 'UI', method: 'refreshUID' }] });
    const b = loadDicomConfig({ rules: [{ tag: 'PN', method: 'cryptoHash' }, { tag: 'UI', method: 'refreshUID' }] });
    assert.equal((a.rules[0]!.settings['cryptoHashKey'] as Uint8Array).length, 32);
    assert.notDeepEqual(a.rules[0]!.settings['cryptoHashKey'], b.rules[0]!.settings['cryptoHashKey']);
    const keyed = loadDicomConfig({ rules: [{ tag: 'UI', method: 'refreshUID' }], defaultSettings: { cryptoHash: { cryptoHashKey: 'k' } } });
    assert.deepEqual(keyed.rules[0]!.settings['uidKey'], enc('k'));
    const own = loadDicomConfig({ rules: [{ tag: 'UI', method: 'refreshUID' }], defaultSettings: { refreshUID: { uidKey: 'u' }, cryptoHash: { cryptoHashKey: 'k' } } });
    assert.deepEqual(own.rules[0]!.settings['uidKey'], enc('u'));
  });
});

describe('dicom-rules/reference-config diagnostics', () => {
  it('a bad default setting shared by several rules is reported once', () => {
    assert.throws(() => loadDicomConfig({ rules: [{ tag: 'DA', method: 'dateShift' }, { tag: 'DT', method: 'dateShift' }], defaultSettings: { dateShift: { dateShiftScope: 'Patient' } } }, fixed), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.diagnostics.map((d) => d.pointer), ['/defaultSettings/dateShift/dateShiftScope']);
      return true;
    });
  });
});

describe('dicom-rules/reference-config private groups', () => {
  it("privateTagConfig.json keeps the illegal groups 0001–0007 and FFFF, removes every other odd group (reference PR #258)", () => {
    const set = loadDicomConfig(fixtureText('ms-dicom/privateTagConfig.json'), fixed);
    for (const g of [0x0001, 0x0003, 0x0005, 0x0007, 0xffff]) assert.equal(set.match(((g << 16) | 0x0010) >>> 0, 'LO')?.method, 'keep', g.toString(16));
    for (let g = 0x0009; g <= 0xfffd; g += 2) assert.equal(set.match(((g << 16) | 0x1001) >>> 0, 'UN')?.method, 'remove', g.toString(16));
    for (let g = 0x0008; g <= 0xfffe; g += 0x1000) assert.equal(set.match(((g << 16) | 0x1001) >>> 0, 'UN'), undefined);
  });

  it('dateShift rules with no key, a short key or a zero range are reported (review 1, major 2)', () => {
    const cfg = (params: Record<string, unknown>) => loadDicomConfig({ rules: [{ tag: 'DA', method: 'keep' }, { tag: 'DT', method: 'dateShift', params }] });
    // No key at all: the offset is (H(UID) mod 2R+1) - R, computable from the original UID.
    assert.deepEqual(dateShiftWarnings(cfg({})).map((w) => [w.code, w.pointer]), [['W_DICOM_DATESHIFT_NO_KEY', '/rules/1']]);
    assert.deepEqual(dateShiftWarnings(cfg({ dateShiftKey: '' })).map((w) => w.code), ['W_DICOM_DATESHIFT_NO_KEY']);
    assert.deepEqual(dateShiftWarnings(cfg({ dateShiftKey: 'a-site-secret-of-32-bytes-000000', dateShiftRange: 0 })).map((w) => w.code), ['W_DICOM_DATESHIFT_NO_SHIFT']);
    assert.deepEqual(dateShiftWarnings(cfg({ dateShiftKey: 'a-site-secret-of-32-bytes-000000', dateShiftRange: 30 })), []);
    // The reference's own default configuration uses the key "123": weak.
    const reference = loadDicomConfig(fixtureText('ms-dicom/configuration.json'), fixed);
    const w = dateShiftWarnings(reference);
    assert.ok(w.length >= 1 && w.every((x) => x.code === 'W_DICOM_DATESHIFT_WEAK_KEY'));
    for (const x of w) assert.ok(!x.message.includes('123'), 'no key value in a warning');
  });
});
