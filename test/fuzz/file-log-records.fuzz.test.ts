/**
 * Fuzzing the file task log with damaged files: read-only, every intact record's events come back
 * in order and every bad line is reported with its position; opened for writing, the log recovers
 * (a bad tail is cut and kept aside) and takes the next append. Nothing ever throws on content.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../src/domain/event.ts';
import { openFileEventLog } from '../../src/infra/log/file/file-event-log.ts';
import type { EventLog, LoggedEvent } from '../../src/infra/log/port.ts';
import { assemble, pieceArb, taskLogRecord } from './record-pieces.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-fuzz-file-log-'));
let files = 0;

async function readAll(log: EventLog): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of log.readAll()) events.push(event);
  return events;
}

function anomaliesOf(log: EventLog): Anomaly[] {
  const seen: Anomaly[] = [];
  log.anomalies$.subscribe((anomaly) => seen.push(anomaly)).unsubscribe();
  return seen;
}

const damagedLog = fc.record({
  pieces: fc.array(pieceArb, { maxLength: 20 }),
  keep: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
});

describe('the file task log on damaged files', () => {
  it('reads every intact record read-only and reports each bad line with its position', async () => {
    await fc.assert(
      fc.asyncProperty(damagedLog, async ({ pieces, keep }) => {
        const path = join(dir, `read-${files++}.log`);
        const laid = assemble(pieces, taskLogRecord, keep);
        writeFileSync(path, laid.bytes);
        const log = await openFileEventLog({ path, readOnly: true });
        try {
          const events = await readAll(log);
          expect(events.map((e) => e.position)).toEqual(laid.intact);
          const anomalies = anomaliesOf(log);
          for (const anomaly of anomalies) {
            expect(anomaly.location?.source).toBe(path);
            const offset = anomaly.location?.offset ?? -1;
            expect(offset === 0 || laid.bytes[offset - 1] === 0x0a).toBe(true);
          }
          if (laid.junk) expect(anomalies.length).toBeGreaterThan(0);
        } finally {
          await log.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('recovers when opened for writing and takes the next append after the intact records', async () => {
    await fc.assert(
      fc.asyncProperty(damagedLog, async ({ pieces, keep }) => {
        const path = join(dir, `write-${files++}.log`);
        const laid = assemble(pieces, taskLogRecord, keep);
        writeFileSync(path, laid.bytes);
        const log = await openFileEventLog({ path, fsync: { intervalMs: 1_000 } });
        try {
          const meta = { node: 'n1', incarnation: 1, at: 1_700_000_000_000 };
          await log.append(
            'dispatch',
            [{ type: 'EpochStarted', version: 1, data: { epoch: 1, leader: 'n1', incarnation: 1 }, meta }],
            'any',
          );
          const positions = (await readAll(log)).map((e) => e.position);
          expect(positions).toEqual([...laid.intact, laid.intact.length + 1]);
        } finally {
          await log.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
