import { describe, expect, it } from 'vitest';
import { evolve, type NodeEvent, parseNodeEvent } from '../../../src/domain/node/index.ts';
import { given } from './given.ts';
import { e, member, startedAndConnected } from './journal.ts';

const where = { source: 'journal.jsonl', line: 42 };

/** Round-trips an event through JSON, as the journal does. */
const viaJson = (event: NodeEvent): unknown => JSON.parse(JSON.stringify(event));

describe('parseNodeEvent', () => {
  it('reads back every kind of event it wrote', () => {
    const events: NodeEvent[] = [
      ...startedAndConnected(),
      e('SessionSuspended', 1, { suspicionMs: 200, deadline: 201 }),
      e('SessionLost', 2, { reason: 'expired' }),
      e('SessionClosed', 3, {}),
      e('MembersObserved', 4, { members: [member('n1', 'healthy')] }),
      e('LeaderObserved', 5, { leader: null, epoch: null }),
      e('LeadershipResigned', 6, { reason: 'unhealthy', cooldownUntil: 30_006 }, { epoch: 3 }),
      e('VipFailed', 7, { operation: 'acquire', cause: 'config', message: 'ENotFound', output: 'RTNETLINK' }),
      e('ShutdownRequested', 8, { trigger: 'session-lost', detail: 'expired' }),
      e('TeardownStepFailed', 9, { step: 'zk-close', error: 'timeout', timedOut: true }),
      e('SignalReceived', 10, { signal: 'SIGTERM' }),
      e('EventLoopStalled', 11, { delayMs: 2_689 }),
    ];
    for (const event of events) expect(parseNodeEvent(viaJson(event), where)).toEqual({ ok: true, event });
  });

  it('names an object that is not an event', () => {
    expect(parseNodeEvent('SessionLost', where)).toEqual({
      ok: false,
      anomaly: {
        kind: 'malformed-event',
        message: 'event: expected an object, got "SessionLost"',
        location: where,
      },
    });
    expect(parseNodeEvent(null, where)).toMatchObject({
      ok: false,
      anomaly: { message: 'event: expected an object, got null' },
    });
  });

  it('names an unknown type and an unsupported version', () => {
    expect(parseNodeEvent({ type: 'SessionRevived', version: 1, data: {}, meta: {} }, where)).toEqual({
      ok: false,
      anomaly: {
        kind: 'unknown-event-type',
        message: 'type: unknown node event "SessionRevived"',
        location: where,
        eventType: 'SessionRevived',
      },
    });
    const v2 = { ...(viaJson(e('SessionLost', 1, { reason: 'expired' })) as object), version: 2 };
    expect(parseNodeEvent(v2, where)).toMatchObject({
      ok: false,
      anomaly: { kind: 'unsupported-event-version', message: 'version: SessionLost v2 is not supported' },
    });
  });

  it('names the malformed field of data and of meta', () => {
    const raw = viaJson(e('LeadershipAcquired', 1, { epoch: 3 })) as { data: object; meta: object };
    expect(parseNodeEvent({ ...raw, data: { epoch: -1 } }, where)).toMatchObject({
      ok: false,
      anomaly: {
        kind: 'malformed-event',
        eventType: 'LeadershipAcquired',
        message: expect.stringContaining('data.epoch'),
      },
    });
    expect(parseNodeEvent({ ...raw, meta: { node: 'n1', incarnation: 1 } }, where)).toMatchObject({
      ok: false,
      anomaly: { kind: 'malformed-event', message: expect.stringContaining('meta.at') },
    });
    const members = viaJson(e('MembersObserved', 1, { members: [member('n1', 'healthy')] })) as {
      data: object;
    };
    const badMember = { ...members, data: { members: [{ ...member('n1', 'healthy'), health: 'fine' }] } };
    expect(parseNodeEvent(badMember, where)).toMatchObject({
      anomaly: { message: expect.stringContaining('data.members.0.health') },
    });
  });

  it('does not throw on prototype-ish type names', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(parseNodeEvent({ type, version: 1, data: {}, meta: {} }, where)).toMatchObject({
        ok: false,
        anomaly: { kind: 'unknown-event-type' },
      });
    }
  });
});

describe('evolve on events it cannot trust', () => {
  it('records a malformed event as an anomaly and changes nothing else', () => {
    const garbage = {
      type: 'SessionLost',
      version: 1,
      data: { reason: 'bored' },
      meta: { node: 'n1', incarnation: 1, at: 5 },
    };
    given(...startedAndConnected())
      .whenEvent(garbage as unknown as NodeEvent)
      .thenAnomaly('malformed-event')
      .thenState((state) =>
        expect(state.anomalies.at(-1)).toMatchObject({ at: 5, eventType: 'SessionLost' }),
      );
  });

  it('records an event of another node as foreign', () => {
    given(...startedAndConnected())
      .whenEvent(e('SessionLost', 5, { reason: 'expired' }, { node: 'n2' }))
      .thenAnomaly('foreign-node');
  });

  it('survives values that are not events at all', () => {
    const { state } = given();
    for (const value of [undefined, null, 0, 'x', [], {}, { type: 1 }, { meta: null }]) {
      expect(() => evolve(state, value as unknown as NodeEvent)).not.toThrow();
    }
  });
});
