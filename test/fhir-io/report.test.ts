import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { RunReportBuilder, singleDateShiftOffsetWarning, WARN_SINGLE_DATE_SHIFT_OFFSET } from '../../src/audit/report.ts';

describe('audit/report', () => {
  it('totals files by status and sums resources', () => {
    const b = new RunReportBuilder({ tool: { name: 't', version: '1' }, wasmSha256: null, engine: 'fhir', configFingerprint: 'f', startedAt: new Date('2024-01-01T00:00:00Z') });
    b.addFile({ input: 'a', output: 'o/a', status: 'ok', resources: 3 });
    b.addFile({ input: 'b', status: 'error', resources: 0, error: { code: 'ERR_INPUT_PARSE', message: 'bad (b, line 2)' } });
    b.addFile({ input: 'c', output: 'o/c', status: 'skipped', resources: 0 });
    b.addWarning({ code: 'W', message: 'm' });
    b.addWarning({ code: 'W', message: 'm' });
    const r = b.finish({ rules: [{ index: 0, path: 'Patient.name', method: 'redact', count: 2 }], methods: { redact: 2 } }, new Date('2024-01-01T00:00:01.5Z'));
    assert.deepEqual(r.totals, { files: 3, ok: 1, error: 1, skipped: 1, resources: 3 });
    assert.equal(r.durationMs, 1500);
    assert.equal(r.startedAt, '2024-01-01T00:00:00.000Z');
    assert.equal(r.warnings.length, 1);
    assert.deepEqual(Object.keys(r), ['tool', 'wasmSha256', 'engine', 'configFingerprint', 'startedAt', 'finishedAt', 'durationMs', 'files', 'rules', 'methods', 'warnings', 'errors', 'totals']);
  });

  it('warns only when several resources share a single date-shift offset', () => {
    assert.equal(singleDateShiftOffsetWarning(new Map([[5, 10]]))?.code, WARN_SINGLE_DATE_SHIFT_OFFSET);
    assert.equal(singleDateShiftOffsetWarning(new Map([[5, 1]])), undefined);
    assert.equal(singleDateShiftOffsetWarning(new Map([[5, 3], [-2, 4]])), undefined);
    assert.equal(singleDateShiftOffsetWarning(new Map()), undefined);
  });
});
