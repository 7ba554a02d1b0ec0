import assert from 'node:assert/strict';
import { createDecipheriv, createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { createJsCore } from '../../src/core/index.ts';
import { applyDicomMethod, referenceDateShiftOffset, sameLengthNumber, type DicomMethodContext, type DicomMethodResult } from '../../src/dicom/rules/methods.ts';
import { roundHalfEven } from '../../src/methods/perturb.ts';
import { loadDicomConfig, type DicomRule } from '../../src/dicom/rules/reference-config.ts';
import { mapUid } from '../../src/dicom/rules/values.ts';
import { ConfigError, ProcessingError } from '../../src/errors.ts';

const core = createJsCore();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const SERIES = '1.3.6.1.4.1.5962.99.1.5128099.2103784727.1533308485539.5.0';
const ctx = (over: Partial<DicomMethodContext> = {}): DicomMethodContext => ({ core, uidMap: new Map(), referenceDate: new Date(Date.UTC(2024, 0, 1)), ...over });
const rule = (method: string, params: object = {}): DicomRule =>
  loadDicomConfig({ rules: [{ tag: 'PN', method, params }], defaultSettings: { cryptoHash: { cryptoHashKey: '123' }, dateShift: { dateShiftKey: '123', dateShiftScope: 'SeriesInstance' }, encrypt: { encryptKey: '123456781234567812345678' } } }).rules[0]!;
const text = (r: DicomMethodResult): string => {
  assert.equal(r.kind, 'replace');
  return dec((r as { value: Uint8Array }).value);
};
const run = (method: string, params: object, vr: string, value: string | Uint8Array, c = ctx()): DicomMethodResult =>
  applyDicomMethod(rule(method, params), vr, typeof value === 'string' ? enc(value) : value, true, c);

describe('dicom-rules/methods', () => {
  it('keep and remove', () => {
    assert.deepEqual(run('keep', {}, 'PN', 'A^B'), { kind: 'keep' });
    assert.deepEqual(run('remove', {}, 'PN', 'A^B'), { kind: 'remove' });
  });

  it('date-shift offset: the reference vectors (microsoft.md §2.10, §4.7)', () => {
    assert.equal(referenceDateShiftOffset(SERIES, enc('123'), 50), -23);
    assert.equal(referenceDateShiftOffset('', enc('dummy'), 50), -21);
    assert.equal(referenceDateShiftOffset('', enc(''), 50), -50);
    assert.equal(referenceDateShiftOffset('example', enc('123'), 50), 41);
    assert.equal(referenceDateShiftOffset('', enc('lipid123'), 50), 42);
  });

  it('dateShift DA: SeriesInstanceUID + "123", R = 50 → 20000101 becomes 19991209 (I290/I341 expected outputs)', () => {
    assert.equal(text(run('dateShift', {}, 'DA', '20000101', ctx({ dateShiftScopeUid: SERIES }))), '19991209');
    assert.equal(text(run('dateShift', {}, 'DA', '20000101\\20000301 ', ctx({ dateShiftScopeUid: SERIES }))), '19991209\\20000207');
    // Dates more than 89 years before the reference date are removed, as in the reference.
    assert.equal(text(run('dateShift', {}, 'DA', '19000101\\20000101', ctx({ dateShiftScopeUid: SERIES }))), '19991209');
    assert.deepEqual(run('dateShift', {}, 'DA', '19000101', ctx({ dateShiftScopeUid: SERIES })), { kind: 'empty' });
    assert.deepEqual(run('dateShift', {}, 'DA', '', ctx()), { kind: 'keep' });
  });

  it('dateShift with dateShiftAlgorithm Hmac (extension): a keyed offset per scope UID (review 1, major 2)', () => {
    const key = 'a site secret of 32 bytes 000000';
    // Expected offset computed with node:crypto from the documented input (docs/dicom-profile.md §7).
    const r = Number(createHmac('sha256', key).update(`health-anonymizer/date-offset/scope/v1\0${SERIES}`).digest().readBigUInt64BE(0) % 100n);
    const offset = r < 50 ? r - 50 : r - 49;
    const expected = new Date(Date.UTC(2000, 0, 1 + offset)).toISOString().slice(0, 10).replaceAll('-', '');
    const params = { dateShiftAlgorithm: 'Hmac', dateShiftKey: key, dateShiftRange: 50 };
    assert.equal(text(run('dateShift', params, 'DA', '20000101', ctx({ dateShiftScopeUid: SERIES }))), expected);
    assert.notEqual(expected, '20000101');
    // The extension refuses what makes the offset guessable or zero.
    assert.throws(() => rule('dateShift', { dateShiftAlgorithm: 'Hmac', dateShiftKey: '123' }), (e: unknown) => e instanceof ConfigError);
    assert.throws(() => rule('dateShift', { ...params, dateShiftRange: 0 }), (e: unknown) => e instanceof ConfigError);
  });

  it('dateShift DT: time to midnight on a 24-hour clock, zone kept, truncations accepted', () => {
    const c = ctx({ dateShiftScopeUid: SERIES }); // offset −23
    assert.equal(text(run('dateShift', {}, 'DT', '20150207132817-0500', c)), '20150115000000.000000-0500');
    assert.equal(text(run('dateShift', {}, 'DT', '20150207132817', c)), '20150115000000.000000'); // reference: …120000.000000
    assert.equal(text(run('dateShift', {}, 'DT', '19981002084725.1234+0800', c)), '19980909000000.000000+0800');
    assert.equal(text(run('dateShift', {}, 'DT', '2015020713', c)), '2015011500'); // the reference rejects truncated DT
    assert.equal(text(run('dateShift', {}, 'DT', '20150207', c)), '20150115');
    // Review 1, minor 8: offset −23 moves 15 February 2015 to 23 January (month changes), but 2 July
    // 2015 stays in 2015: a year-only value the shift cannot change is dropped, not kept.
    assert.equal(text(run('dateShift', {}, 'DT', '201502', c)), '201501');
    assert.deepEqual(run('dateShift', {}, 'DT', '2015', c), { kind: 'empty' });
    assert.throws(() => run('dateShift', {}, 'DT', '2015-02-07', c), ProcessingError);
    assert.throws(() => run('dateShift', {}, 'TM', '120000', c), ProcessingError);
    assert.throws(() => run('dateShift', {}, 'DA', '2015020', c), ProcessingError);
  });

  it('redact: everything empties; SQ empties; partial DA/DT/AS per the reference unit tests, 24-hour clock', () => {
    for (const [vr, v] of [['DT', '20210320202020.20+0800'], ['DA', '20210320'], ['AS', '090Y'], ['PN', 'A^B'], ['US', new Uint8Array([1, 0])], ['SQ', new Uint8Array(0)]] as const) {
      assert.deepEqual(run('redact', {}, vr, v), { kind: 'empty' }, vr);
    }
    const partial = { enablePartialDatesForRedact: true, enablePartialAgesForRedact: true };
    assert.equal(text(run('redact', partial, 'DT', '20210320202020.20+0800')), '20210101000000.000000+0800');
    assert.equal(text(run('redact', partial, 'DT', '20210320202020.20+0800\\20210320202020.00654\\20210320202020+1400\\19000320202020+1400')),
      '20210101000000.000000+0800\\20210101000000.000000\\20210101000000.000000+1400');
    assert.equal(text(run('redact', partial, 'DA', '20210320')), '20210101');
    assert.equal(text(run('redact', partial, 'DA', '20210320\\19110101\\20200101')), '20210101\\20200101');
    assert.deepEqual(run('redact', partial, 'AS', '090Y'), { kind: 'empty' });
    assert.equal(text(run('redact', partial, 'AS', '010D\\010W\\100M\\010Y\\090Y')), '010D\\010W\\100M\\010Y');
    assert.equal(text(run('redact', partial, 'DT', '2021')), '2021');
    assert.throws(() => run('redact', partial, 'AS', '90 years'), ProcessingError);
  });

  it('cryptoHash: the reference vectors per VR (key "123", HMAC-SHA256 hex, per value)', () => {
    const cases: [string, string, string][] = [
      ['PN', 'Test\\Test', 'd61ffce34b0192c52d7a67215be73f1e2d640d01383dd8115170b9bd20779a91\\d61ffce34b0192c52d7a67215be73f1e2d640d01383dd8115170b9bd20779a91'],
      ['UC', 'TEST', '2e7acefff0307262cef6f503fa7019257f3f9d47fc987fb2c5a31ae4f4d3c022'],
      ['LO', 'TestTimer', '967df06624010af6b86a019e26aff938976a82e947e96331d8f1fdf387a88089'],
      ['UT', 'TestInformation', '70267ad9b166401a6cd6939564dcb70264bb5a62809948e83eebc1a233f43617'],
      ['ST', 'TestDescription', '79a5ed3e37eba9bcd14cc30759916ad5df394047a2fed4ad69f1d8ec5edc5337'],
      ['UR', 'http://test', '4983fd14ec2878e50c454764a0d02654ae76fe1001557847b031435100acc9a1'],
      ['AE', 'TEST', '2e7acefff0307262cef6f503fa7019257f3f9d47fc987fb2c5a31ae4f4d3c022'],
      ['AS', '100Y', '0329e399cd57ed8b21172ede4ae295f549c3d6ece0d292c01a707531d133936e'],
      ['CS', '0', '976feb2c9f52ff3c8114901e9913be50063f50b1683ea556f1fe47d449cc5583'],
      ['DS', '1234.5', '92b95e021c40596706b243f79fe0f45394de785be64866f6b46fcacd0839ac43'],
      ['IS', '1234', 'c1771ad95972ef1ab887140489863ede4faad7458441a3a8a4781454e368b52d'],
      ['SH', 'TEST ', '2e7acefff0307262cef6f503fa7019257f3f9d47fc987fb2c5a31ae4f4d3c022'],
      ['UI', '12345\0', '81c7be73b3eaeca31695a744fbc6d3abb5a37ffc10498d0fcb4111c7944b28a0'],
      ['LO', '', '6d6cd63284be4a47ba7aec4a3458939a95dcbdd5cd0438f23d7457099b4b917c'],
    ];
    for (const [vr, input, want] of cases) assert.equal(text(run('cryptoHash', {}, vr, input)), want, vr);
    assert.equal(text(run('cryptoHash', { cryptoHashType: 'Sha512' }, 'LO', 'abc')),
      '58585acd673067f96bea32a1c57bf3fc3fd5a42678567e72d5cb0ab7f08ea41dcf3a41af96c53948e13184ae6fe6cd0b8b4193fc593dfb2693b00c2b0ee7a316');
    const ob = run('cryptoHash', {}, 'OB', 'test') as { value: Uint8Array };
    assert.equal(Buffer.from(ob.value).toString('hex'), 'a7f5c8c626f994482813230854f66700e626208f52d913b9bd6b4e039aab0f41');
    assert.equal(text(run('cryptoHash', { cryptoHashType: 'Sha384' }, 'LO', 'abc')), createHmac('sha384', '123').update('abc').digest('hex'));
    // LT/ST/UT/UR are single-valued: a backslash is content.
    assert.equal(text(run('cryptoHash', {}, 'UT', 'a\\b')), createHmac('sha256', '123').update('a\\b').digest('hex'));
    assert.throws(() => run('cryptoHash', {}, 'US', new Uint8Array(2)), ProcessingError);
    assert.throws(() => run('cryptoHash', {}, 'SQ', new Uint8Array(0)), ProcessingError);
  });

  it('cryptoHash matchInputStringLength: digits of the input length, as the reference computes them in float', () => {
    // Fixed vectors (review 1, minor 11), derived outside this code base: Python's hmac/hashlib for
    // HMAC-SHA256(key "123", input), then the reference's CryptoHashFunction.GenerateOutputOfSameLength
    // steps done by hand in float32 (struct.pack('<f')): u = first 4 bytes little endian,
    // f = f32(f32(u) / f32(2^32 - 1)), out = trunc(f32(f · f32(10^n − 1 − 10^(n−1)))) + 10^(n−1) (0 for n = 1).
    const vectors: [string, string, string][] = [
      ['7', '8266afd0', '7'],
      ['12', '5ee36a14', '17'],
      ['1234', 'c1771ad9', '8631'],
      ['12345678', '28c5c0ac', '70733480'],
      ['123456789012345678', 'eef082a7', '688907567527231488'],
    ];
    for (const [input, first4, expected] of vectors) {
      assert.equal(createHmac('sha256', '123').update(input).digest().subarray(0, 4).toString('hex'), first4, 'HMAC prefix');
      assert.equal(text(run('cryptoHash', { matchInputStringLength: true }, 'LO', input)), expected, input);
    }
    assert.equal(sameLengthNumber(new Uint8Array(32), 4), '1000');
    assert.equal(sameLengthNumber(new Uint8Array(32).fill(255), 1), '9');
    assert.throws(() => run('cryptoHash', { matchInputStringLength: true }, 'LO', '1234567890123456789'), ProcessingError);
  });

  it('encrypt: Base64(IV ‖ AES-CBC) per non-empty value, decryptable with node:crypto; OB raw', () => {
    const k = { encryptKey: '704ab12c8e3e46d4bea600ef62a6bec7' };
    const key = Buffer.from(k.encryptKey);
    const decrypt = (blob: Buffer): string => {
      const d = createDecipheriv('aes-256-cbc', key, blob.subarray(0, 16));
      return Buffer.concat([d.update(blob.subarray(16)), d.final()]).toString('latin1');
    };
    const out = text(run('encrypt', k, 'PN', 'Doe^John\\\\Roe ')).split('\\');
    assert.equal(out.length, 2); // the empty value is dropped, as in the reference
    assert.deepEqual(out.map((b) => decrypt(Buffer.from(b, 'base64'))), ['Doe^John', 'Roe']);
    const again = text(run('encrypt', k, 'PN', 'Doe^John')); // a fresh IV each time
    assert.notEqual(again, out[0]);
    const ob = run('encrypt', k, 'OB', new Uint8Array([1, 2, 3, 4])) as { value: Uint8Array };
    assert.equal(ob.value.length, 32);
    assert.deepEqual([...Buffer.from(decrypt(Buffer.from(ob.value)), 'latin1')], [1, 2, 3, 4]);
    assert.deepEqual(run('encrypt', k, 'LO', ''), { kind: 'keep' });
    // The default 24-byte key of the reference's sample (AES-192), checked with the core's inverse.
    assert.equal(core.decryptTextCbcBase64(enc('123456781234567812345678'), text(run('encrypt', {}, 'LO', 'abc'))), 'abc');
    assert.throws(() => run('encrypt', {}, 'FD', new Uint8Array(8)), ProcessingError);
  });

  it('substitute: text as is, numbers encoded per VR (SubstituteProcessorUnitTests)', () => {
    assert.equal(text(run('substitute', { replaceWith: '' }, 'AE', 'TEST')), '');
    assert.equal(text(run('substitute', {}, 'SH', 'TEST')), 'Anonymous');
    assert.equal(text(run('substitute', { replaceWith: 'Name=Name=Name' }, 'PN', 'Name')), 'Name=Name=Name');
    assert.equal(text(run('substitute', { replaceWith: '50.1' }, 'DS', '53.000')), '50.1');
    // Review 1, minor 12: PS3.5 Table 6.2-1 maximum lengths (SH 16, AS 4, LO 64, PN 64 per group), per value.
    const long = run('substitute', { replaceWith: 'Anonymous hospital department' }, 'SH', 'X') as { kind: 'replace'; value: Uint8Array; truncated?: boolean };
    assert.equal(text(long), 'Anonymous hospit');
    assert.equal(long.truncated, true);
    assert.equal(text(run('substitute', { replaceWith: 'Anonymous' }, 'AS', '045Y')), 'Anon');
    assert.equal(text(run('substitute', { replaceWith: `${'a'.repeat(70)}\\b` }, 'LO', 'X')), `${'a'.repeat(64)}\\b`);
    assert.equal(text(run('substitute', { replaceWith: `${'n'.repeat(65)}=x` }, 'PN', 'X')), `${'n'.repeat(64)}=x`);
    assert.equal((run('substitute', { replaceWith: 'x'.repeat(2000) }, 'UT', 'X') as { truncated?: boolean }).truncated, undefined); // UT: no limit
    assert.equal((run('substitute', {}, 'SH', 'X') as { truncated?: boolean }).truncated, undefined);
    const num = (vr: string, rw: string): Buffer => Buffer.from((run('substitute', { replaceWith: rw }, vr, new Uint8Array(8)) as { value: Uint8Array }).value);
    assert.equal(num('FD', '23456').readDoubleLE(0), 23456);
    assert.equal(num('FL', '23456').readFloatLE(0), 23456);
    assert.equal(num('SL', '23456').readInt32LE(0), 23456);
    assert.equal(num('SS', '-23456').readInt16LE(0), -23456);
    assert.equal(num('UL', '23456').readUInt32LE(0), 23456);
    assert.equal(num('US', '20').readUInt16LE(0), 20);
    assert.deepEqual([...num('US', '1\\2')], [1, 0, 2, 0]);
    assert.deepEqual([...num('AT', '(0010,0020)')], [0x10, 0x00, 0x20, 0x00]);
    assert.equal(num('OW', '12').readUInt16LE(0), 12);
    assert.equal(num('OD', '1.5').readDoubleLE(0), 1.5);
    const be = applyDicomMethod(rule('substitute', { replaceWith: '258' }), 'US', new Uint8Array(2), false, ctx()) as { value: Uint8Array };
    assert.deepEqual([...be.value], [1, 2]);
    for (const [vr, rw] of [['US', '70000'], ['US', 'abc'], ['SS', '1.5'], ['AT', 'PatientName'], ['OW', '-1']]) {
      assert.throws(() => run('substitute', { replaceWith: rw }, vr!, new Uint8Array(2)), ProcessingError, `${vr} ${rw}`);
    }
    assert.throws(() => run('substitute', {}, 'OB', new Uint8Array(2)), ProcessingError);
    assert.throws(() => run('substitute', {}, 'SQ', new Uint8Array(0)), ProcessingError);
  });

  it('perturb: ranges of PerturbProcessorUnitTests over many draws', () => {
    const f64 = (n: number): Uint8Array => { const b = Buffer.alloc(8); b.writeDoubleLE(n); return b; };
    const f32 = (n: number): Uint8Array => { const b = Buffer.alloc(4); b.writeFloatLE(n); return b; };
    const i32 = (n: number): Uint8Array => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
    const i16 = (n: number): Uint8Array => { const b = Buffer.alloc(2); b.writeInt16LE(n); return b; };
    const u32 = (n: number): Uint8Array => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
    const u16 = (n: number): Uint8Array => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
    const val = (r: DicomMethodResult, read: (b: Buffer) => number): number => read(Buffer.from((r as { value: Uint8Array }).value));
    for (let i = 0; i < 200; i++) {
      const is = Number(text(run('perturb', { span: 1, roundTo: 0 }, 'IS', '1234')));
      assert.ok(Number.isInteger(is) && is >= 617 && is <= 1851, String(is));
      const ds = Number(text(run('perturb', { span: 1000, roundTo: 2, rangeType: 'Fixed' }, 'DS', '1234.5')));
      assert.ok(ds >= 734.5 && ds <= 1734.5 && Math.round(ds * 100) / 100 === ds);
      const fd = val(run('perturb', {}, 'FD', f64(12345)), (b) => b.readDoubleLE(0));
      assert.ok(fd >= 6172.5 && fd <= 18517.5);
      const fl = val(run('perturb', { roundTo: 0 }, 'FL', f32(12345)), (b) => b.readFloatLE(0));
      assert.ok(fl >= 6172 && fl <= 18518 && Number.isInteger(fl));
      const sl = val(run('perturb', { roundTo: 0 }, 'SL', i32(12345)), (b) => b.readInt32LE(0));
      assert.ok(sl >= 6172 && sl <= 18518);
      const ss = val(run('perturb', { span: 10000, rangeType: 'Fixed' }, 'SS', i16(12345)), (b) => b.readInt16LE(0));
      assert.ok(ss >= 7345 && ss <= 17345);
      const ul = val(run('perturb', { span: 100000, rangeType: 'Fixed' }, 'UL', u32(12345)), (b) => b.readUInt32LE(0));
      assert.ok(ul >= 0 && ul <= 62345); // clamped at 0
      const us = val(run('perturb', {}, 'US', u16(10)), (b) => b.readUInt16LE(0));
      assert.ok(us >= 5 && us <= 15);
      const as = text(run('perturb', {}, 'AS', '050Y'));
      assert.match(as, /^\d{3}Y$/);
      assert.ok(Number(as.slice(0, 3)) >= 25 && Number(as.slice(0, 3)) <= 75);
    }
  });

  it('perturb: integers are rounded half-even, not truncated as in the reference', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) seen.add(text(run('perturb', { span: 1.8, rangeType: 'Fixed' }, 'IS', '10')));
    assert.deepEqual([...seen].sort(), ['10', '11', '9']); // truncation could never give 11
    assert.equal(roundHalfEven(2.5, 0), 2);
    assert.equal(roundHalfEven(3.5, 0), 4);
    assert.equal(roundHalfEven(-2.5, 0), -2);
    assert.equal(roundHalfEven(0.125, 2), 0.12);
    assert.equal(roundHalfEven(0.375, 2), 0.38);
    assert.throws(() => run('perturb', {}, 'PN', 'A'), ProcessingError);
    assert.throws(() => run('perturb', {}, 'DS', 'abc'), ProcessingError);
    assert.throws(() => run('perturb', {}, 'US', new Uint8Array(3)), ProcessingError);
  });

  it('refreshUID: keyed mapUid per value, shared map, well-known UIDs unchanged (deterministic, unlike the reference)', () => {
    const c = ctx();
    const r = loadDicomConfig({ rules: [{ tag: 'UI', method: 'refreshUID' }], defaultSettings: { cryptoHash: { cryptoHashKey: '123' } } }).rules[0]!;
    const out = text(applyDicomMethod(r, 'UI', enc('1.2.3.4\\1.2.840.10008.5.1.4.1.1.2\0'), true, c)).split('\\');
    assert.equal(out[0], mapUid('1.2.3.4', enc('123'), core));
    assert.equal(out[1], '1.2.840.10008.5.1.4.1.1.2');
    // Review 1, minor 6: a numeric default cryptoHashKey (Newtonsoft reads 123 as "123") keys refreshUID too.
    const numeric = loadDicomConfig({ rules: [{ tag: 'UI', method: 'refreshUID' }], defaultSettings: { cryptoHash: { cryptoHashKey: 123 } } }).rules[0]!;
    assert.equal(text(applyDicomMethod(numeric, 'UI', enc('1.2.3.4'), true, ctx())), mapUid('1.2.3.4', enc('123'), core));
    // Review 1, minor 5: the shared map must not hand a UID mapped under one key to a rule with another key.
    const other = loadDicomConfig({ rules: [{ tag: 'UI', method: 'refreshUID' }], defaultSettings: { refreshUID: { uidKey: 'another-key' } } }).rules[0]!;
    assert.equal(text(applyDicomMethod(other, 'UI', enc('1.2.3.4'), true, c)), mapUid('1.2.3.4', enc('another-key'), core));
    assert.equal(text(applyDicomMethod(r, 'UI', enc('1.2.3.4'), true, c)), out[0]);
    const again = text(applyDicomMethod(r, 'UI', enc('1.2.3.4'), true, ctx()));
    assert.equal(again, out[0]);
    assert.deepEqual(applyDicomMethod(r, 'UI', new Uint8Array(0), true, c), { kind: 'keep' });
    assert.throws(() => applyDicomMethod(r, 'LO', enc('1.2.3'), true, c), ProcessingError);
  });

  it('errors name the method and VR, never the value', () => {
    try {
      run('dateShift', {}, 'DA', 'SECRET-DATE');
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ProcessingError);
      assert.ok(!e.message.includes('SECRET'));
    }
  });
});
