import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeJournalLine } from '../../../src/infra/journal/journal-line.ts';
import { readJournal } from '../../../src/infra/journal/read-journal.ts';
import { itemsOf, type TempDir, tempDir } from './journal-fixture.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** Lines that differ only in seq, at and epoch: after the first, every one is read by its template. */
function repeatedLines(count: number): Buffer {
  const lines = Array.from({ length: count }, (_, i) =>
    encodeJournalLine(i + 1, {
      type: 'HealthChecked',
      version: 1,
      data: { probe: 'net', ok: true, detail: 'peers reachable' },
      meta: { node: 'n1', incarnation: 1, epoch: 7 + (i % 2), at: 1_700_000_000_000 + i * 10 },
    }),
  );
  return Buffer.concat(lines);
}

describe('reading lines by their template', () => {
  it('still catches any flipped bit of a line whose template is known, in its numbers or its template', async () => {
    const bytes = repeatedLines(12);
    const lineStarts = [0];
    for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0x0a) lineStarts.push(i + 1);
    const target = 9; // well after the template was learned
    const from = lineStarts[target] as number;
    const to = (lineStarts[target + 1] as number) - 1;
    const path = join(dir.path, 'journal-n1.jsonl');
    for (let at = from; at < to; at++) {
      const corrupt = Buffer.from(bytes);
      corrupt[at] = (corrupt[at] as number) ^ 0x01;
      writeFileSync(path, corrupt);
      const items = await itemsOf(readJournal(path));
      const bad = items.filter((item) => item.kind === 'anomaly');
      // A flip in the crc field itself may leave no crc field at all: then it is not a record.
      expect(bad.map((item) => item.kind === 'anomaly' && item.anomaly.location?.line)).toContain(target + 1);
      const entries = items.filter((item) => item.kind === 'entry');
      expect(entries.map((item) => item.kind === 'entry' && item.seq)).not.toContain(target + 1);
    }
  });
});
