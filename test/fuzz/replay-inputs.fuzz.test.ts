/**
 * Fuzzing `taskd replay` with damaged inputs: a data directory holding a damaged journal and a
 * damaged file task log. The replay always finishes (exit 0) with a JSON report; every record it
 * skipped is listed with where it sits; an event of a version nobody knows is reported too.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReplayReport, runReplay } from '../../src/replay/index.ts';
import { assemble, journalRecord, pieceArb, taskLogRecord } from './record-pieces.ts';

const root = mkdtempSync(join(tmpdir(), 'taskd-fuzz-replay-'));
let runs = 0;

/** A stream that keeps what is written to it. */
function capture(): { text: () => string; write: (chunk: string) => boolean; once: () => void } {
  let text = '';
  return {
    text: () => text,
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    once: () => undefined,
  };
}

const damaged = fc.record({
  pieces: fc.array(pieceArb, { maxLength: 15 }),
  keep: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
});

describe('taskd replay on damaged journals and task logs', () => {
  it('finishes with a JSON report that lists every skipped record with its position', async () => {
    await fc.assert(
      fc.asyncProperty(damaged, damaged, async (journalInput, logInput) => {
        const dir = join(root, `run-${runs++}`);
        mkdirSync(dir);
        const journal = assemble(journalInput.pieces, (n, v) => journalRecord('n1', n, v), journalInput.keep);
        const log = assemble(logInput.pieces, taskLogRecord, logInput.keep);
        writeFileSync(join(dir, 'journal-n1.jsonl'), journal.bytes);
        writeFileSync(join(dir, 'tasks.log'), log.bytes);
        const stdout = capture();
        const stderr = capture();
        const code = await runReplay(
          { inputs: [dir], log: join(dir, 'tasks.log'), format: 'json', at: 'end', progress: false },
          { stdout, stderr },
        );
        expect({ code, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' });
        const report = JSON.parse(stdout.text()) as ReplayReport;
        for (const record of report.inputs.flatMap((input) => input.skipped)) {
          // A journal line by file, line and offset; a task-log event by its position (and stream).
          const where = record.location;
          const placed =
            (where?.source?.endsWith('journal-n1.jsonl') &&
              where.line !== undefined &&
              where.offset !== undefined) ||
            where?.position !== undefined ||
            (where?.source?.endsWith('tasks.log') && where.offset !== undefined);
          expect(placed, JSON.stringify(record)).toBe(true);
        }
        const skipped = report.inputs.reduce((sum, input) => sum + input.skippedCount, 0);
        if (journal.junk || log.junk) expect(skipped).toBeGreaterThan(0);
        // A journal event of an unknown version is refused by the node fold; a task-log event is skipped.
        const kinds = new Set(report.anomalies.map((a) => a.kind));
        const skippedKinds = new Set(report.inputs.flatMap((input) => input.skipped.map((r) => r.kind)));
        if (journal.futureVersions > 0) expect(kinds).toContain('unsupported-event-version');
        if (log.futureVersions > 0) expect(skippedKinds).toContain('unknown-event-version');
        expect(report.state?.tasksTotal).toBe(log.intact.length - log.futureVersions);
      }),
      { numRuns: 40 },
    );
  });
});
