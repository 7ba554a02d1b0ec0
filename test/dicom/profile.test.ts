import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../harness.ts';
import { createDicomAnonymizer } from '../../src/dicom/anonymizer.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { parseDicom } from '../../src/dicom/parse.ts';
import { rewriteDicom, type ElementAction, type NewElement } from '../../src/dicom/rewrite.ts';
import { encodeText } from '../../src/dicom/encode-value.ts';
import { isUidExempt, createUidMapper, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../src/dicom/uids.ts';
import { isWellKnownUid } from '../../src/dicom/rules/values.ts';
import { isSafePrivate, profileAction } from '../../src/dicom/rules/profile.ts';
import { DICOM_OPTIONS, type DicomOption } from '../../src/dicom/rules/options.ts';
import { getCore } from '../../src/core/index.ts';
import { readSample, wellFormedSamples } from './fixtures.ts';
import { containsBytes, explicitLe, implicitLe, text, top, valuesOf, walk } from './walk.ts';

const KEY = new TextEncoder().encode('profile-test-key-0123456789');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The bytes of a value read as Latin-1 by the walker (one byte per character, any charset). */
const raw = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Identifying strings of a file: patient names and IDs, instance UIDs, dates, at any depth. */
function identifiers(bytes: Uint8Array): Set<string> {
  const found = new Set<string>();
  for (const v of walk(parseDicom(bytes))) {
    const tag = v.el.tag;
    if (v.el.items !== undefined) continue;
    const value = text(v);
    if (tag === 0x00100010 || tag === 0x00100020 || v.el.vr === 'PN') {
      for (const part of value.split(/[\\^=]/)) if (part.trim().length >= 4) found.add(part.trim());
    } else if (v.el.vr === 'UI' && !isUidExempt(tag) && tag !== 0x00020010 && tag !== 0x00020012) {
      for (const uid of value.split('\\')) if (uid.length >= 8 && !isWellKnownUid(uid)) found.add(uid);
    } else if (v.el.vr === 'DA') {
      for (const d of value.split('\\')) if (/^\d{8}$/.test(d)) found.add(d);
    } else if (v.el.vr === 'DT') {
      // The date part of combined date-times.
      for (const d of value.split('\\')) if (/^\d{8}/.test(d)) found.add(d.slice(0, 8));
    }
  }
  return found;
}

/** Builds a copy of a sample with a new SOP Instance UID (and optional top-level inserts) using the rewriter. */
function variant(name: string, sopUid: string, inserts: NewElement[] = []): Uint8Array {
  const parsed = parseDicom(readSample(name));
  const out = rewriteDicom(parsed, {
    planDataset: (els, ctx) => ({
      actions: els.map((e): ElementAction => (ctx.depth === 0 && e.tag === 0x00080018 ? { kind: 'replace', value: encodeText(sopUid, 'UI') } : { kind: 'keep' })),
      ...(ctx.depth === 0 ? { inserts } : {}),
    }),
  }, {
    meta: parsed.meta.filter((m) => m.tag !== 0x00020000).map((m) => (m.tag === 0x00020003
      ? { tag: m.tag, vr: 'UI', value: encodeText(sopUid, 'UI') }
      : { tag: m.tag, vr: m.vr, value: parsed.source.slice(m.valueStart, m.valueStart + m.length) })),
    zeroPreamble: false,
  });
  return out.bytes;
}

describe('dicom/profile', () => {
  const anonymizer = createDicomAnonymizer({ key: KEY });

  for (const name of wellFormedSamples()) {
    it(`${name}: no original patient name, patient ID, instance UID or date bytes remain anywhere`, () => {
      const input = readSample(name);
      const output = anonymizer.anonymize(input, { file: name });
      const leaks = [...identifiers(input)].filter((s) => containsBytes(output, raw(s)));
      assert.deepEqual(leaks.map((s) => `${s.length} chars`), [], `${leaks.length} identifying strings remain`);
      assert.deepEqual(output.subarray(0, 128), new Uint8Array(128), 'preamble zeroed');
    });
  }

  it('under every PS3.15 option alone, no patient name or patient ID remains', () => {
    const names = ['CT_small.dcm', 'test-SR.dcm', 'rtplan.dcm', 'reportsi.dcm', 'chrH31.dcm'];
    for (const option of DICOM_OPTIONS) {
      const a = createDicomAnonymizer({ key: KEY, options: [option] });
      for (const name of names) {
        const input = readSample(name);
        const out = a.anonymize(input);
        const people = walk(parseDicom(input)).filter((v) => v.el.tag === 0x00100010 || v.el.tag === 0x00100020).map(text).filter((t) => t.length >= 4);
        for (const p of people) assert.ok(!containsBytes(out, raw(p)), `${option} ${name}`);
        assert.equal(top(out, 0x00020003), top(out, 0x00080018), `${option} ${name} meta`);
      }
    }
  });

  it('writes the de-identification markers and a regenerated file meta', () => {
    const out = createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalModifiedDates', 'retainDeviceIdentity'] }).anonymize(readSample('CT_small.dcm'));
    assert.equal(top(out, 0x00120062), 'YES');
    assert.ok((top(out, 0x00120063) ?? '').length > 0);
    const codes = valuesOf(out, 0x00080100);
    assert.ok(codes.includes('113100'), 'Basic profile code');
    assert.ok(codes.includes('113107'), 'Modified Dates option code');
    assert.ok(codes.includes('113109'), 'Device Identity option code');
    assert.deepEqual([...new Set(valuesOf(out, 0x00080102))], ['DCM']);
    assert.equal(top(out, 0x00280303), 'MODIFIED');
    assert.equal(top(out, 0x00020012), IMPLEMENTATION_CLASS_UID);
    assert.equal(top(out, 0x00020013), IMPLEMENTATION_VERSION_NAME);
    assert.ok(IMPLEMENTATION_VERSION_NAME.length <= 16);
    assert.equal(top(out, 0x00020003), top(out, 0x00080018));
    assert.equal(top(out, 0x00020010), '1.2.840.10008.1.2.1');
    const metaTags = parseDicom(out).meta.map((e) => e.tag);
    assert.deepEqual(metaTags, [0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013]);
    assert.equal(top(createDicomAnonymizer({ key: KEY }).anonymize(readSample('CT_small.dcm')), 0x00280303), 'REMOVED');
    assert.equal(top(createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalFullDates'] }).anonymize(readSample('CT_small.dcm')), 0x00280303), 'UNMODIFIED');
    // With Retain UIDs the SOP Instance UID is kept, and the file meta follows it.
    const kept = createDicomAnonymizer({ key: KEY, options: ['retainUIDs'] }).anonymize(readSample('CT_small.dcm'));
    assert.equal(top(kept, 0x00080018), top(readSample('CT_small.dcm'), 0x00080018));
    assert.equal(top(kept, 0x00020003), top(kept, 0x00080018));
  });

  it('removes every private element by default, at every depth, also UN-encoded private sequences', () => {
    for (const name of ['CT_small.dcm', 'JPEG-lossy.dcm', 'priv_SQ.dcm', 'nested_priv_SQ.dcm', 'UN_sequence.dcm']) {
      const out = anonymizer.anonymize(readSample(name));
      const privates = walk(parseDicom(out)).filter((v) => (v.el.tag >>> 16) & 1);
      assert.equal(privates.length, 0, name);
    }
  });

  it('Retain Safe Private keeps only listed private elements, each with its creator', () => {
    const input = readSample('CT_small.dcm');
    const out = createDicomAnonymizer({ key: KEY, options: ['retainSafePrivate'] }).anonymize(input);
    const parsed = parseDicom(out);
    const privates = parsed.dataset.filter((e) => (e.tag >>> 16) & 1);
    const creators = new Map(privates.filter((e) => (e.tag & 0xffff) < 0x100).map((e) => [((e.tag >>> 16) << 8) | (e.tag & 0xff), text({ path: [], el: e, bytes: parsed.bytes, meta: false })]));
    const data = privates.filter((e) => (e.tag & 0xffff) >= 0x1000);
    assert.ok(data.length > 0, 'some safe GE elements kept');
    for (const e of data) {
      const creator = creators.get(((e.tag >>> 16) << 8) | ((e.tag & 0xffff) >>> 8));
      assert.ok(creator !== undefined, 'creator kept');
      assert.ok(isSafePrivate(e.tag >>> 16, e.tag & 0xffff, creator!), 'listed as safe');
    }
    // Creators without a kept element are gone.
    for (const [block] of creators) assert.ok(data.some((e) => (((e.tag >>> 16) << 8) | ((e.tag & 0xffff) >>> 8)) === block));
    // PixelMed's DeidentifyAndRedact (KEEPSAFEPRIVATE) keeps GEMS_ACQU_01 xx23/xx24/xx27 and GEMS_PARM_01 xx27 from this file.
    const kept = data.map((e) => `${creators.get(((e.tag >>> 16) << 8) | ((e.tag & 0xffff) >>> 8))} ${(e.tag & 0xff).toString(16).padStart(2, '0')}`);
    for (const expected of ['GEMS_ACQU_01 23', 'GEMS_ACQU_01 24', 'GEMS_ACQU_01 27', 'GEMS_PARM_01 27']) assert.ok(kept.includes(expected), expected);
  });

  it('removes Original Attributes, Digital Signatures, Icon Image and trailing padding at any depth', () => {
    const item: NewElement[] = [
      { tag: 0x00100010, vr: 'PN', value: encodeText('NESTED^NAME', 'PN') },
      { tag: 0x00880200, vr: 'SQ', items: [[{ tag: 0x00280010, vr: 'US', value: new Uint8Array([1, 0]) }]] },
      { tag: 0x04000561, vr: 'SQ', items: [[{ tag: 0x00100010, vr: 'PN', value: encodeText('OLD^NAME', 'PN') }]] },
    ];
    const input = variant('MR_small.dcm', '1.2.3.4.5.6.7.8', [
      { tag: 0x00081115, vr: 'SQ', items: [item] },
      { tag: 0x00880200, vr: 'SQ', items: [[{ tag: 0x00280010, vr: 'US', value: new Uint8Array([1, 0]) }]] },
      { tag: 0x04000561, vr: 'SQ', items: [[{ tag: 0x00100020, vr: 'LO', value: encodeText('OLDID123', 'LO') }]] },
      { tag: 0xfffafffa, vr: 'SQ', items: [[]] },
      { tag: 0xfffcfffc, vr: 'OB', value: new Uint8Array(8) },
    ]);
    assert.equal(walk(parseDicom(input)).filter((v) => v.el.tag === 0x04000561).length, 2);
    const out = anonymizer.anonymize(input);
    const tags = walk(parseDicom(out)).map((v) => v.el.tag);
    for (const t of [0x04000561, 0xfffafffa, 0xfffcfffc, 0x00880200]) assert.ok(!tags.includes(t), t.toString(16));
    assert.ok(!containsBytes(out, enc('OLD^NAME')) && !containsBytes(out, enc('NESTED')) && !containsBytes(out, enc('OLDID123')));
  });

  it('X on a sequence removes its whole subtree; K/U sequences are entered', () => {
    const input = readSample('CT_small.dcm');
    const parsed = parseDicom(input);
    const out = parseDicom(anonymizer.anonymize(input));
    const opts = new Set<never>();
    for (const el of parsed.dataset.filter((e) => e.items !== undefined && !e.encapsulated && !((e.tag >>> 16) & 1))) {
      const act = profileAction(el.tag, opts);
      const present = out.dataset.some((e) => e.tag === el.tag);
      assert.equal(present, act !== 'X', `${el.tag.toString(16)} ${act}`);
    }
  });

  it('maps UIDs consistently across the files of one study, references included, in separate runs with one key', () => {
    const study = ['1.2.826.0.1.3680043.99.1.1', '1.2.826.0.1.3680043.99.1.2', '1.2.826.0.1.3680043.99.1.3'];
    const ref = (uid: string): NewElement => ({
      tag: 0x00081140, vr: 'SQ', items: [[
        { tag: 0x00081150, vr: 'UI', value: encodeText('1.2.840.10008.5.1.4.1.1.2', 'UI') },
        { tag: 0x00081155, vr: 'UI', value: encodeText(uid, 'UI') },
      ]],
    });
    const inputs = study.map((uid, i) => variant('CT_small.dcm', uid, i > 0 ? [ref(study[i - 1]!)] : []));
    const outputs = inputs.map((b) => createDicomAnonymizer({ key: KEY }).anonymize(b));
    const sops = outputs.map((o) => top(o, 0x00080018)!);
    assert.equal(new Set(sops).size, 3);
    for (const o of outputs) assert.equal(top(o, 0x00020003), top(o, 0x00080018));
    for (const tag of [0x0020000d, 0x0020000e, 0x00200052]) {
      const values = new Set(outputs.map((o) => top(o, tag)));
      assert.equal(values.size, 1, `${tag.toString(16)} consistent`);
      assert.notEqual([...values][0], top(inputs[0]!, tag));
    }
    for (let i = 1; i < 3; i++) {
      assert.deepEqual(valuesOf(outputs[i]!, 0x00081155), [sops[i - 1]], 'reference follows the referenced instance');
      assert.deepEqual(valuesOf(outputs[i]!, 0x00081150), ['1.2.840.10008.5.1.4.1.1.2'], 'class UID kept');
    }
    for (const s of sops) assert.match(s, /^2\.25\.\d+$/);
    // Another key gives other UIDs.
    const other = createDicomAnonymizer({ key: enc('another-key-0123456789abc') }).anonymize(inputs[0]!);
    assert.notEqual(top(other, 0x00080018), sops[0]);
  });

  it('maps UIDs inside a public sequence encoded as UN with undefined length (implicit VR content)', () => {
    const inner = [...implicitLe(0x00081150, '1.2.840.10008.5.1.4.1.1.2', true), ...implicitLe(0x00081155, '1.2.999.555.1', true), ...implicitLe(0x00100010, 'HIDDEN^NAME')];
    const item = [0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff, ...inner, 0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];
    const seq = [0x08, 0x00, 0x40, 0x11, 0x55, 0x4e, 0, 0, 0xff, 0xff, 0xff, 0xff, ...item, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];
    const bytes = new Uint8Array([
      ...explicitLe(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
      ...explicitLe(0x00080018, 'UI', '1.2.999.555.2'),
      ...seq,
      ...explicitLe(0x00100010, 'PN', 'TOP^NAME'),
    ]);
    const parsed = parseDicom(bytes);
    assert.equal(parsed.dataset[2]!.vr, 'UN');
    assert.equal(parsed.dataset[2]!.itemEncoding?.explicitVr, false);
    const out = createDicomAnonymizer({ key: KEY, options: ['retainUIDs'] }).anonymize(bytes);
    // Retain UIDs keeps them; the nested name is still handled (Referenced Image Sequence is kept, names removed inside).
    assert.ok(!containsBytes(out, enc('HIDDEN')));
    const out2 = anonymizer.anonymize(bytes);
    const mapped = createUidMapper(KEY, getCore()).map('1.2.999.555.1');
    assert.deepEqual(valuesOf(out2, 0x00081155), [mapped]);
    assert.ok(!containsBytes(out2, enc('1.2.999.555.1')) && !containsBytes(out2, enc('HIDDEN')) && !containsBytes(out2, enc('TOP^NAME')));
  });

  it('Retain Longitudinal Modified Dates shifts DA and DT by one keyed offset per patient, the same in every file', () => {
    const a = createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalModifiedDates'] });
    const input = readSample('CT_small.dcm');
    const out1 = a.anonymize(input);
    const out2 = createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalModifiedDates'] }).anonymize(variant('CT_small.dcm', '1.2.3.9.9.9'));
    const days = (s: string): number => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8)) / 86400000;
    const study = top(input, 0x00080020)!;
    const shifted = top(out1, 0x00080020)!;
    assert.match(shifted, /^\d{8}$/);
    const offset = days(shifted) - days(study);
    assert.notEqual(offset, 0);
    assert.ok(Math.abs(offset) <= 365);
    assert.equal(top(out2, 0x00080020), shifted, 'same patient, other file: same shift');
    for (const tag of [0x00080021, 0x00080022, 0x00080023]) {
      const before = top(input, tag);
      if (before !== undefined && before !== '') assert.equal(days(top(out1, tag)!) - days(before), offset, tag.toString(16));
    }
    // Times stay (shifting by whole days does not change them).
    assert.equal(top(out1, 0x00080030), top(input, 0x00080030));
  });

  it('Modified Dates: the offset is keyed on Patient ID with its issuer, and on the Study Instance UID without an ID (review 1, minor 9)', () => {
    // Expected offsets computed with node:crypto from the documented HMAC inputs (docs/dicom-profile.md §6).
    const offset = (input: string): number => {
      const r = Number(createHmac('sha256', Buffer.from(KEY)).update(input).digest().readBigUInt64BE(0) % 730n);
      return r < 365 ? r - 365 : r - 364;
    };
    const days = (s: string): number => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8)) / 86400000;
    const a = createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalModifiedDates'] });
    const input = readSample('CT_small.dcm');
    const pid = top(input, 0x00100020)!;
    const study = top(input, 0x0020000d)!;
    const date = top(input, 0x00080020)!;
    const shift = (bytes: Uint8Array): number => days(top(a.anonymize(bytes), 0x00080020)!) - days(date);
    for (const issuer of ['HOSPITAL A', 'HOSPITAL B']) {
      const withIssuer = variant('CT_small.dcm', '1.2.3.4.5.6.7.12', [{ tag: 0x00100021, vr: 'LO', value: encodeText(issuer, 'LO') }]);
      assert.equal(shift(withIssuer), offset(`health-anonymizer/date-offset/v1\0${pid}\0${issuer}`), issuer);
    }
    const noId = variant('CT_small.dcm', '1.2.3.4.5.6.7.13', [{ tag: 0x00100020, vr: 'LO', value: new Uint8Array(0) }]);
    const r = a.anonymizeWithStats(noId);
    assert.equal(days(top(r.bytes, 0x00080020)!) - days(date), offset(`health-anonymizer/date-offset/study/v1\0${study}`));
    assert.deepEqual(r.warnings.map((w) => w.code), ['W_DICOM_NO_PATIENT_ID']);
  });

  it('replacement text is ASCII and ISO 2022 values are either untouched or replaced whole', () => {
    for (const name of ['chrH31.dcm', 'chrX1.dcm', 'chrSQEncoding.dcm']) {
      const input = readSample(name);
      const inVisits = walk(parseDicom(input));
      const out = anonymizer.anonymize(input);
      for (const v of walk(parseDicom(out))) {
        if (v.el.items !== undefined || v.meta) continue;
        const value = v.bytes.subarray(v.el.valueStart, v.el.valueStart + v.el.length);
        const hasHighOrEsc = value.some((b) => b >= 0x80 || b === 0x1b);
        if (!hasHighOrEsc) continue;
        const original = inVisits.find((x) => x.path.join() === v.path.join());
        assert.ok(original !== undefined, 'non-ASCII value exists in the input');
        assert.deepEqual(value, original!.bytes.subarray(original!.el.valueStart, original!.el.valueStart + original!.el.length), 'kept whole');
      }
      assert.equal(top(out, 0x00080005), top(input, 0x00080005), 'Specific Character Set kept');
    }
  });

  it('every transfer syntax comes back parseable with the same transfer syntax and pixel bytes', () => {
    for (const name of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm', 'JPEG-lossy.dcm', 'MR_small_RLE.dcm', 'rtstruct.dcm']) {
      const input = readSample(name);
      const inP = parseDicom(input);
      const out = parseDicom(anonymizer.anonymize(input));
      assert.equal(out.transferSyntax, inP.transferSyntax, name);
      assert.equal(out.hasPreamble, true);
      const px = (p: typeof out): Uint8Array | undefined => {
        const e = p.dataset.find((x) => x.tag === 0x7fe00010);
        return e === undefined ? undefined : p.bytes.subarray(e.valueStart, e.end);
      };
      assert.deepEqual(px(out), px(inP), `${name} pixel data unchanged`);
    }
  });

  it('replaces person names that Table E.1-1 does not list (by VR)', () => {
    // (0014,2006) Evaluator Name and (0014,0104) Secondary Reviewer Name are PN attributes absent from the 2024b table.
    const input = variant('MR_small.dcm', '1.2.3.4.5.6.7.9', [
      { tag: 0x00140104, vr: 'PN', value: encodeText('REVIEWER^SECRET', 'PN') },
      { tag: 0x00142006, vr: 'PN', value: encodeText('EVALUATOR^HIDDEN', 'PN') },
    ]);
    assert.equal(profileAction(0x00142006, new Set()), undefined);
    const out = anonymizer.anonymize(input);
    assert.ok(!containsBytes(out, enc('SECRET')) && !containsBytes(out, enc('HIDDEN')));
    assert.equal(top(out, 0x00142006), 'ANONYMIZED');
  });

  it('D-coded sequences: names and IDs in Code Value / Code Meaning and every other value inside are replaced (review 1, major 1)', () => {
    // PS3.15 Table E.1-1 (2024b): Person Identification Code Sequence (0040,1101) is D, Institution
    // Code Sequence (0008,0082) is X/Z/D (→ D), Operator Identification Sequence (0008,1072) is X/D.
    // A code item there holds a person's ID and name, an institution's code and name (PS3.3 §10.1).
    assert.equal(profileAction(0x00401101, new Set()), 'D');
    assert.equal(profileAction(0x00080082, new Set()), 'D');
    assert.equal(profileAction(0x00081072, new Set()), 'D');
    const code = (value: string, scheme: string, meaning: string, extra: NewElement[] = []): NewElement[] => [
      { tag: 0x00080100, vr: 'SH', value: encodeText(value, 'SH') },
      { tag: 0x00080102, vr: 'SH', value: encodeText(scheme, 'SH') },
      { tag: 0x00080104, vr: 'LO', value: encodeText(meaning, 'LO') },
      ...extra,
    ];
    const secrets = ['PX77812345', 'WILLIAMSON^HAROLD', 'STJUDE-4411', 'SAINT JUDE MERCY HOSPITAL', 'LOCALPERSONS', 'HJW-OPERATOR-9', 'MERCY-PACS-07', '4711'];
    const input = variant('MR_small.dcm', '1.2.3.4.5.6.7.10', [
      { tag: 0x00080082, vr: 'SQ', items: [code('STJUDE-4411', 'LOCALPERSONS', 'SAINT JUDE MERCY HOSPITAL', [{ tag: 0x00080105, vr: 'CS', value: encodeText('MERCY-PACS-07', 'CS') }])] },
      {
        tag: 0x00081072, vr: 'SQ', items: [[
          { tag: 0x00081140, vr: 'SQ', items: [[{ tag: 0x00081155, vr: 'UI', value: encodeText('1.2.999.77.1', 'UI') }]] },
          { tag: 0x00401101, vr: 'SQ', items: [code('HJW-OPERATOR-9', 'L', 'WILLIAMSON^HAROLD', [{ tag: 0x00080106, vr: 'DT', value: encodeText('20200101', 'DT') }])] },
        ]],
      },
      { tag: 0x00401101, vr: 'SQ', items: [code('PX77812345', 'LOCALPERSONS', 'WILLIAMSON^HAROLD', [{ tag: 0x00200013, vr: 'IS', value: encodeText('4711', 'IS') }])] },
    ]);
    for (const s of secrets) assert.ok(containsBytes(input, enc(s)), `test input holds ${s.length} chars`);
    const options: readonly (readonly DicomOption[])[] = [[], ...DICOM_OPTIONS.filter((o) => o !== 'retainInstitutionIdentity').map((o) => [o])];
    for (const opts of options) {
      const out = createDicomAnonymizer({ key: KEY, options: opts }).anonymize(input);
      const left = secrets.filter((s) => containsBytes(out, enc(s)));
      assert.deepEqual(left.map((s) => s.length), [], `${opts.join() || 'basic'}: values inside D sequences remain`);
      const visits = walk(parseDicom(out));
      // D keeps the attribute present with a non-empty value: each sequence keeps its item, and each code its values (replaced).
      for (const seq of [0x00080082, 0x00401101]) {
        const v = visits.filter((x) => x.el.tag === seq);
        assert.ok(v.length >= 1 && v.every((x) => (x.el.items?.length ?? 0) === 1), `${seq.toString(16)} kept with its item`);
      }
      for (const x of visits.filter((x) => x.el.tag === 0x00080100 || x.el.tag === 0x00080104)) {
        if (x.path[0] === 0x00120064) continue; // our own de-identification method codes
        assert.ok(text(x).length > 0, 'code value/meaning replaced by a non-empty value');
      }
      // UIDs inside are mapped, not dummied.
      if (!opts.includes('retainUIDs')) assert.deepEqual(valuesOf(out, 0x00081155), [createUidMapper(KEY, getCore()).map('1.2.999.77.1')]);
    }
    // Retain Institution Identity gives K for Institution Code Sequence (its column in Table E.1-1): kept as is.
    const kept = createDicomAnonymizer({ key: KEY, options: ['retainInstitutionIdentity'] }).anonymize(input);
    assert.ok(containsBytes(kept, enc('SAINT JUDE MERCY HOSPITAL')));
    assert.ok(!containsBytes(kept, enc('WILLIAMSON^HAROLD')) && !containsBytes(kept, enc('PX77812345')));
  });

  it('Retain Device Identity alone does not keep device calibration and manufacture dates (review 1, major 4)', () => {
    // Table E.1-1: (0018,1200) Date of Last Calibration and (0018,1204) Date of Manufacture are X in
    // the Basic column; their date-option columns are K (Full) / C (Modified).
    const input = variant('MR_small.dcm', '1.2.3.4.5.6.7.11', [
      { tag: 0x00181200, vr: 'DA', value: encodeText('20170304', 'DA') },
      { tag: 0x00181204, vr: 'DA', value: encodeText('20110915', 'DA') },
    ]);
    const device = createDicomAnonymizer({ key: KEY, options: ['retainDeviceIdentity'] }).anonymize(input);
    assert.equal(top(device, 0x00181200), undefined);
    assert.equal(top(device, 0x00181204), undefined);
    assert.ok(!containsBytes(device, enc('20170304')) && !containsBytes(device, enc('20110915')));
    const full = createDicomAnonymizer({ key: KEY, options: ['retainDeviceIdentity', 'retainLongitudinalFullDates'] }).anonymize(input);
    assert.equal(top(full, 0x00181200), '20170304');
  });

  it('rejects a key shorter than 16 bytes, unknown options and both date options together', () => {
    assert.throws(() => createDicomAnonymizer({ key: enc('short') }), /at least 16 bytes/);
    assert.throws(() => createDicomAnonymizer({ key: KEY, options: ['retainEverything' as never] }), /DICOM_OPTIONS/);
    assert.throws(() => createDicomAnonymizer({ key: KEY, options: ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'] }), (e: unknown) => e instanceof InvalidArgumentError && /exclude/.test(e.message));
  });
});
