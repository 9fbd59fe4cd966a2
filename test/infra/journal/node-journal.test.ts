import { appendFileSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/event.ts';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import { type NodeJournal, openNodeJournal } from '../../../src/infra/journal/node-journal.ts';
import { readJournal } from '../../../src/infra/journal/read-journal.ts';
import { itemsOf, picture, seen, type TempDir, tempDir } from './journal-fixture.ts';

let dir: TempDir;
let journals: NodeJournal[];
beforeEach(async () => {
  dir = await tempDir();
  journals = [];
});
afterEach(async () => {
  for (const journal of journals) journal.close();
  await dir.remove();
});

function open(options: Partial<Parameters<typeof openNodeJournal>[0]> = {}): NodeJournal {
  const journal = openNodeJournal({ dir: dir.path, node: 'n1', ...options });
  journals.push(journal);
  return journal;
}

function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

describe('node journal: writing', () => {
  it('has the line on disk when appendSync returns, one JSON object per event with its seq', () => {
    const journal = open();
    const first = journal.appendSync(seen('SessionConnected', 'n1', 100, { timeoutMs: 6000 }));
    expect(linesOf(journal.path)).toHaveLength(1);
    journal.appendSync(seen('MemberJoined', 'n1', 101));
    const lines = linesOf(journal.path).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({ seq: 1, file: join(dir.path, 'journal-n1.jsonl'), offset: 0 });
    expect(lines).toEqual([
      {
        seq: 1,
        type: 'SessionConnected',
        version: 1,
        data: { timeoutMs: 6000 },
        meta: { node: 'n1', incarnation: 1, at: 100 },
        crc: expect.stringMatching(/^[0-9a-f]{8}$/),
      },
      expect.objectContaining({ seq: 2, type: 'MemberJoined' }),
    ]);
  });

  it('creates its file with mode 0600 in a directory with mode 0700', async () => {
    const journal = openNodeJournal({ dir: join(dir.path, 'data', 'node'), node: 'n1' });
    journals.push(journal);
    expect((await stat(journal.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'data', 'node'))).mode & 0o777).toBe(0o700);
  });

  it('continues the sequence after a restart', () => {
    const first = open();
    first.appendSync(seen('A', 'n1', 1));
    first.appendSync(seen('B', 'n1', 2));
    first.close();
    expect(open().appendSync(seen('C', 'n1', 3)).seq).toBe(3);
  });

  it('rotates by size into numbered files, the sequence running on across them', async () => {
    const journal = open({ maxFileBytes: 400 });
    for (let i = 0; i < 12; i++) journal.appendSync(seen(`E${i}`, 'n1', i, { pad: 'x'.repeat(40) }));
    journal.close();
    const names = (await readdir(dir.path)).sort();
    expect(names).toContain('journal-n1.1.jsonl');
    expect(names).toContain('journal-n1.2.jsonl');
    expect(names).toContain('journal-n1.jsonl');
    for (const name of names) expect((await stat(join(dir.path, name))).size).toBeLessThanOrEqual(400);
    const items = await itemsOf(readJournal(dir.path));
    expect(picture(items)).toEqual(Array.from({ length: 12 }, (_, i) => `E${i}@${i + 1}`));
    expect(journal.stats().rotations).toBe(names.length - 1);
  });

  it('continues the sequence from the newest rotated file when the active one is new', () => {
    const journal = open({ maxFileBytes: 300 });
    for (let i = 0; i < 6; i++) journal.appendSync(seen(`E${i}`, 'n1', i, { pad: 'x'.repeat(100) }));
    journal.close();
    const again = open({ maxFileBytes: 300 });
    expect(again.appendSync(seen('Next', 'n1', 7, { pad: 'x'.repeat(100) })).seq).toBe(7);
  });

  it('ends a torn last line on restart so the next line starts clean, and readers report it', async () => {
    const first = open();
    first.appendSync(seen('A', 'n1', 1));
    first.close();
    appendFileSync(first.path, '{"seq":2,"type":"Tor');
    open().appendSync(seen('B', 'n1', 2));
    const items = await itemsOf(readJournal(first.path));
    expect(picture(items)).toEqual(['A@1', '!not_a_record', 'B@2']);
  });

  it('refuses an event that would not read back, writing nothing', () => {
    const journal = open();
    const noTime = { type: 'NoTime', version: 1, data: {}, meta: { node: 'n1', incarnation: 1 } };
    expect(() => journal.appendSync(noTime as unknown as DomainEvent)).toThrowError(
      expect.objectContaining({ code: ErrorCodes.VALIDATION }),
    );
    expect(readFileSync(journal.path, 'utf8')).toBe('');
  });

  it('refuses an event that is not JSON, writing nothing', () => {
    const journal = open();
    const failure = (() => {
      try {
        journal.appendSync(seen('Bad', 'n1', 1, { big: 1n }));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(hasCode(failure, ErrorCodes.VALIDATION)).toBe(true);
    expect(readFileSync(journal.path, 'utf8')).toBe('');
  });

  it('refuses a node name that cannot name a file unambiguously', () => {
    for (const node of ['', '../etc', 'a/b', 'node.3']) {
      expect(() => openNodeJournal({ dir: dir.path, node }), node).toThrowError(
        expect.objectContaining({ code: ErrorCodes.CONFIG_INVALID }),
      );
    }
  });

  it('closes idempotently and refuses appends after close with LOG_CLOSED', () => {
    const journal = open();
    journal.close();
    journal.close();
    expect(() => journal.appendSync(seen('Late', 'n1', 1))).toThrowError(
      expect.objectContaining({ code: ErrorCodes.LOG_CLOSED }),
    );
  });
});

describe('node journal: fsync policy', () => {
  it("'always' syncs inside every appendSync", () => {
    const journal = open({ fsync: 'always' });
    for (let i = 1; i <= 3; i++) {
      journal.appendSync(seen(`E${i}`, 'n1', i));
      expect(journal.stats().fsyncs).toBe(i);
    }
  });

  it('an interval syncs in the background, and close syncs what is pending', async () => {
    const background = open({ fsync: { intervalMs: 10 } });
    background.appendSync(seen('A', 'n1', 1));
    expect(background.stats().fsyncs).toBe(0);
    const deadline = Date.now() + 10_000;
    while (background.stats().fsyncs === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(background.stats().fsyncs).toBeGreaterThanOrEqual(1);

    const onClose = openNodeJournal({ dir: dir.path, node: 'n2', fsync: { intervalMs: 3_600_000 } });
    onClose.appendSync(seen('B', 'n2', 1));
    onClose.close();
    expect(onClose.stats().fsyncs).toBe(1);
  });
});
