import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { DICOM_OPTIONS, parseDicomOption, type DicomOption } from '../../src/dicom/rules/options.ts';
import {
  basicProfileCode, deidentificationCodes, isSafePrivate, profileAction, PROFILE_EDITION, PROFILE_ROW_COUNT, resolveConditionalCode,
} from '../../src/dicom/rules/profile.ts';
import { InvalidArgumentError, UsageError } from '../../src/errors.ts';
import { fixtureJson } from './fixtures.ts';

// What these tests prove (review 1, minor 11): the first fixture is the same innolitics JSON the
// generator reads, so comparing the table with it proves that the generator encodes its source
// faithfully (every row, every option column, the 50xx/60xx expansion, conditional codes) and that
// the resolution rules do what the docs say. The Basic column is also checked against a second,
// independent extraction of the 2024b table (Kitware's dicom-anonymizer, scraped from NEMA's HTML):
// see 'independent copy' below. Option columns have no second source; a few are checked by hand.
interface Row { tag: string; id: string; basicProfile: string; [k: string]: string }
const rows = fixtureJson<Row[]>('confidentiality_profile_attributes.json');
/** The standard's option columns, in the order of Table E.1-1. */
const COLUMN: Record<DicomOption, string> = {
  retainSafePrivate: 'rtnSafePrivOpt', retainUIDs: 'rtnUIDsOpt', retainDeviceIdentity: 'rtnDevIdOpt',
  retainInstitutionIdentity: 'rtnInstIdOpt', retainPatientCharacteristics: 'rtnPatCharsOpt',
  retainLongitudinalFullDates: 'rtnLongFullDatesOpt', retainLongitudinalModifiedDates: 'rtnLongModifDatesOpt',
  cleanDescriptors: 'cleanDescOpt', cleanStructuredContent: 'cleanStructContOpt', cleanGraphics: 'cleanGraphOpt',
};
/** PS3.15 E.1.1 / DESIGN §5: without IOD knowledge a conditional code resolves to its rightmost code. */
const rightmost = (code: string): string => code.split('/').pop()!.replace('*', '');
const tagOf = (r: Row): number | undefined => (/^\([0-9A-F]{4},[0-9A-F]{4}\)$/.test(r.tag) ? parseInt(r.tag.slice(1, 5) + r.tag.slice(6, 10), 16) >>> 0 : undefined);
const concrete = rows.filter((r) => tagOf(r) !== undefined);
const none = new Set<DicomOption>();

