import { describe, expect, it } from 'vitest';
import { evolve, getTask, TaskAnomalies, type TaskEvent } from '../../../src/domain/task/index.ts';
import {
  assigned,
  cancelled,
  epochStarted,
  failed,
  interrupted,
  progressed,
  ref,
  requeued,
  retired,
  started,
  submitted,
  succeeded,
  timedOut,
} from './fixtures.ts';
import { given } from './given.ts';

/** t1 runs attempt 2 on n2 (incarnation 3) under epoch 2, after attempt 1 on n1 was lost. */
const history: TaskEvent[] = [
  epochStarted(1),
  submitted('t1'),
  assigned('t1', { attempt: 1, epoch: 1, node: 'n1', incarnation: 1 }),
  started(ref('t1')),
  epochStarted(2),
  interrupted('t1', 1, 'node n1 left', 2),
  requeued('t1', 2, 0, 2),
  assigned('t1', { attempt: 2, epoch: 2, node: 'n2', incarnation: 3 }),
];
const current = ref('t1', { attempt: 2, epoch: 2, node: 'n2', incarnation: 3 });

describe('a runner report that does not name the current assignment', () => {
  const stale = {
    'a stale attempt': ref('t1', { attempt: 1, epoch: 2, node: 'n2', incarnation: 3 }),
    'a stale epoch': ref('t1', { attempt: 2, epoch: 1, node: 'n2', incarnation: 3 }),
    'another node': ref('t1', { attempt: 2, epoch: 2, node: 'n1', incarnation: 3 }),
    'another incarnation': ref('t1', { attempt: 2, epoch: 2, node: 'n2', incarnation: 2 }),
    'the lost runner itself': ref('t1'),
  };

  for (const [what, zombie] of Object.entries(stale)) {
    it(`from ${what} changes nothing and is recorded as a zombie write`, () => {
      const before = given(...history).state;
      for (const report of [
        started(zombie),
        progressed(zombie, 0.9),
        succeeded(zombie),
        failed(zombie, false),
      ]) {
        const after = evolve(before, report);
        expect(getTask(after, 't1')).toBe(getTask(before, 't1'));
        expect(after.anomalies.at(-1)).toMatchObject({
          kind: TaskAnomalies.zombieWrite,
          eventType: report.type,
        });
      }
    });
  }

  it('still lets the current runner report', () => {
    given(...history, started(current), succeeded(current)).thenTask('t1', {
      status: 'succeeded',
      attempt: 2,
    });
  });

  it('names the current assignment in the anomaly, for the post-mortem', () => {
    const anomaly = given(...history, succeeded(ref('t1'))).thenAnomaly(TaskAnomalies.zombieWrite);
    expect(anomaly.message).toContain('attempt 1 on n1');
    expect(anomaly.message).toContain('assigned at attempt 2 on n2');
  });
});

describe('a dispatcher event from an older epoch', () => {
  const decisions: Record<string, TaskEvent> = {
    TaskAssigned: assigned('t2', { epoch: 1 }),
    TaskInterrupted: interrupted('t1', 2, 'old leader thinks so', 1),
    TaskTimedOut: timedOut('t1', 2, 1),
    TaskCancelled: cancelled('t1', 2, 1),
    TaskRetired: retired('t1', 1),
  };

  for (const [type, event] of Object.entries(decisions)) {
    it(`(${type}) changes nothing and is recorded as a zombie write`, () => {
      const before = given(...history, submitted('t2')).state;
      const after = evolve(before, event);
      expect(after.tasks).toBe(before.tasks);
      expect(after.anomalies.at(-1)).toMatchObject({ kind: TaskAnomalies.zombieWrite, eventType: type });
    });
  }

  it('of the deposed leader, appended after the new EpochStarted, is fenced', () => {
    // The old leader was paused before it could time t1 out; it resumes and writes anyway.
    const g = given(...history, timedOut('t1', 1, 1));
    g.thenTask('t1', { status: 'assigned', attempt: 2 });
    g.thenAnomaly(TaskAnomalies.zombieWrite);
  });
});

describe('epochs', () => {
  it('grow with each EpochStarted and name the leader', () => {
    given(epochStarted(1), epochStarted(5, 'n3', 2, 77)).thenState((state) => {
      expect(state.epoch).toBe(5);
      expect(state.leader).toEqual({ node: 'n3', incarnation: 2, since: 77 });
    });
  });

  it('never go back: an EpochStarted that does not grow is an anomaly', () => {
    for (const epoch of [3, 2]) {
      const g = given(epochStarted(3, 'n1'), epochStarted(epoch, 'n2'));
      g.thenState((state) => {
        expect(state.epoch).toBe(3);
        expect(state.leader?.node).toBe('n1');
      });
      g.thenAnomaly(TaskAnomalies.epochNotIncreasing);
    }
  });

  it('do not fence a report: an assignment of an older epoch stays valid on a live runner', () => {
    const r = ref('t1', { epoch: 1 });
    given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      epochStarted(2),
      started(r),
      succeeded(r),
    ).thenTask('t1', {
      status: 'succeeded',
    });
  });
});
