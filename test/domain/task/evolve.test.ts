import { describe, expect, it } from 'vitest';
import { evolve, getTask, TaskAnomalies } from '../../../src/domain/task/index.ts';
import { assigned, cancelRequested, epochStarted, submitted, T0 } from './fixtures.ts';
import { given } from './given.ts';

describe('evolve', () => {
  it('returns the same state object when an event changes nothing', () => {
    const state = given(epochStarted(1), submitted('t1')).state;
    const requested = evolve(state, cancelRequested('t1'));
    expect(requested).not.toBe(state);
    expect(evolve(requested, cancelRequested('t1', 'again'))).toBe(requested);
  });

  it('leaves other tasks untouched (the same objects) when one task changes', () => {
    const before = given(epochStarted(1), submitted('t1'), submitted('t2')).state;
    const after = evolve(before, assigned('t1'));
    expect(getTask(after, 't2')).toBe(getTask(before, 't2'));
  });

  it('records an event about an unknown task as an anomaly', () => {
    given(epochStarted(1), assigned('nope')).thenAnomaly(TaskAnomalies.unknownTask);
  });

  it('records a garbage event instead of throwing', () => {
    const state = given(submitted('t1')).state;
    const garbage = [null, 42, { type: 'TaskAssigned' }, { type: 'Nope', data: {}, meta: {} }];
    for (const event of garbage) {
      expect(() => evolve(state, event as never)).not.toThrow();
    }
    const after = garbage.reduce((s, e) => evolve(s, e as never), state);
    expect(after.anomalyCount).toBe(garbage.length);
    expect(getTask(after, 't1')).toBe(getTask(state, 't1'));
  });

  it('turns a failure inside evolve into an evolve-failed anomaly, not a throw', () => {
    const broken = { ...assigned('t1'), data: null } as never;
    const state = given(epochStarted(1), submitted('t1')).state;
    expect(evolve(state, broken).anomalies.at(-1)?.kind).toBe(TaskAnomalies.malformedEvent);
    const evil = {
      ...assigned('t1'),
      data: {
        get taskId(): string {
          throw new Error('trap');
        },
      },
    } as never;
    expect(evolve(state, evil).anomalies.at(-1)?.kind).toBe(TaskAnomalies.evolveFailed);
  });

  it('keeps a bounded number of anomalies but counts them all', () => {
    const events = Array.from({ length: 250 }, (_, i) => assigned(`ghost-${i}`));
    const state = given(epochStarted(1), ...events).state;
    expect(state.anomalyCount).toBe(250);
    expect(state.anomalies.length).toBeLessThanOrEqual(200);
    expect(state.anomalies.at(-1)?.message).toContain('ghost-249');
  });

  it('names the event, its time and its location in an anomaly', () => {
    const located = { ...assigned('ghost', {}, T0 + 3), location: { stream: 'dispatch', revision: 4 } };
    const anomaly = given(epochStarted(1), located).thenAnomaly(TaskAnomalies.unknownTask);
    expect(anomaly).toMatchObject({
      eventType: 'TaskAssigned',
      at: T0 + 3,
      location: { stream: 'dispatch', revision: 4 },
    });
  });
});

describe('an assignment', () => {
  it('is refused for a task that is already assigned: never on two nodes at once', () => {
    const g = given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1', { node: 'n1' }),
      assigned('t1', { node: 'n2' }),
    );
    g.thenTask('t1', { status: 'assigned', assignment: { node: 'n1' } });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });

  it('is refused for an attempt that is not the one the task waits to run', () => {
    const g = given(epochStarted(1), submitted('t1'), assigned('t1', { attempt: 2 }));
    g.thenTask('t1', { status: 'pending' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});
