/**
 * The oracle's "acts only on what it journaled" check, on hand-made journals and logs: a write under
 * a journaled incarnation and term passes; a write under a term or an incarnation the journal never
 * recorded (or recorded only after the write) fails, naming the write.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import { checkJournaledActs } from './journaled-acts-checks.ts';
import type { JournalEntry, NodeJournal } from './node-journals.ts';
import { Verdict } from './verdict.ts';

const entry = (
  type: string,
  at: number,
  incarnation: number,
  data: Record<string, unknown>,
): JournalEntry => ({
  type,
  at,
  incarnation,
  data,
  line: at,
});

const journalOf = (node: string, ...entries: JournalEntry[]): NodeJournal => ({
  node,
  entries,
  unreadable: [],
});

let position = 0;
const write = (
  stream: string,
  type: string,
  at: number,
  incarnation: number,
  epoch?: number,
): LoggedEvent => ({
  id: `e${++position}`,
  stream,
  revision: position,
  position,
  type,
  version: 1,
  data: {},
  meta: { node: 'n1', incarnation, at, ...(epoch === undefined ? {} : { epoch }) },
});

const n1 = journalOf(
  'n1',
  entry('ServicesStarted', 10, 1, { incarnation: 1 }),
  entry('LeadershipAcquired', 20, 1, { epoch: 5 }),
);

function judge(journal: NodeJournal, log: LoggedEvent[]): Verdict {
  const verdict = new Verdict();
  checkJournaledActs(verdict, new Map([[journal.node, journal]]), log);
  return verdict;
}

describe('the journaled-acts check', () => {
  it('passes writes under an incarnation and a term the journal recorded first', () => {
    const verdict = judge(n1, [
      write('dispatch', 'TaskAssigned', 25, 1, 5),
      write('runner-n1', 'TaskStarted', 30, 1, 5),
      write('submissions', 'TaskSubmitted', 1, 0),
    ]);
    expect(verdict.violations).toEqual([]);
  });

  it('fails a leader write under a term the journal never acquired', () => {
    const verdict = judge(n1, [write('dispatch', 'EpochStarted', 25, 1, 6)]);
    expect(verdict.violations).toEqual([
      {
        check: 'acts only on what it journaled',
        detail: expect.stringMatching(/EpochStarted .* epoch 6 .* never led/),
      },
    ]);
  });

  it('fails a write made before the journal recorded its incarnation', () => {
    const verdict = judge(n1, [write('runner-n1', 'TaskStarted', 5, 1)]);
    expect(verdict.violations.map((v) => v.detail)).toEqual([expect.stringMatching(/never started/)]);
  });

  it('leaves out a node whose journal has unreadable records, and says so', () => {
    const damaged: NodeJournal = { ...n1, unreadable: [{ kind: 'checksum_mismatch', message: 'crc' }] };
    const verdict = judge(damaged, [write('dispatch', 'EpochStarted', 25, 1, 6)]);
    expect(verdict.violations).toEqual([]);
    expect(verdict.notes).toEqual([expect.stringContaining('not checked for n1')]);
  });
});
