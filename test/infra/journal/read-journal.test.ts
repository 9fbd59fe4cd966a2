import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNodeJournal } from '../../../src/infra/journal/node-journal.ts';
import { readJournal } from '../../../src/infra/journal/read-journal.ts';
import { itemsOf, picture, seen, type TempDir, tempDir } from './journal-fixture.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** Writes events A0..A(count-1) to n1's journal; returns its path and each line's offset. */
function writeJournal(count: number): { path: string; offsets: number[] } {
  const journal = openNodeJournal({ dir: dir.path, node: 'n1' });
  const offsets = Array.from({ length: count }, (_, i) => journal.appendSync(seen(`A${i}`, 'n1', i)).offset);
  journal.close();
  return { path: journal.path, offsets };
}

describe('reading a node journal', () => {
  it('gives every event with its seq, file, byte offset and line', async () => {
    const { path, offsets } = writeJournal(3);
    const items = await itemsOf(readJournal(path));
    expect(items).toEqual(
      offsets.map((offset, i) => ({
        kind: 'entry',
        seq: i + 1,
        event: seen(`A${i}`, 'n1', i),
        location: { source: path, offset, line: i + 1 },
      })),
    );
  });

  it('tolerates a torn last line and reports it with its offset and line', async () => {
    const { path } = writeJournal(2);
    const tornAt = readFileSync(path).length;
    appendFileSync(path, '{"seq":3,"type":"Half');
    const items = await itemsOf(readJournal(path));
    expect(picture(items)).toEqual(['A0@1', 'A1@2', '!torn_line']);
    expect(items[2]).toMatchObject({ anomaly: { location: { source: path, offset: tornAt, line: 3 } } });
  });

  it('reports a corrupt line in the middle with its offset and reads the rest', async () => {
    const { path, offsets } = writeJournal(4);
    const bytes = readFileSync(path);
    const at = (offsets[1] as number) + 25;
    bytes[at] = (bytes[at] as number) ^ 0x02;
    writeFileSync(path, bytes);
    const items = await itemsOf(readJournal(path));
    expect(picture(items)).toEqual(['A0@1', '!checksum_mismatch', 'A2@3', 'A3@4']);
    expect(items[1]).toMatchObject({ anomaly: { location: { offset: offsets[1], line: 2 } } });
  });

  it('reports a line of valid JSON that is no journal record', async () => {
    const { path } = writeJournal(1);
    appendFileSync(path, '{"type":"NoSeq"}\n');
    expect(picture(await itemsOf(readJournal(path)))).toEqual(['A0@1', '!not_a_record']);
  });

  it('reports a sequence that goes back, as two writers on one journal would leave it', async () => {
    const { path } = writeJournal(2);
    const firstLine = readFileSync(path, 'utf8').split('\n')[0] as string;
    appendFileSync(path, `${firstLine}\n`);
    expect(picture(await itemsOf(readJournal(path)))).toEqual([
      'A0@1',
      'A1@2',
      '!sequence_out_of_order',
      'A0@1',
    ]);
  });

  it('reports a gap in the sequence when lines are missing', async () => {
    const { path } = writeJournal(3);
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [lines[0], lines[2], ''].join('\n'));
    expect(picture(await itemsOf(readJournal(path)))).toEqual(['A0@1', '!sequence_gap', 'A2@3']);
  });

  it('reads a directory node by node, each journal oldest file first', async () => {
    for (const node of ['n2', 'n1']) {
      const journal = openNodeJournal({ dir: dir.path, node, maxFileBytes: 300 });
      for (let i = 0; i < 4; i++) journal.appendSync(seen(`${node}-${i}`, node, i, { pad: 'y'.repeat(80) }));
      journal.close();
    }
    expect(picture(await itemsOf(readJournal(dir.path)))).toEqual([
      'n1-0@1',
      'n1-1@2',
      'n1-2@3',
      'n1-3@4',
      'n2-0@1',
      'n2-1@2',
      'n2-2@3',
      'n2-3@4',
    ]);
  });
});
