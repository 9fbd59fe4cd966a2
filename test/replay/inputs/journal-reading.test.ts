/**
 * Replay reads journals a chunk at a time, checks lines in place and recognises repeated line
 * templates instead of parsing them. None of that may change what is read: every line must come
 * out exactly as the line-by-line reader (a raw line, decodeJournalLine, the seq checks) makes it,
 * entries and anomalies alike, with the same messages, locations and key order.
 */
import { open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/domain/event.ts';
import { decodeJournalLine, eventOf } from '../../../src/infra/journal/journal-line.ts';
import { type JournalItem, readJournalChain } from '../../../src/infra/journal/read-journal.ts';
import { encodeChecksummedLine } from '../../../src/infra/log/file/checksummed-line.ts';
import { readRawLines } from '../../../src/infra/log/file/line-reader.ts';
import { type TempDir, tempDir } from '../replay-fixture.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** The line-by-line reader replay used before reading in chunks: the reference. */
async function lineByLine(files: readonly string[]): Promise<JournalItem[]> {
  const items: JournalItem[] = [];
  const anomaly = (value: Anomaly): JournalItem => ({ kind: 'anomaly', anomaly: value });
  let lastSeq: number | undefined;
  let badSinceLastEntry = false;
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      for await (const raw of readRawLines(handle)) {
        const location = { source: file, offset: raw.offset, line: raw.line };
        if (!raw.terminated) {
          const message = `last line of ${basename(file)} has no newline (${raw.bytes.length} bytes): a torn write`;
          items.push(anomaly({ kind: 'torn_line', message, location }));
          continue;
        }
        const decoded = decodeJournalLine(raw.bytes);
        if (!decoded.ok) {
          badSinceLastEntry = true;
          items.push(anomaly({ kind: decoded.kind, message: decoded.message, location }));
          continue;
        }
        const { seq } = decoded.record;
        const event = eventOf(decoded.record);
        if (lastSeq !== undefined && seq <= lastSeq) {
          const message = `seq ${seq} after seq ${lastSeq}`;
          items.push(anomaly({ kind: 'sequence_out_of_order', message, location, eventType: event.type }));
        } else if (lastSeq !== undefined && seq > lastSeq + 1 && !badSinceLastEntry) {
          const message = `seq jumps from ${lastSeq} to ${seq}: lines are missing`;
          items.push(anomaly({ kind: 'sequence_gap', message, location, eventType: event.type }));
        }
        lastSeq = Math.max(seq, lastSeq ?? 0);
        badSinceLastEntry = false;
        items.push({ kind: 'entry', seq, event, location });
      }
    } finally {
      await handle.close();
    }
  }
  return items;
}

async function chunked(files: readonly string[]): Promise<JournalItem[]> {
  const items: JournalItem[] = [];
  for await (const item of readJournalChain(files)) items.push(item);
  return items;
}

/** Same items, same values, and the same key order (the JSON output shows it). */
async function expectSameReading(files: readonly string[]): Promise<void> {
  const expected = await lineByLine(files);
  const actual = await chunked(files);
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const line = (record: object): string => encodeChecksummedLine(record).toString('utf8');

/** A checksummed line of any JSON text (duplicate keys, spaces…), as a hand edit would leave it. */
const checksummed = (json: string): string =>
  `${json.slice(0, -1)},"crc":"${crc32(json).toString(16).padStart(8, '0')}"}\n`;

/** Data from a small pool, so that templates repeat, with now and then something unusual. */
const data = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<unknown>({ probe: 'p', ok: true, detail: 'fine' }, {}, { members: [] }),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((detail) => ({ detail })) },
  { weight: 1, arbitrary: fc.constant({ meta: { at: 1 }, text: ',"meta":{"node":"x"}' }) },
);

const meta = fc.record(
  {
    node: fc.constantFrom('n1', 'n2', 'ñ-1', ''),
    incarnation: fc.oneof(fc.nat(5), fc.constant(-1), fc.constant(1.5)),
    at: fc.oneof(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.constant(1e21), fc.double({ noNaN: true })),
    epoch: fc.oneof(fc.nat(9), fc.constant('e')),
    causationId: fc.constantFrom('c-1', 7),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['node', 'incarnation', 'at'] },
);

