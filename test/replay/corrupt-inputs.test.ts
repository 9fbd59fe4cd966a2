/**
 * A post-mortem replays what can still be read: a zeroed byte or a torn last line is reported with
 * its file, line and byte offset, and every other event replays.
 */
import { open, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterTasks, T } from './cluster-scenario.ts';
import { replay, replayJson, type TempDir, tempDir, writeJournal, writeTaskLog } from './replay-fixture.ts';
import { JournalScript } from './seed-journals.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** Ten health checks of n1, after its boot (4 events): 14 lines. */
async function journal(): Promise<string> {
  const script = new JournalScript('n1').boot(T, '0x1');
  for (let i = 0; i < 10; i++)
    script.add(T + 1_000 * (i + 1), 'HealthChecked', { probe: 'p', ok: true, detail: `#${i}` });
  return writeJournal(dir.path, 'n1', script.events);
}

/** Byte offsets of each line start. */
async function lineOffsets(file: string): Promise<number[]> {
  const bytes = await readFile(file);
  const offsets = [0];
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0x0a) offsets.push(i + 1);
  return offsets;
}

describe('corrupt and truncated journals', () => {
  it('reports a zeroed byte and a line cut in half with file, line and offset, and replays the rest', async () => {
    const file = await journal();
    const offsets = await lineOffsets(file);
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0]), 0, 1, (offsets[6] as number) + 20); // line 7
    await handle.close();
    await truncate(file, (offsets[13] as number) + 30); // line 14, cut in half

    const { report, code } = await replayJson({ inputs: [file] });
    expect(code).toBe(0);
    expect(report.inputs[0]?.skipped).toEqual([
      {
        kind: 'checksum_mismatch',
        message: expect.stringContaining('crc32'),
        location: { source: file, line: 7, offset: offsets[6] },
      },
      {
        kind: 'torn_line',
        message: expect.stringContaining('a torn write'),
        location: { source: file, line: 14, offset: offsets[13] },
      },
    ]);
    expect(report.summary).toMatchObject({ skipped: 2, journalEvents: 12 });
    expect(report.timeline.map((entry) => entry.location.line)).toEqual([
      1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13,
    ]);
  });

  it('says where in the text output too, inline and in the summary', async () => {
    const file = await journal();
    const offsets = await lineOffsets(file);
    await truncate(file, (offsets[13] as number) + 30);
    const { stdout } = await replay({ inputs: [dir.path] });
    const where = `${join(dir.path, 'journal-n1.jsonl')}:14 (offset ${offsets[13]})`;
    expect(
      stdout.match(new RegExp(`skipped ${where.replace(/[().]/g, '\\$&')}: torn_line`, 'g')),
    ).toHaveLength(1);
    expect(stdout).toContain(`── skipped and noted ──\n  ${where}: torn_line`);
  });

  it('reports a corrupt task-log record and folds the others', async () => {
    const log = join(dir.path, 'tasks.log.jsonl');
    await writeTaskLog(log, clusterTasks());
    const text = await readFile(log, 'utf8');
    const lines = text.split('\n');
    lines[2] = (lines[2] as string).replace('"TaskAssigned"', '"TaskAssignee"');
    await writeFile(log, lines.join('\n'));
    const { report } = await replayJson({ inputs: [], log });
    const input = report.inputs.find((item) => item.kind === 'task-log');
    // The log reports the bad record, and the gap it leaves in its stream.
    expect(input?.skipped.map((record) => [record.kind, record.location?.line])).toEqual([
      ['checksum_mismatch', 3],
      ['revision_gap', 6],
    ]);
    expect(input?.skipped[0]?.location).toMatchObject({ source: log, offset: expect.any(Number) });
    expect(report.summary.taskEvents).toBe(7);
  });

  it('exits 2, saying why, for an input that does not exist', async () => {
    const { code, stderr } = await replay({ inputs: [join(dir.path, 'nowhere')] });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^taskd replay: cannot read .*nowhere/);
  });
});
