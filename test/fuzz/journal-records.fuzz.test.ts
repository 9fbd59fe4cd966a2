/**
 * Fuzzing the journal reader with damaged journals: every good line is read back in order, every
 * line it cannot use is reported with where it sits (file, 1-based line, byte offset at a line
 * start), and nothing ever throws.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/infra/journal/read-journal.ts';
import { assemble, journalRecord, pieceArb } from './record-pieces.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-fuzz-journal-'));
let files = 0;

describe('the journal reader on damaged journals', () => {
  it('reads every intact line and reports each bad one with its position, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pieceArb, { maxLength: 25 }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        async (pieces, keep) => {
          const file = join(dir, `journal-n${files++}.jsonl`);
          const node = file.slice(file.lastIndexOf('journal-') + 8, -6);
          const laid = assemble(pieces, (n, version) => journalRecord(node, n, version), keep);
          writeFileSync(file, laid.bytes);
          const seqs: number[] = [];
          let anomalies = 0;
          for await (const item of readJournal(file)) {
            if (item.kind === 'entry') {
              seqs.push(item.seq);
              continue;
            }
            anomalies += 1;
            const { location } = item.anomaly;
            expect(location?.source).toBe(file);
            expect(location?.line).toBeGreaterThanOrEqual(1);
            const offset = location?.offset ?? -1;
            expect(offset === 0 || laid.bytes[offset - 1] === 0x0a).toBe(true);
          }
          expect(seqs).toEqual(laid.intact);
          if (laid.junk) expect(anomalies).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
