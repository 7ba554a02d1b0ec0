/**
 * Hand-built adversarial inputs from the security reviews (test/dicom/README or the commit messages
 * name the finding each test covers). The inputs are written byte by byte here; the expectations
 * come from the standard (PS3.5, PS3.15) and the reviews, never from our own output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, it } from '../harness.ts';
import { createDicomAnonymizer } from '../../src/dicom/index.ts'; // the public entry: it registers the deflate codec
import { parseDicom } from '../../src/dicom/parse.ts';
import { profileAction } from '../../src/dicom/rules/profile.ts';
import { containsBytes, explicitLe, implicitLe, walk } from './walk.ts';
import { MS } from './fixtures.ts';

const KEY = new TextEncoder().encode('crafted-test-key-0123456789');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const u32le = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const tagLe = (tag: number): number[] => [(tag >>> 16) & 255, tag >>> 24, tag & 255, (tag >>> 8) & 255];

/** One defined-length item (implicit VR LE content). */
function item(content: number[]): number[] {
  return [0xfe, 0xff, 0x00, 0xe0, ...u32le(content.length), ...content];
}

/** An explicit VR LE element with VR UN and a defined length (PS3.5 §6.2.2: a sequence re-encoded as UN). */
function unDefined(tag: number, value: number[]): number[] {
  return [...tagLe(tag), 0x55, 0x4e, 0, 0, ...u32le(value.length), ...value];
}

const SECRETS = ['SECRET^PATIENTNAME', '19700101', '1.2.999.777.424242'];
/** An item holding a referenced UID, a name and a birth date (implicit VR LE). */
const phiItem = item([
  ...implicitLe(0x00081150, '1.2.840.10008.5.1.4.1.1.2', true),
  ...implicitLe(0x00081155, '1.2.999.777.424242', true),
  ...implicitLe(0x00100010, 'SECRET^PATIENTNAME'),
  ...implicitLe(0x00100030, '19700101'),
]);

