import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTaskEvent, TaskAnomalies, TaskEventStreams } from '../../../src/domain/task/index.ts';
import { assigned, failed, ref, submitted } from './fixtures.ts';

const where = { stream: 'dispatch', revision: 7, position: 42 };
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseTaskEvent', () => {
  it('returns the typed event with its location', () => {
    const raw = json(assigned('t1', { deadline: 5 }));
    expect(parseTaskEvent(raw, where)).toEqual({
      ok: true,
      event: { ...assigned('t1', { deadline: 5 }), location: where },
    });
  });

  it('accepts what a log hands back: extra envelope fields are ignored', () => {
    const raw = {
      ...(json(submitted('t1')) as object),
      id: 'e-1',
      stream: 'submissions',
      revision: 0,
      position: 1,
    };
    const parsed = parseTaskEvent(raw, where);
    expect(parsed.ok && parsed.event.type).toBe('TaskSubmitted');
  });

  it('names an unknown type', () => {
    expect(parseTaskEvent({ ...(json(submitted('t1')) as object), type: 'TaskExploded' }, where)).toEqual({
      ok: false,
      anomaly: {
        kind: TaskAnomalies.unknownEventType,
        message: 'unknown event type "TaskExploded"',
        eventType: 'TaskExploded',
        location: where,
      },
    });
  });

  it('names an unknown version', () => {
    const parsed = parseTaskEvent({ ...(json(submitted('t1')) as object), version: 2 }, where);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.anomaly.kind).toBe(TaskAnomalies.unknownEventVersion);
      expect(parsed.anomaly.message).toContain('unknown version 2');
    }
  });

  it('names every malformed data field by its path', () => {
    const raw = json(failed(ref('t1'), true)) as { data: Record<string, unknown> };
    raw.data.attempt = 0;
    raw.data.error = { message: 42 };
    const parsed = parseTaskEvent(raw, where);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.anomaly.kind).toBe(TaskAnomalies.malformedEvent);
      expect(parsed.anomaly.message).toMatch(/^TaskFailed: data\.attempt: .*; data\.error\.message: /);
      expect(parsed.anomaly.location).toEqual(where);
    }
  });

  it('names a malformed meta field', () => {
    const raw = { ...(json(submitted('t1')) as object), meta: { node: 'n1', incarnation: 1 } };
    const parsed = parseTaskEvent(raw, where);
    expect(!parsed.ok && parsed.anomaly.message).toContain('meta.at');
  });

  it('refuses what is not an event at all', () => {
    for (const raw of [null, 'TaskSubmitted', [], { type: 7 }]) {
      const parsed = parseTaskEvent(raw, where);
      expect(!parsed.ok && parsed.anomaly.kind).toBe(TaskAnomalies.malformedEvent);
    }
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        expect(parseTaskEvent(raw, where).ok).toBe(false);
      }),
    );
  });

  it('never throws on a known type, any version, with arbitrary data and meta', () => {
    const types = Object.keys(TaskEventStreams);
    const records = fc.record({
      type: fc.constantFrom(...types),
      version: fc.oneof(fc.constant(1), fc.jsonValue()),
      data: fc.oneof(
        fc.jsonValue(),
        fc.dictionary(fc.constantFrom('taskId', 'attempt', 'epoch', 'node'), fc.jsonValue()),
      ),
      meta: fc.oneof(fc.jsonValue(), fc.constant({ node: 'n1', incarnation: 1, at: 0 })),
    });
    fc.assert(
      fc.property(records, (raw) => {
        const parsed = parseTaskEvent(raw, where);
        if (!parsed.ok) expect(parsed.anomaly.location).toEqual(where);
      }),
    );
  });
});
