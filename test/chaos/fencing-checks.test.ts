/**
 * "Another node led after the cut", as the fenced-off check asks it, on hand-made evidence: from a
 * journal's LeadershipAcquired, or from the task log's EpochStarted when the schedule damaged the
 * very journal line that said so (seed 8014 zeroed a byte in it).
 */
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import { anotherLed } from './fencing-checks.ts';
import type { JournalEntry, NodeJournal } from './node-journals.ts';

const acquired = (at: number): JournalEntry => ({
  type: 'LeadershipAcquired',
  at,
  incarnation: 1,
  data: {},
  line: 1,
});
const journal = (node: string, ...entries: JournalEntry[]): NodeJournal => ({
  node,
  entries,
  unreadable: [],
});
const epochStarted = (node: string, at: number): LoggedEvent => ({
  id: `${node}-${at}`,
  stream: 'dispatch',
  revision: 0,
  position: 1,
  type: 'EpochStarted',
  version: 1,
  data: { epoch: 2 },
  meta: { node, incarnation: 1, at },
});

describe('another node led after the cut', () => {
  const journals = (...list: NodeJournal[]) => new Map(list.map((j) => [j.node, j]));

  it('is seen in another node’s journal within the window', () => {
    const evidence = { journals: journals(journal('n1'), journal('n2', acquired(1_500))), log: [] };
    expect(anotherLed(evidence, 'n1', 1_000, 2_000)).toBe(true);
    expect(anotherLed(evidence, 'n1', 1_500, 2_000)).toBe(false);
    expect(anotherLed(evidence, 'n2', 1_000, 2_000)).toBe(false);
  });

  it('is seen in the task log when the journal line that said so was damaged', () => {
    const evidence = { journals: journals(journal('n1'), journal('n2')), log: [epochStarted('n2', 1_600)] };
    expect(anotherLed(evidence, 'n1', 1_000, 2_000)).toBe(true);
    expect(anotherLed(evidence, 'n2', 1_000, 2_000)).toBe(false);
    expect(anotherLed({ ...evidence, log: [] }, 'n1', 1_000, 2_000)).toBe(false);
  });
});
