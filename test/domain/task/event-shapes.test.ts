/**
 * The hand-written fast path of the parser says what the zod schemas say: whatever it accepts, zod
 * accepts too and gives back equal data and meta; anything it is unsure of it leaves to zod.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedShape } from '../../../src/domain/task/event-shapes.ts';
import { isTaskEventType, parseTaskEvent, type TaskEventType } from '../../../src/domain/task/index.ts';
import { EventMetaSchema, TaskEventDataSchemas } from '../../../src/domain/task/schemas.ts';
import { historyArb } from './arbitraries.ts';

const runs = { numRuns: 500 };

/** zod's answer for one event: its data and meta, or undefined when it refuses either. */
function zodParse(type: TaskEventType, data: unknown, meta: unknown) {
  const d = TaskEventDataSchemas[type].safeParse(data);
  const m = EventMetaSchema.safeParse(meta);
  return d.success && m.success ? { data: d.data, meta: m.data } : undefined;
}

/** A value in place of a field: plausible ones, out-of-bounds ones, and anything at all. */
const fieldValue = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'n1', true, null),
  fc.constant(undefined),
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.double(),
  fc.anything(),
);

const mutatedEvent = fc
  .tuple(
    historyArb(8),
    fc.nat(),
    fc.constantFrom('data', 'meta', 'nested', 'extra', 'none'),
    fc.string({ maxLength: 12 }),
    fieldValue,
  )
  .filter(([events]) => events.length > 0)
  .map(([events, pick, where, key, value]) => {
    const event = structuredClone(events[pick % events.length]!);
    const data = event.data as unknown as Record<string, unknown>;
    const meta = event.meta as unknown as Record<string, unknown>;
    const keys = Object.keys(data);
    const target = keys[pick % Math.max(1, keys.length)] ?? 'taskId';
    if (where === 'data') data[target] = value;
    if (where === 'meta') meta[['node', 'incarnation', 'epoch', 'at', 'causationId'][pick % 5]!] = value;
    if (where === 'nested') {
      const nested = data.backoff ?? data.error ?? data.payload;
      if (typeof nested === 'object' && nested !== null) (nested as Record<string, unknown>)[key] = value;
      else data[key] = value;
    }
    if (where === 'extra') data[key] = value;
    return event;
  });

describe('the fast path of the task event parser', () => {
  it('accepts only what zod accepts, and gives back the same data and meta', () => {
    fc.assert(
      fc.property(mutatedEvent, (event) => {
        const fast = checkedShape(event.type, event.data, event.meta);
        if (fast !== undefined) expect(fast).toStrictEqual(zodParse(event.type, event.data, event.meta));
      }),
      runs,
    );
  });

  it('takes the events the domain itself writes, exactly as zod reads them', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const event of events) {
          const round = JSON.parse(JSON.stringify(event)) as typeof event;
          const fast = checkedShape(round.type, round.data, round.meta);
          expect(fast).toBeDefined();
          expect(fast).toStrictEqual(zodParse(round.type, round.data, round.meta));
        }
      }),
      runs,
    );
  });

  it('never accepts arbitrary values as data or meta that zod refuses', () => {
    const types = Object.keys(TaskEventDataSchemas).filter(isTaskEventType);
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.anything(), fc.anything(), (type, data, meta) => {
        const fast = checkedShape(type, data, meta);
        if (fast !== undefined) expect(fast).toStrictEqual(zodParse(type, data, meta));
      }),
      runs,
    );
  });

  it('leaves a record with an unknown key to zod, which still reads it (and drops the key)', () => {
    const raw = {
      type: 'TaskRetired',
      version: 1,
      data: { taskId: 't1', epoch: 1, extra: true },
      meta: { node: 'n1', incarnation: 1, at: 5 },
    };
    expect(checkedShape('TaskRetired', raw.data, raw.meta)).toBeUndefined();
    const parsed = parseTaskEvent(raw, {});
    expect(parsed.ok && parsed.event.data).toEqual({ taskId: 't1', epoch: 1 });
  });
  it('leaves JSON fields holding an own "__proto__" key (as JSON.parse makes it) to zod', () => {
    const meta = { node: 'n1', incarnation: 1, at: 5 };
    const cases: [TaskEventType, string][] = [
      [
        'TaskSubmitted',
        '{"taskId":"t1","type":"x","payload":{"a":{"__proto__":null}},"maxAttempts":3,"backoff":{"initialMs":1000,"multiplier":2,"maxMs":300000}}',
      ],
      [
        'TaskSucceeded',
        '{"taskId":"t1","attempt":1,"epoch":1,"node":"n1","incarnation":1,"result":{"__proto__":1}}',
      ],
    ];
    for (const [type, json] of cases) {
      const data = JSON.parse(json) as unknown;
      expect(checkedShape(type, data, meta)).toBeUndefined();
      const parsed = parseTaskEvent({ type, version: 1, data, meta }, {});
      expect(parsed.ok && parsed.event.data).toStrictEqual(zodParse(type, data, meta)?.data);
    }
  });

  it('gives back meta, and data without nested fields, with keys in zod’s order, copied or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedEvent,
          historyArb(8).map((events) => events[0]),
        ),
        (event) => {
          if (event === undefined) return;
          const fast = checkedShape(event.type, event.data, event.meta);
          const zod = zodParse(event.type, event.data, event.meta);
          if (fast === undefined || zod === undefined) return;
          // Shapes with nested or JSON fields list those after the plain ones (as before): not held here.
          if (!['TaskSubmitted', 'TaskSucceeded', 'TaskFailed'].includes(event.type))
            expect(JSON.stringify(fast.data)).toBe(JSON.stringify(zod.data));
          expect(JSON.stringify(fast.meta)).toBe(JSON.stringify(zod.meta));
        },
      ),
      runs,
    );
  });

  it('takes a record already in the schema’s key order as it is, and copies one in another order', () => {
    const meta = { node: 'n1', incarnation: 1, epoch: 2, at: 5 };
    const inOrder = { taskId: 't1', attempt: 1, epoch: 2, node: 'n1', incarnation: 1 };
    const fast = checkedShape('TaskStarted', inOrder, meta);
    expect(fast?.data).toBe(inOrder);
    expect(fast?.meta).toBe(meta);

    const reordered = { attempt: 1, taskId: 't1', epoch: 2, node: 'n1', incarnation: 1 };
    const copied = checkedShape('TaskStarted', reordered, { at: 5, node: 'n1', incarnation: 1 });
    expect(copied?.data).not.toBe(reordered);
    expect(Object.keys(copied?.data ?? {})).toEqual(['taskId', 'attempt', 'epoch', 'node', 'incarnation']);
    expect(Object.keys(copied?.meta ?? {})).toEqual(['node', 'incarnation', 'at']);
  });
});
