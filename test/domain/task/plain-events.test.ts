/**
 * The readers of the usual events say what the shapes table says: where they answer, the same data
 * and meta, with the same keys in the same order, and the very objects the table gives back as they
 * are; and they do answer for the events the domain writes, read back from JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableShape } from '../../../src/domain/task/event-shapes.ts';
import {
  decideReport,
  decideSubmission,
  initialState,
  type JsonValue,
  type TaskEvent,
  type TaskEventType,
} from '../../../src/domain/task/index.ts';
import { plainShape } from '../../../src/domain/task/plain-events.ts';
import { historyArb } from './arbitraries.ts';
import { ref, T0 } from './fixtures.ts';

const runs = { numRuns: 500 };
const PLAIN_TYPES: readonly TaskEventType[] = [
  'TaskSubmitted',
  'TaskAssigned',
  'TaskStarted',
  'TaskSucceeded',
];

/** Same answer as the table: equal, keys in the same order, the same objects where it passes one through. */
function expectSameAsTable(type: TaskEventType, data: unknown, meta: unknown): boolean {
  const plain = plainShape(type, data, meta);
  if (plain === undefined) return false;
  const table = tableShape(type, data, meta);
  expect(table).toBeDefined();
  expect(plain).toStrictEqual(table);
  expect(JSON.stringify(plain)).toBe(JSON.stringify(table));
  expect(plain.data === data).toBe(table?.data === data);
  expect(plain.meta === meta).toBe(table?.meta === meta);
  const backoff = (d: unknown) => (d as { backoff?: unknown }).backoff;
  expect(backoff(plain.data) === backoff(data)).toBe(backoff(table?.data) === backoff(data));
  return true;
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const json = fc.jsonValue().map((value) => value as JsonValue);

/** Events the domain writes of the types read by hand, as a log hands them back. */
const written = fc
  .tuple(historyArb(30), json, fc.option(json, { nil: undefined }))
  .map(([events, payload, result]) => [
    ...events.filter((event) => PLAIN_TYPES.includes(event.type)),
    ...decideSubmission(
      { type: 'noop', payload, maxAttempts: 2, backoff: { initialMs: 10, multiplier: 2, maxMs: 100 } },
      { taskId: 'a-task', now: T0, node: 'n1', incarnation: 1 },
      initialState(),
    ).events,
    decideReport(ref('a-task'), { kind: 'succeeded', ...(result === undefined ? {} : { result }) }, T0),
  ])
  .map(roundTrip);

/** A value in place of a field: plausible ones, out-of-bounds ones, and anything at all. */
const fieldValue = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 2 ** 53, Number.NaN, '', 'x', 'n1', true, null, undefined, [], {}),
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.double(),
  fc.anything(),
);

type Mutation = (target: Record<string, unknown>, key: string, value: unknown) => Record<string, unknown>;
const mutations: Record<string, Mutation> = {
  set: (target, key, value) => ({ ...target, [key]: value }),
  remove: (target, key) => {
    const { [key]: _, ...rest } = target;
    return rest;
  },
  toTheEnd: (target, key) => {
    const { [key]: moved, ...rest } = target;
    return { ...rest, [key]: moved };
  },
  nullPrototype: (target) => Object.assign(Object.create(null) as Record<string, unknown>, target),
};

/** A written event with one thing changed in its data, meta or backoff. */
const mutated = fc
  .tuple(
    written.filter((events) => events.length > 0),
    fc.nat(),
    fc.constantFrom('data', 'meta', 'backoff'),
    fc.constantFrom(...Object.keys(mutations)),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('epoch', 'causationId', 'deadline', 'result')),
    fieldValue,
  )
  .map(([events, pick, where, how, extraKey, value]) => {
    const event = events[pick % events.length] as TaskEvent;
    const data = event.data as unknown as Record<string, unknown>;
    const meta = event.meta as unknown as Record<string, unknown>;
    const target =
      where === 'meta' ? meta : where === 'backoff' && isObject(data.backoff) ? data.backoff : data;
    const keys = Object.keys(target);
    const key = pick % 3 === 0 ? extraKey : (keys[pick % Math.max(1, keys.length)] ?? extraKey);
    const changed = (mutations[how] as Mutation)(target, key, value);
    if (target === meta) return { type: event.type, data, meta: changed };
    if (target === data) return { type: event.type, data: changed, meta };
    return { type: event.type, data: { ...data, backoff: changed }, meta };
  });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

describe('the readers of the usual task events', () => {
  it('read every event the domain writes of their types, as the table does', () => {
    fc.assert(
      fc.property(written, (events) => {
        for (const event of events) expect(expectSameAsTable(event.type, event.data, event.meta)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('say what the table says, or nothing, whatever was changed in an event', () => {
    let answered = 0;
    fc.assert(
      fc.property(mutated, ({ type, data, meta }) => {
        if (expectSameAsTable(type, data, meta)) answered += 1;
      }),
      runs,
    );
    // Some changes keep an event valid (a value swapped for another good one): those must be read too.
    expect(answered).toBeGreaterThan(0);
  });

  it('say what the table says, or nothing, of arbitrary data and meta', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLAIN_TYPES), fc.anything(), fc.anything(), (type, data, meta) => {
        expectSameAsTable(type, data, meta);
      }),
      runs,
    );
  });

  it('say what the table says of every one-place change of an edge value, in data, meta and backoff', () => {
    const edges: unknown[] = [
      ...[0, -0, -1, 1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER],
      ...['', 'x', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(2_000)],
      ...[true, null, undefined, {}, [], [undefined], { a: undefined }, new Date(0), () => 1],
    ];
    const samples = fc.sample(written, { numRuns: 20, seed: 7 }).flat();
    for (const type of PLAIN_TYPES) expect(samples.some((event) => event.type === type)).toBe(true);
    for (const event of samples) {
      const data = event.data as unknown as Record<string, unknown>;
      const meta = event.meta as unknown as Record<string, unknown>;
      const backoff = isObject(data.backoff) ? data.backoff : undefined;
      const keys = (target: Record<string, unknown>, optional: string[]) => [
        ...new Set([...Object.keys(target), ...optional]),
      ];
      for (const value of edges) {
        for (const key of keys(data, ['idempotencyKey', 'timeoutMs', 'retentionMs', 'deadline', 'result']))
          expectSameAsTable(event.type, { ...data, [key]: value }, meta);
        for (const key of keys(meta, ['epoch', 'causationId']))
          expectSameAsTable(event.type, data, { ...meta, [key]: value });
        for (const key of backoff === undefined ? [] : Object.keys(backoff))
          expectSameAsTable(event.type, { ...data, backoff: { ...backoff, [key]: value } }, meta);
      }
    }
  });

  it('leave the other types to the table', () => {
    const meta = { node: 'n1', incarnation: 1, epoch: 1, at: T0 };
    expect(plainShape('TaskRetired', { taskId: 't1', epoch: 1 }, meta)).toBeUndefined();
    expect(plainShape('EpochStarted', { epoch: 1, leader: 'n1', incarnation: 1 }, meta)).toBeUndefined();
  });
});