/** A bare explicit VR LE data set: SOP Class/Instance UID, Patient's Name and the given elements, in ascending tag order. */
function explicitFile(extra: number[]): Uint8Array {
  const chunks: number[][] = [
    explicitLe(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    explicitLe(0x00080018, 'UI', '1.2.999.555.2'),
    explicitLe(0x00100010, 'PN', 'TOP^NAME'),
  ];
  // Split `extra` into elements (explicit VR LE headers) to sort them with the others.
  for (let at = 0; at < extra.length;) {
    const vr = String.fromCharCode(extra[at + 4]!, extra[at + 5]!);
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OF', 'OL', 'OV', 'SV', 'UV'].includes(vr);
    const length = long ? extra[at + 8]! | (extra[at + 9]! << 8) | (extra[at + 10]! << 16) | (extra[at + 11]! << 24) : extra[at + 6]! | (extra[at + 7]! << 8);
    const size = (long ? 12 : 8) + length;
    chunks.push(extra.slice(at, at + size));
    at += size;
  }
  const tagOf = (c: number[]): number => ((c[0]! | (c[1]! << 8)) * 65536) + (c[2]! | (c[3]! << 8));
  chunks.sort((a, b) => tagOf(a) - tagOf(b));
  return new Uint8Array(chunks.flat());
}

describe('dicom/crafted', () => {
  const profile = createDicomAnonymizer({ key: KEY });
  const config = createDicomAnonymizer({ key: KEY, config: readFileSync(join(MS, 'configuration.json'), 'utf8') });

  it('a sequence encoded as UN with a defined length is opened: nothing inside survives (review 2, critical 1)', () => {
    // (5200,9230) Per-frame Functional Groups Sequence, (0008,1140) Referenced Image Sequence and
    // (0008,9215) Derivation Code Sequence re-encoded as UN with defined lengths.
    for (const tag of [0x52009230, 0x00081140, 0x00089215]) {
      const input = explicitFile(unDefined(tag, phiItem));
      for (const s of SECRETS) assert.ok(containsBytes(input, enc(s)));
      const parsed = parseDicom(input);
      const el = parsed.dataset.find((e) => e.tag === tag)!;
      assert.equal(el.vr, 'UN');
      assert.equal(el.items?.length, 1, 'parsed as a sequence of implicit VR items');
      for (const [mode, a] of [['profile', profile], ['config', config]] as const) {
        const out = a.anonymize(input);
        for (const s of SECRETS.slice(0, mode === 'config' ? 1 : 3)) assert.ok(!containsBytes(out, enc(s)), `${mode} ${tag.toString(16)}: ${s.length} chars remain`);
        parseDicom(out); // still well-formed
      }
      // The WASM scanner opens it the same way: same output bytes.
      assert.deepEqual(createDicomAnonymizer({ key: KEY, scanner: 'wasm' }).anonymize(input), profile.anonymize(input));
    }
  });

  it('in an implicit VR data set, a private element holding items is opened; an unknown public attribute is removed (review 2, critical 1)', () => {
    const inner = phiItem;
    const bytes = new Uint8Array([
      ...implicitLe(0x00080016, '1.2.840.10008.5.1.4.1.1.7', true),
      ...implicitLe(0x00080018, '1.2.999.555.3', true),
      ...implicitLe(0x00090010, 'SOME CREATOR'),
      ...tagLe(0x00091001), ...u32le(inner.length), ...inner,
      ...tagLe(0x00110010), ...u32le(inner.length), ...inner, // a private creator slot holding items
      ...tagLe(0x00ee0010), ...u32le(inner.length), ...inner, // an even group no dictionary knows
    ]);
    const parsed = parseDicom(bytes);
    assert.equal(parsed.dataset.find((e) => e.tag === 0x00091001)!.items?.length, 1);
    const opts = createDicomAnonymizer({ key: KEY, options: ['retainSafePrivate'] });
    for (const a of [profile, opts, config]) {
      const out = a.anonymize(bytes);
      assert.ok(!containsBytes(out, enc('SECRET^PATIENTNAME')));
    }
    // The profile removes the unknown public attribute (its content cannot be judged).
    assert.ok(!walk(parseDicom(profile.anonymize(bytes))).some((v) => v.el.tag === 0x00ee0010));
    // So does a configuration without any rule for it (no rule would otherwise mean: keep).
    const bare = createDicomAnonymizer({ key: KEY, config: { rules: [{ tag: 'PN', method: 'redact' }, { tag: '(0009,xxxx)', method: 'remove' }] } });
    assert.ok(!containsBytes(bare.anonymize(bytes), enc('SECRET^PATIENTNAME')));
  });

  it('URLs outside Table E.1-1 are removed and text embedding an instance UID is replaced (review 2, major 2)', () => {
    // (0008,1190) Retrieve URL and (0040,E010) Retrieve URI are UR attributes absent from Table E.1-1;
    // a WADO URL holds the original Study and Series Instance UIDs (PS3.18 §10.4).
    const study = '1.2.826.0.1.3680043.99.1.1';
    const input = explicitFile([
      ...explicitLe(0x00081190, 'UR', `http://pacs.example/wado/studies/${study}/series/${study}.7`),
      ...explicitLe(0x0040a160, 'UT', `see prior exam ${study}.9 for comparison`),
      ...explicitLe(0x0040e010, 'UR', `https://pacs.example/dicomweb/studies/${study}`),
    ]);
    const out = profile.anonymize(input);
    assert.ok(!containsBytes(out, enc(study)), 'no original UID in any text');
    assert.ok(!containsBytes(out, enc('pacs.example')), 'no host name');
    const tags = walk(parseDicom(out)).map((v) => v.el.tag);
    assert.ok(!tags.includes(0x00081190) && !tags.includes(0x0040e010));
    // A text naming only a well-known (PS3.6) UID is kept: it identifies a definition, not an instance.
    const benign = explicitFile(explicitLe(0x0040a160, 'UT', 'CT Image Storage is 1.2.840.10008.5.1.4.1.1.2'));
    assert.ok(containsBytes(profile.anonymize(benign), enc('CT Image Storage is 1.2.840.10008.5.1.4.1.1.2')));
  });

  /** A Part 10 file with the Deflated Explicit VR Little Endian transfer syntax around a compressed data set (node:zlib). */
  const deflatedFile = (dataset: Uint8Array): { bytes: Uint8Array; datasetStart: number } => {
    const head = [...new Uint8Array(128), ...enc('DICM'), ...explicitLe(0x00020010, 'UI', '1.2.840.10008.1.2.1.99')];
    return { bytes: new Uint8Array([...head, ...deflateRawSync(dataset)]), datasetStart: head.length };
  };

  it('a deflate bomb fails with ERR_DICOM_PARSE at the data set, quickly and without inflating it all (review 2, major 4)', () => {
    // 80 MiB of zeros deflate to about 80 KB: far beyond the limit of 200 × compressed size (floor 64 MiB).
    const { bytes, datasetStart } = deflatedFile(new Uint8Array(80 << 20));
    assert.ok(bytes.length < 200_000);
    const started = performance.now();
    assert.throws(() => parseDicom(bytes, { file: 'bomb.dcm' }), (e: unknown) => {
      const err = e as { code?: string; message: string; location?: { offset?: number; file?: string } };
      // Stopped by the size limit (not by a parse error after inflating everything).
      return err.code === 'ERR_DICOM_PARSE' && /past the limit/.test(err.message) && err.location?.offset === datasetStart && err.location?.file === 'bomb.dcm';
    });
    assert.throws(() => profile.anonymize(bytes), (e: unknown) => (e as { code?: string }).code === 'ERR_DICOM_PARSE');
    assert.ok(performance.now() - started < 20_000);
  });

  it('errors inside a deflated data set give the file offset of the data set and the inflated position (review 2, minor 5)', () => {
    // A PN element whose length (0x0100) runs past the end of the inflated bytes.
    const dataset = new Uint8Array([...explicitLe(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'), 0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x00, 0x01, 0x41, 0x42]);
    const { bytes, datasetStart } = deflatedFile(dataset);
    assert.throws(() => parseDicom(bytes), (e: unknown) => {
      const err = e as { code?: string; message: string; location?: { offset?: number } };
      return err.code === 'ERR_DICOM_PARSE' && err.location?.offset === datasetStart && /at byte 34 of the inflated data set/.test(err.message);
    });
  });

  it('config mode: many undefined-length private creator slots before 2 MB of pixel data run in linear time (review 2, major 6)', () => {
    const parts: number[] = [...implicitLe(0x00080016, '1.2.840.10008.5.1.4.1.1.7', true), ...implicitLe(0x00080018, '1.2.999.555.4', true)];
    let slots = 0;
    for (let g = 0x0009; g <= 0x000f; g += 2) {
      for (let e = 0x0010; e <= 0x00ff; e++) {
        // An empty sequence of undefined length (implicit VR) in a private creator slot.
        parts.push(...tagLe(((g << 16) | e) >>> 0), 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
        slots++;
      }
    }
    const pixels = new Uint8Array(2 << 20).fill(0x41); // not padding: a decoder cannot strip it
    const head = new Uint8Array([...parts, ...tagLe(0x7fe00010), ...u32le(pixels.length)]);
    const input = new Uint8Array(head.length + pixels.length);
    input.set(head);
    input.set(pixels, head.length);
    assert.equal(slots, 960);
    const started = performance.now();
    const out = config.anonymize(input);
    const elapsed = performance.now() - started;
    assert.ok(out.length > pixels.length);
    // Quadratic decoding took about 0.15 s per slot here (minutes in all); linear work takes milliseconds.
    assert.ok(elapsed < 10_000, `${Math.round(elapsed)} ms`);
  });

  it('repeated or out-of-order elements are rejected by both scanners, never kept (review 2, minor 3)', () => {
    const head = [...explicitLe(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'), ...explicitLe(0x00080018, 'UI', '1.2.999.555.5')];
    // Two (0019,0010) creators: readers keep the first (dcmtk: "found twice… ignoring second entry").
    const duplicateCreator = new Uint8Array([...head, ...explicitLe(0x00190010, 'LO', 'LEAKCREATOR'), ...explicitLe(0x00190010, 'LO', 'GEMS_ACQU_01'), ...explicitLe(0x00191023, 'DS', '1.5')]);
    // (0012,0063) written after (0028,0010): PS3.5 §7.1 requires ascending order.
    const outOfOrder = new Uint8Array([...head, ...explicitLe(0x00280010, 'US', new Uint8Array([1, 0])), ...explicitLe(0x00120063, 'LO', 'DEID BY HAND TEXT')]);
    const wasm = createDicomAnonymizer({ key: KEY, scanner: 'wasm', options: ['retainSafePrivate'] });
    const safe = createDicomAnonymizer({ key: KEY, options: ['retainSafePrivate'] });
    for (const input of [duplicateCreator, outOfOrder]) {
      for (const a of [safe, wasm, config]) {
        assert.throws(() => a.anonymize(input), (e: unknown) => (e as { code?: string }).code === 'ERR_DICOM_PARSE' && /ascending/.test((e as Error).message));
      }
    }
  });

  it('a UID or person name outside the table written with another VR is not kept as text (review 2, minor 12)', () => {
    // (0008,1167) Multi-frame Source SOP Instance UID is UI in the PS3.6 dictionary and absent from Table E.1-1.
    assert.equal(profileAction(0x00081167, new Set()), undefined);
    const input = explicitFile([
      ...explicitLe(0x00081167, 'LO', '1.2.999.73.1.424242'),
      ...explicitLe(0x00200242, 'UI', '1.2.999.73.1.515151'),
    ]);
    const out = profile.anonymize(input);
    assert.ok(!containsBytes(out, enc('1.2.999.73.1.424242')), 'mis-encoded UID removed');
    assert.ok(!containsBytes(out, enc('1.2.999.73.1.515151')), 'correctly encoded UID mapped');
    // (0014,2006) Evaluator Name is PN in the dictionary and absent from the table; here written as LO.
    assert.equal(profileAction(0x00142006, new Set()), undefined);
    const name = profile.anonymize(explicitFile(explicitLe(0x00142006, 'LO', 'EVALUATOR^SECRET')));
    assert.ok(!containsBytes(name, enc('SECRET')));
  });

  it('adversarial shapes through parse, profile and config: a typed error or success, each within 2 s (review 2, minor 10)', () => {
    const wasm = createDicomAnonymizer({ key: KEY, scanner: 'wasm' });
    const check = (input: Uint8Array, what: string): void => {
      for (const run of [(b: Uint8Array) => parseDicom(b), (b: Uint8Array) => profile.anonymize(b), (b: Uint8Array) => config.anonymize(b), (b: Uint8Array) => wasm.anonymize(b)]) {
        const started = performance.now();
        try {
          run(input);
        } catch (e) {
          // A typed error, no output (a value made unusable by the change may fail as ERR_PROCESSING).
          assert.ok(['ERR_DICOM_PARSE', 'ERR_PROCESSING'].includes(String((e as { code?: string }).code)), `${what}: ${String(e)}`);
        }
        assert.ok(performance.now() - started < 2000, what);
      }
    };
    // Nested undefined-length sequences without delimiters, 64 and 200 deep.
    for (const depth of [64, 200]) {
      const nest: number[] = [];
      for (let i = 0; i < depth; i++) nest.push(...tagLe(0x00081115), 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff);
      check(explicitFile(nest), `${depth} deep, no delimiters`);
    }
    // Huge lengths at every even position of the first 1 KiB of a real file.
    const sample = readFileSync(join(MS, '..', 'samples', 'CT_small.dcm'));
    for (const huge of [0xfffffffe, 0xfffffff0]) {
      for (let at = 128; at < 1152; at += 6) {
        const copy = new Uint8Array(sample);
        new DataView(copy.buffer).setUint32(at, huge, true);
        check(copy, `length ${huge.toString(16)} at byte ${at}`);
      }
    }
  });

  it('a UN value that claims to hold items but does not is rejected, not kept (fail secure)', () => {
    const broken = [0xfe, 0xff, 0x00, 0xe0, ...u32le(100), ...enc('SECRET^PATIENTNAME')];
    const input = explicitFile(unDefined(0x52009230, broken));
    assert.throws(() => profile.anonymize(input), (e: unknown) => (e as { code?: string }).code === 'ERR_DICOM_PARSE');
  });
  it('a result shares no header bytes with the caller\'s input: runs of many small kept elements are copied (review of the run copy, M1)', () => {
    // 9,000 small kept elements (group 001A, which the profile does not list), 144 KB: one run of
    // kept elements well over the 64 KiB under which parts are always copied.
    const extra: number[] = [];
    for (let k = 0; k < 9000; k++) extra.push(...explicitLe(0x001a2000 + k, 'SH', 'KEPTKEPT'));
    for (const anonymizer of [profile]) {
      const syntax = explicitLe(0x00020010, 'UI', '1.2.840.10008.1.2.1');
      const meta = [...new Uint8Array(128), ...enc('DICM'), ...explicitLe(0x00020000, 'UL', new Uint8Array(u32le(syntax.length))), ...syntax];
      const input = new Uint8Array([...meta, ...explicitFile(extra)]);
      const result = anonymizer.anonymizeWithStats(input);
      const joined = (): Uint8Array => {
        const out = new Uint8Array(result.parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of result.parts) {
          out.set(p, at);
          at += p.length;
        }
        return out;
      };
      const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
      const before = joined();
      assert.ok(before.length > 100_000);
      input.fill(0x58, 200); // the caller reads its next file into the same buffer
      assert.ok(same(joined(), before), 'the output changed when the caller reused its input buffer');
      assert.ok(same(result.bytes, before));
      for (const part of result.parts) assert.ok(part.buffer !== input.buffer, 'a part points into the input');
    }
  });
  it('pixel data after kept header elements still goes by reference (a view of the input, not a copy)', () => {
    const syntax = explicitLe(0x00020010, 'UI', '1.2.840.10008.1.2.1');
    const meta = [...new Uint8Array(128), ...enc('DICM'), ...explicitLe(0x00020000, 'UL', new Uint8Array(u32le(syntax.length))), ...syntax];
    const pixels = new Uint8Array(200_000).fill(7);
    // Window Center/Width come after every element the profile inserts, right before the pixel data.
    const body = explicitFile([...explicitLe(0x00281050, 'DS', '40'), ...explicitLe(0x00281051, 'DS', '400'), ...explicitLe(0x7fe00010, 'OB', pixels)]);
    const input = new Uint8Array([...meta, ...body]);
    const result = profile.anonymizeWithStats(input);
    const view = result.parts.find((p) => p.buffer === input.buffer);
    assert.ok(view !== undefined && view.length >= pixels.length, 'the pixel data part is a view of the input');
  });
});