/** Lines of a few templates, numbers varying, a leader's epoch written after at or before it. */
const repeated = fc
  .record({
    seq: fc.integer({ min: 1, max: 40 }),
    at: fc.oneof(fc.nat(), fc.constant(2 ** 53 - 1), fc.constant(1e16)),
    epoch: fc.option(fc.nat(20)),
    epochFirst: fc.boolean(),
    template: fc.nat(2),
  })
  .map(({ seq, at, epoch, epochFirst, template }) => {
    const base = { node: 'n1', incarnation: 1 };
    const meta =
      epoch === null ? { ...base, at } : epochFirst ? { ...base, epoch, at } : { ...base, at, epoch };
    const data = [{ probe: 'p', ok: true, detail: 'ok' }, { members: [{ node: 'n1' }] }, null][template];
    return line({ seq, type: template === 1 ? 'MembersObserved' : 'HealthChecked', version: 1, data, meta });
  });

/** A line as the journal writes it, or written in another key order, or not a record at all. */
const journalLine = fc.oneof(
  { weight: 8, arbitrary: repeated },
  {
    weight: 8,
    arbitrary: fc
      .record({
        seq: fc.integer({ min: 1, max: 40 }),
        type: fc.constantFrom('HealthChecked', 'MembersObserved', ''),
        data,
        meta,
      })
      .map(({ seq, type, data: value, meta: m }) => line({ seq, type, version: 1, data: value, meta: m })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ seq: fc.integer({ min: 1, max: 40 }), at: fc.nat() })
      .map(({ seq, at }) =>
        line({ meta: { at, incarnation: 1, node: 'n1' }, data: {}, version: 1, type: 'T', seq }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(
        `${line({ seq: 1, type: 'T', version: 1, data: {}, meta: { node: 'n1', incarnation: 1, at: 5, epoch: 2 } }).replace('"at":5', '"at":05')}`,
      ),
      fc.constant('{"seq":1,"type":"T"}\n'),
      fc.constant('\n'),
      fc.jsonValue().map((value) => `${JSON.stringify(value)}\n`),
    ),
  },
);

describe('reading a journal in chunks', () => {
  it('gives exactly what reading it line by line gives, for any mix of lines', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(journalLine, { maxLength: 60 }), fc.nat(), async (lines, flip) => {
        const file = join(dir.path, `journal-n${run++}.jsonl`);
        const bytes = Buffer.from(lines.join(''), 'utf8');
        // Now and then a flipped bit, and a torn last line.
        const at = flip % Math.max(1, bytes.length);
        if (bytes.length > 0 && flip % 3 === 0) bytes[at] = (bytes[at] as number) ^ 0x04;
        await writeFile(file, flip % 5 === 0 ? bytes.subarray(0, bytes.length - 3) : bytes);
        await expectSameReading([file]);
      }),
      { numRuns: 150 },
    );
  });

  it('reads a template again after a different line, with epochs written before or after at', async () => {
    const file = join(dir.path, 'journal-n1.jsonl');
    const meta = (at: number, epoch?: number, epochFirst = false) => {
      if (epoch === undefined) return { node: 'n1', incarnation: 1, at };
      return epochFirst
        ? { node: 'n1', incarnation: 1, epoch, at }
        : { node: 'n1', incarnation: 1, at, epoch };
    };
    const health = { probe: 'p', ok: true, detail: 'é ✓' };
    const lines = [];
    for (let seq = 1; seq <= 40; seq++) {
      lines.push(
        line({
          seq,
          type: 'HealthChecked',
          version: 1,
          data: health,
          meta: meta(1_000 + seq, seq % 3 === 0 ? seq : undefined, seq % 2 === 0),
        }),
      );
    }
    // Written twice (by hand): JSON.parse keeps the last, so must the template.
    for (const seq of [41, 42, 43]) {
      lines.push(
        checksummed(
          `{"seq":${seq},"type":"HealthChecked","version":1,"data":{},"meta":{"node":"n1","incarnation":1,"epoch":1,"at":${seq},"epoch":${seq}}}`,
        ),
      );
    }
    await writeFile(file, lines.join(''));
    await expectSameReading([file]);
  });

  it('reads lines longer than a chunk and lines across chunk boundaries, over a chain of files', async () => {
    const files = [join(dir.path, 'journal-n1.1.jsonl'), join(dir.path, 'journal-n1.jsonl')];
    let seq = 0;
    const lines = (count: number, detail: (i: number) => string) =>
      Array.from({ length: count }, (_, i) =>
        line({
          seq: ++seq,
          type: 'HealthChecked',
          version: 1,
          data: { probe: 'p', ok: true, detail: detail(i) },
          meta: { node: 'n1', incarnation: 1, at: seq },
        }),
      ).join('');
    await writeFile(
      files[0] as string,
      lines(700, (i) => 'x'.repeat(i * 7)) + lines(2, () => 'ü'.repeat(200_000)),
    );
    await writeFile(files[1] as string, `${lines(300, () => 'same')}{"seq":`);
    await expectSameReading(files);
  });
});
