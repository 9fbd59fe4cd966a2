import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeChecksummedLine } from '../../../src/infra/log/file/checksummed-line.ts';
import { openFileEventLog } from '../../../src/infra/log/file/file-event-log.ts';
import { anomaliesOf, event, linesOf, readAllOf, type TempLogDir, tempLogDir } from './file-log-fixture.ts';

let dir: TempLogDir;
beforeEach(async () => {
  dir = await tempLogDir();
});
afterEach(() => dir.remove());

/** Writes `count` one-event records to stream "s" plus, when asked, one last record of three events. */
async function writeRecords(count: number, lastBatch = false): Promise<void> {
  const log = await openFileEventLog({ path: dir.path });
  for (let i = 0; i < count; i++) await log.append('s', [event(`E${i}`, i)], 'any');
  if (lastBatch) await log.append('s', [event('Batch0'), event('Batch1'), event('Batch2')], 'any');
  await log.close();
}

/** Byte offset of 1-based line `line`. */
async function offsetOfLine(line: number): Promise<number> {
  const lines = await linesOf(dir.path);
  return lines.slice(0, line - 1).reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
}

async function patchByte(offset: number, patch: (byte: number) => number): Promise<void> {
  const bytes = await readFile(dir.path);
  bytes[offset] = patch(bytes[offset] as number);
  await writeFile(dir.path, bytes);
}

describe('file log: a torn tail', () => {
  it('is cut off, reported with its byte offset and line, and kept aside', async () => {
    await writeRecords(3, true);
    const tornAt = await offsetOfLine(4);
    const size = (await stat(dir.path)).size;
    await truncate(dir.path, tornAt + Math.floor((size - tornAt) / 2));

    const log = await openFileEventLog({ path: dir.path });
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({ kind: 'torn_tail', location: { source: dir.path, offset: tornAt, line: 4 } }),
    ]);
    expect((await stat(dir.path)).size).toBe(tornAt);
    expect((await stat(`${dir.path}.torn-${tornAt}`)).size).toBe(Math.floor((size - tornAt) / 2));
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E1', 'E2']);
    await log.close();
  });

  it('leaves no event of a torn multi-event append visible, and later appends read back whole', async () => {
    await writeRecords(1, true);
    const size = (await stat(dir.path)).size;
    await truncate(dir.path, size - 1); // everything but the final newline

    const log = await openFileEventLog({ path: dir.path });
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0']);
    const next = await log.append('s', [event('After')], 0);
    expect(next).toEqual({ nextExpectedRevision: 1, position: 2 });
    await log.close();

    const again = await openFileEventLog({ path: dir.path, readOnly: true });
    expect(anomaliesOf(again)).toEqual([]);
    expect((await readAllOf(again)).map((e) => e.type)).toEqual(['E0', 'After']);
    await again.close();
  });

  it('includes a last record that fails its checksum', async () => {
    await writeRecords(3);
    const last = await offsetOfLine(3);
    await patchByte(last + 20, (byte) => byte ^ 0x04);

    const log = await openFileEventLog({ path: dir.path });
    const [anomaly] = anomaliesOf(log);
    expect(anomaly).toMatchObject({ kind: 'torn_tail', location: { offset: last, line: 3 } });
    expect(anomaly?.message).toContain('crc32');
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E1']);
    await log.close();
  });
});

describe('file log: corruption in the middle', () => {
  it('reports a flipped bit with its offset and line, skips that record and reads the rest', async () => {
    await writeRecords(4);
    const second = await offsetOfLine(2);
    const sizeBefore = (await stat(dir.path)).size;
    await patchByte(second + 30, (byte) => byte ^ 0x01);

    const log = await openFileEventLog({ path: dir.path });
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({
        kind: 'checksum_mismatch',
        location: { source: dir.path, offset: second, line: 2 },
      }),
      expect.objectContaining({ kind: 'revision_gap', location: expect.objectContaining({ line: 3 }) }),
    ]);
    const events = await readAllOf(log);
    expect(events.map((e) => [e.type, e.position])).toEqual([
      ['E0', 1],
      ['E2', 3],
      ['E3', 4],
    ]);
    expect((await stat(dir.path)).size).toBe(sizeBefore); // good data after it is never cut
    expect(await log.append('s', [event('Next')], 'any')).toMatchObject({ position: 5 });
    await log.close();
  });

  it('reports a zeroed byte and still reads every other record', async () => {
    await writeRecords(3);
    const second = await offsetOfLine(2);
    await patchByte(second + 12, () => 0);

    const log = await openFileEventLog({ path: dir.path });
    expect(anomaliesOf(log)[0]).toMatchObject({
      kind: 'checksum_mismatch',
      location: { offset: second, line: 2 },
    });
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E2']);
    await log.close();
  });

  it('reports two records merged by a zeroed newline as one bad line', async () => {
    await writeRecords(4);
    const second = await offsetOfLine(2);
    await patchByte((await offsetOfLine(3)) - 1, () => 0);

    const log = await openFileEventLog({ path: dir.path });
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({
        kind: 'checksum_mismatch',
        location: expect.objectContaining({ offset: second }),
      }),
      expect.objectContaining({ kind: 'revision_gap' }),
    ]);
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E3']);
    await log.close();
  });

  it('reports a line of valid JSON without a checksum and reads around it', async () => {
    await writeRecords(2);
    const second = await offsetOfLine(2);
    const bytes = await readFile(dir.path);
    const stranger = Buffer.from('{"hello":"world"}\n');
    await writeFile(dir.path, Buffer.concat([bytes.subarray(0, second), stranger, bytes.subarray(second)]));

    const log = await openFileEventLog({ path: dir.path });
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({
        kind: 'not_a_record',
        location: { source: dir.path, offset: second, line: 2 },
      }),
    ]);
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E1']);
    await log.close();
  });

  it('reports a checksummed line of the wrong shape and reads around it', async () => {
    await writeRecords(2);
    const second = await offsetOfLine(2);
    const bytes = await readFile(dir.path);
    const wrongShape = encodeChecksummedLine({ seq: 'two', events: 'none' });
    await writeFile(dir.path, Buffer.concat([bytes.subarray(0, second), wrongShape, bytes.subarray(second)]));

    const log = await openFileEventLog({ path: dir.path, readOnly: true });
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({
        kind: 'invalid_shape',
        location: { source: dir.path, offset: second, line: 2 },
      }),
    ]);
    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E1']);
    await log.close();
  });

  it('reports a record damaged after open when it is read, and skips it', async () => {
    await writeRecords(3);
    const log = await openFileEventLog({ path: dir.path, readOnly: true });
    const second = await offsetOfLine(2);
    await patchByte(second + 30, (byte) => byte ^ 0x10);

    expect((await readAllOf(log)).map((e) => e.type)).toEqual(['E0', 'E2']);
    expect(anomaliesOf(log)).toEqual([
      expect.objectContaining({
        kind: 'checksum_mismatch',
        location: { source: dir.path, offset: second, line: 2 },
      }),
    ]);
    await log.close();
  });
});