describe('dicom-rules/profile', () => {
  it('the fixture is PS3.15 2024b with 621 rows, and so is the table', () => {
    assert.equal(rows.length, 621);
    assert.equal(PROFILE_ROW_COUNT, 621);
    assert.equal(PROFILE_EDITION, '2024b');
    assert.equal(concrete.length, 617); // + 50xx, 60xx,3000, 60xx,4000 and the private-group row
  });

  it("every row's Basic Profile code is kept as printed and resolved to its rightmost code", () => {
    for (const r of concrete) {
      const tag = tagOf(r)!;
      assert.equal(basicProfileCode(tag), r.basicProfile, r.tag);
      assert.equal(profileAction(tag, none), rightmost(r.basicProfile), r.tag);
    }
  });

  it("independent copy: every Basic code agrees with Kitware's 2024b extraction of Table E.1-1", () => {
    const kw = fixtureJson<{ basic: Record<string, string[]>; masked: Record<string, string[]> }>('kitware-table-e1-1-2024b.json');
    const theirs = new Map<number, string>();
    for (const [code, tags] of Object.entries(kw.basic)) for (const t of tags) theirs.set(parseInt(t, 16) >>> 0, code);
    assert.equal(theirs.size, 616);
    const disagree = [...theirs].filter(([tag, code]) => basicProfileCode(tag) !== code).map(([tag]) => tag.toString(16));
    assert.deepEqual(disagree, []);
    // Rows of ours the other copy lacks: only (0040,4023) Referenced General Purpose Scheduled
    // Procedure Step Transaction UID (U), which that scraper missed.
    const missing = concrete.map(tagOf).filter((t) => !theirs.has(t!)).map((t) => t!.toString(16).padStart(8, '0'));
    assert.deepEqual(missing, ['00404023']);
    // The repeating-group rows: curves and both overlay rows are X in both.
    assert.deepEqual(Object.keys(kw.masked), ['X']);
    for (const tag of [0x50000000, 0x60003000, 0x60004000]) assert.equal(profileAction(tag, none), 'X');
  });

  it('conditional codes: X/Z → Z, X/D → D, Z/D → D, X/Z/D → D, X/Z/U* → U', () => {
    assert.equal(resolveConditionalCode('X/Z'), 'Z');
    assert.equal(resolveConditionalCode('X/D'), 'D');
    assert.equal(resolveConditionalCode('Z/D'), 'D');
    assert.equal(resolveConditionalCode('X/Z/D'), 'D');
    assert.equal(resolveConditionalCode('X/Z/U*'), 'U');
    assert.equal(profileAction(0x00100020, none), 'D'); // Patient ID, Z/D since 2024b
    assert.equal(profileAction(0x00081140, none), 'U'); // Referenced Image Sequence, X/Z/U*
    assert.equal(profileAction(0x00080080, none), 'D'); // Institution Name, X/Z/D
    assert.equal(profileAction(0x00080022, none), 'Z'); // Acquisition Date, X/Z
    const conditional = rows.filter((r) => r.basicProfile.includes('/'));
    assert.equal(conditional.length, 49);
  });

  for (const option of DICOM_OPTIONS) {
    it(`option ${option} overrides Basic exactly on the rows its column names`, () => {
      const col = COLUMN[option];
      let overridden = 0;
      const isDateOption = option === 'retainLongitudinalFullDates' || option === 'retainLongitudinalModifiedDates';
      for (const r of concrete) {
        // A date row listed by another option keeps its Basic code without a date option (review 1, major 4).
        const dateRow = r['rtnLongFullDatesOpt'] !== undefined || r['rtnLongModifDatesOpt'] !== undefined;
        const want = r[col] !== undefined && (isDateOption || !dateRow) ? r[col] : rightmost(r.basicProfile);
        if (r[col] !== undefined) overridden++;
        assert.equal(profileAction(tagOf(r)!, new Set([option])), want, `${r.tag} ${col}`);
      }
      const expectedCount = rows.filter((r) => r[col] !== undefined && tagOf(r) !== undefined).length;
      assert.equal(overridden, expectedCount);
    });
  }

  it('a sample of known overrides (counts from research §1.4)', () => {
    assert.equal(profileAction(0x0020000d, new Set(['retainUIDs'])), 'K'); // Study Instance UID
    assert.equal(profileAction(0x0040a124, new Set(['retainUIDs'])), 'U'); // UID: still replaced
    assert.equal(profileAction(0x00081030, new Set(['cleanDescriptors'])), 'C'); // Study Description
    assert.equal(profileAction(0x00081010, new Set(['retainDeviceIdentity'])), 'K'); // Station Name
    assert.equal(profileAction(0x00080080, new Set(['retainInstitutionIdentity'])), 'K');
    assert.equal(profileAction(0x00101010, new Set(['retainPatientCharacteristics'])), 'K'); // Patient's Age
    assert.equal(profileAction(0x00080020, new Set(['retainLongitudinalFullDates'])), 'K'); // Study Date
    assert.equal(profileAction(0x00080020, new Set(['retainLongitudinalModifiedDates'])), 'C');
    assert.equal(rows.filter((r) => r['rtnLongFullDatesOpt']).length, 165);
    assert.equal(rows.filter((r) => r['cleanDescOpt']).length, 125);
  });

  it('Full Dates and Modified Dates together are rejected with a typed error (review 1, major 3)', () => {
    // PS3.15 E.3.6: the two Retain Longitudinal Temporal Information options exclude each other.
    const both = new Set<DicomOption>(['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates']);
    const isArgError = (e: unknown): boolean => e instanceof InvalidArgumentError && e.code === 'ERR_INVALID_ARGUMENT' && /exclude each other/.test(e.message);
    assert.throws(() => profileAction(0x00080020, both), isArgError);
    assert.throws(() => deidentificationCodes(both), isArgError);
    assert.throws(() => deidentificationCodes(new Set(DICOM_OPTIONS)), isArgError);
  });

  it('date rows listed by Retain Device Identity keep their Basic action unless a date option is on (review 1, major 4)', () => {
    // Every row with a date-option column and another option column, from the standard's rows.
    const deviceDates = concrete.filter((r) => (r['rtnLongFullDatesOpt'] || r['rtnLongModifDatesOpt']) && r['rtnDevIdOpt']);
    assert.equal(deviceDates.length, 11);
    for (const r of deviceDates) {
      const tag = tagOf(r)!;
      assert.equal(profileAction(tag, new Set(['retainDeviceIdentity'])), rightmost(r.basicProfile), r.tag);
      assert.equal(profileAction(tag, new Set(['retainDeviceIdentity', 'retainLongitudinalFullDates'])), 'K', r.tag);
      assert.equal(profileAction(tag, new Set(['retainDeviceIdentity', 'retainLongitudinalModifiedDates'])), 'C', r.tag);
    }
    // A device row that is not a date is still kept by the option.
    assert.equal(profileAction(0x00181000, new Set(['retainDeviceIdentity'])), 'K'); // Device Serial Number
  });

  it('when enabled options disagree, C (the more protective) wins over K', () => {
    const devAndDates = rows.find((r) => r['rtnDevIdOpt'] === 'K' && r['rtnLongModifDatesOpt'] === 'C')!;
    assert.equal(profileAction(tagOf(devAndDates)!, new Set(['retainDeviceIdentity', 'retainLongitudinalFullDates'])), 'K');
    assert.equal(profileAction(tagOf(devAndDates)!, new Set(['retainDeviceIdentity', 'retainLongitudinalModifiedDates'])), 'C');
  });

  it('(50xx,xxxx) covers every element of the even groups 5000–501E only', () => {
    const curve = rows.find((r) => r.tag === '(50XX,XXXX)')!;
    for (let g = 0x5000; g <= 0x501e; g += 2) {
      for (const e of [0x0000, 0x0005, 0x3000, 0x2000, 0xffff]) {
        const tag = ((g << 16) | e) >>> 0;
        assert.equal(profileAction(tag, none), rightmost(curve.basicProfile));
        assert.equal(profileAction(tag, new Set(['cleanGraphics'])), curve['cleanGraphOpt']);
      }
    }
    assert.equal(profileAction(0x50200005, none), undefined);
    assert.equal(profileAction(0x4ffe0005, none), undefined);
    assert.equal(profileAction(0x50010005, none), 'X'); // odd: private
  });

  it('(60xx,3000) and (60xx,4000) cover the even groups 6000–601E; other overlay elements are not in the table', () => {
    for (let g = 0x6000; g <= 0x601e; g += 2) {
      for (const [e, row] of [[0x3000, '(60XX,3000)'], [0x4000, '(60XX,4000)']] as const) {
        const r = rows.find((x) => x.tag === row)!;
        assert.equal(profileAction(((g << 16) | e) >>> 0, none), rightmost(r.basicProfile));
        assert.equal(profileAction(((g << 16) | e) >>> 0, new Set(['cleanGraphics'])), r['cleanGraphOpt']);
      }
      assert.equal(profileAction(((g << 16) | 0x0010) >>> 0, none), undefined); // Overlay Rows
    }
    assert.equal(profileAction(0x60203000, none), undefined);
    assert.equal(profileAction(0x60013000, none), 'X'); // odd: private
  });

  it('private attributes (odd groups) are X, C under Retain Safe Private', () => {
    const priv = rows.find((r) => r.id === 'ggggeeee-where-gggg-is-odd')!;
    for (const tag of [0x00090010, 0x00191023, 0x7fd11001, 0x00290000, 0xfffbfffe]) {
      assert.equal(profileAction(tag, none), priv.basicProfile);
      assert.equal(profileAction(tag, new Set(['retainSafePrivate'])), priv['rtnSafePrivOpt']);
    }
  });

  it('public attributes not in the table give undefined', () => {
    for (const tag of [0x00280010, 0x00280011, 0x00080060, 0x00080016, 0x7fe00010]) assert.equal(profileAction(tag, none), undefined);
  });

  it('Table E.3.10-1: every listed element is safe in any block, with padded creators; others are not', () => {
    const safe = fixtureJson<{ rows: { tag: string; privateCreator: string }[] }>('safe_private_attributes_2023b.json').rows;
    assert.equal(safe.length, 479);
    const listed = new Set<string>();
    for (const r of safe) {
      const group = parseInt(r.tag.slice(1, 5), 16);
      const low = parseInt(r.tag.slice(8, 10), 16);
      listed.add(`${group}|${low}|${r.privateCreator}`);
      for (const block of [0x10, 0x11, 0x4f, 0xff]) {
        assert.ok(isSafePrivate(group, (block << 8) | low, r.privateCreator), `${r.tag} ${r.privateCreator}`);
      }
      assert.ok(isSafePrivate(group, 0x1000 | low, ` ${r.privateCreator}  `));
      assert.equal(isSafePrivate(group, 0x1000 | low, r.privateCreator + 'X'), false);
      assert.equal(isSafePrivate(group, 0x0010, r.privateCreator), false); // the creator element itself
    }
    // Unlisted low bytes of a listed creator and group are not safe.
    for (const r of safe.slice(0, 60)) {
      const group = parseInt(r.tag.slice(1, 5), 16);
      for (let low = 0; low < 256; low++) {
        if (!listed.has(`${group}|${low}|${r.privateCreator}`)) assert.equal(isSafePrivate(group, 0x1000 | low, r.privateCreator), false);
      }
    }
    assert.equal(isSafePrivate(0x0018, 0x1023, 'GEMS_ACQU_01'), false); // even group
    assert.ok(isSafePrivate(0x0019, 0x1023, 'GEMS_ACQU_01'));
    assert.equal(isSafePrivate(0x0019, 0x1025, 'GEMS_ACQU_01'), false);
  });

  it('de-identification codes: CID 7050, 113100 first, one per option, texts ≤ 64 characters', () => {
    const basic = deidentificationCodes(none);
    assert.deepEqual(basic.codes, [{ value: '113100', meaning: 'Basic Application Confidentiality Profile' }]);
    assert.match(basic.methodText[0]!, /2024b/);
    const all = deidentificationCodes(new Set(DICOM_OPTIONS.filter((o) => o !== 'retainLongitudinalModifiedDates')));
    assert.deepEqual(all.codes.map((c) => c.value).sort(), ['113100', '113103', '113104', '113105', '113106', '113108', '113109', '113110', '113111', '113112']);
    for (const t of [...all.methodText, ...all.codes.map((c) => c.meaning)]) assert.ok(t.length <= 64 && /^[\x20-\x7e]+$/.test(t), t);
    assert.equal(all.methodText.length, all.codes.length);
    const dates = deidentificationCodes(new Set(['retainLongitudinalModifiedDates']));
    assert.deepEqual(dates.codes.map((c) => c.value), ['113100', '113107']);
    assert.ok(!JSON.stringify(deidentificationCodes(new Set(DICOM_OPTIONS.filter((o) => o !== 'retainLongitudinalFullDates')))).includes('11310' + '1')); // never Clean Pixel Data
  });

  it('option names parse in camelCase and kebab-case; others are a UsageError', () => {
    assert.equal(parseDicomOption('retainUIDs'), 'retainUIDs');
    assert.equal(parseDicomOption('retain-uids'), 'retainUIDs');
    assert.equal(parseDicomOption('retain-safe-private'), 'retainSafePrivate');
    assert.equal(parseDicomOption('clean-graphics'), 'cleanGraphics');
    assert.equal(parseDicomOption('retain-longitudinal-modified-dates'), 'retainLongitudinalModifiedDates');
    for (const o of DICOM_OPTIONS) assert.equal(parseDicomOption(o.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())), o);
    for (const bad of ['', 'retain', 'cleanPixelData', 'retain_uids']) {
      assert.throws(() => parseDicomOption(bad), (e: unknown) => e instanceof UsageError && e.code === 'ERR_USAGE');
    }
  });
});

describe('dicom-rules/profile CID 7050', () => {
  it("every code and meaning is CID 7050's (pydicom's copy of PS3.16)", () => {
    const cid = fixtureJson<{ codes: Record<string, string> }>('cid7050.json').codes;
    const { codes } = deidentificationCodes(new Set(DICOM_OPTIONS.filter((o) => o !== 'retainLongitudinalFullDates')));
    const full = deidentificationCodes(new Set(['retainLongitudinalFullDates'])).codes;
    for (const c of [...codes, ...full]) assert.equal(c.meaning, cid[c.value], c.value);
    assert.equal(new Set([...codes, ...full].map((c) => c.value)).size, 11);
  });
});
