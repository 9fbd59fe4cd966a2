import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventMetaSchema,
  NODE_EVENT_TYPES,
  type NodeEventType,
  nodeEventDataSchemas,
  parseNodeEvent,
  SHUTDOWN_TRIGGERS,
} from '../../../src/domain/node/index.ts';
import { isPlainNodeEvent, parseNodeEventBySchema } from '../../../src/domain/node/parse.ts';
import {
  dataReaders,
  isPlainData,
  isPlainMeta,
  readMeta,
  UNSURE,
} from '../../../src/domain/node/parse-fast.ts';
import { nodeEventArb, time } from './arbitraries.ts';

const runs = { numRuns: 2_000 };

/** Values that sit on the edges of the schemas' rules. */
const EDGES: readonly unknown[] = [
  undefined,
  null,
  -1,
  0,
  -0,
  0.5,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  '',
  'x',
  '\u{1F600}',
  'SIGHUP',
  'SIGhup',
  'healthy',
  'runner',
  'expired',
  'outside',
  true,
  false,
  [],
  {},
  { node: 'n1' },
];
const edgy = fc.constantFrom(...EDGES);
// A fresh copy each time: mutations must not reach into a value another run shares.
const anyValue = fc
  .oneof({ weight: 3, arbitrary: edgy }, { weight: 1, arbitrary: fc.anything() })
  .map((value) => structuredClone(value));

const config = fc.record(
  {
    node: fc.constantFrom('n1', 'n2'),
    session: fc.record({ suspicionFraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }),
    health: fc.record({ rise: fc.integer({ min: 1, max: 5 }), fall: fc.integer({ min: 1, max: 5 }) }),
    leadership: fc.record(
      { cooldownMs: fc.nat(), resignGraceMs: fc.nat() },
      { requiredKeys: ['cooldownMs'] },
    ),
    vip: fc.option(fc.record({ address: fc.string(), retryInitialMs: time, retryMaxMs: time })),
  },
  { requiredKeys: ['node', 'session', 'health', 'leadership', 'vip'] },
);

/** Well-formed events of every type, with optional fields there or not, as JSON would bring them. */
const wellFormed = fc
  .oneof(
    nodeEventArb,
    fc.record({
      type: fc.constant('ProcessStarted'),
      version: fc.constant(1),
      data: fc.record(
        { pid: fc.integer({ min: 1, max: 99_999 }), version: fc.string(), config },
        { requiredKeys: ['pid', 'version'] },
      ),
      meta: fc.record({ node: fc.constant('n1'), incarnation: fc.nat(), at: time }),
    }),
    fc.record({
      type: fc.constant('StateCheckpoint'),
      version: fc.constant(1),
      data: fc.record(
        {
          node: fc.string({ minLength: 1 }),
          tasks: fc.record({ position: fc.nat(), hash: fc.string({ minLength: 1 }) }),
        },
        { requiredKeys: ['node'] },
      ),
      meta: fc.record(
        {
          node: fc.constant('n2'),
          incarnation: fc.nat(),
          epoch: fc.nat(),
          causationId: fc.string(),
          at: time,
        },
        { requiredKeys: ['node', 'incarnation', 'at'] },
      ),
    }),
    fc.record({
      type: fc.constantFrom('ShutdownRequested', 'ShutdownIgnored'),
      version: fc.constant(1),
      data: fc.record({ trigger: fc.constantFrom(...SHUTDOWN_TRIGGERS), detail: fc.string() }),
      meta: fc.record({ node: fc.constant('n1'), incarnation: fc.nat(), epoch: fc.nat(), at: time }),
    }),
    fc.record({
      type: fc.constant('SessionSuspended'),
      version: fc.constant(1),
      data: fc.record({ suspicionMs: time, deadline: time, lastHeardAt: time }),
      meta: fc.record({ node: fc.constant('n1'), incarnation: fc.nat(), at: time }),
    }),
  )
  .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);

/** Every place in `value` a mutation can touch: a container and one of its keys. */
function places(
  value: unknown,
  into: [Record<string, unknown>, string][] = [],
  seen = new Set<unknown>(),
): typeof into {
  if (typeof value !== 'object' || value === null || seen.has(value)) return into;
  seen.add(value);
  const container = value as Record<string, unknown>;
  for (const key of Object.keys(container)) {
    into.push([container, key]);
    places(container[key], into, seen);
  }
  return into;
}

type Mutation =
  | { readonly kind: 'set'; readonly value: unknown }
  | { readonly kind: 'delete' }
  | { readonly kind: 'extra'; readonly key: string; readonly value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: anyValue }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({
    kind: fc.constant('extra' as const),
    key: fc.constantFrom('extra', 'epoch', 'constructor', 'toString', '__proto__'),
    value: anyValue,
  }),
);

/** `event` with one to three things changed somewhere in it. */
function mutatedFrom(events: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(events, fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
    .map(([event, changes]) => {
      for (const [pick, change] of changes) {
        const all = places(event);
        const [container, key] = all[pick % all.length] as [Record<string, unknown>, string];
        if (change.kind === 'set') container[key] = change.value;
        else if (change.kind === 'delete') delete container[key];
        else {
          const property = { value: change.value, enumerable: true, writable: true, configurable: true };
          Object.defineProperty(container, change.key, property);
        }
      }
      return event;
    });
}

const mutated = mutatedFrom(wellFormed);

/** Events of the types a journal is mostly made of, which isPlainData checks by hand. */
const commonEvents = nodeEventArb
  .filter((event) => ['HealthChecked', 'MembersObserved', 'LeaderObserved'].includes(event.type))
  .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);
const mutatedCommon = mutatedFrom(commonEvents);
const DELETE = Symbol('delete');

/** ProcessStarted with a config, where most of the schema's rules are. */
const mutatedConfig = mutatedFrom(
  fc
    .record({ pid: fc.integer({ min: 1, max: 9 }), version: fc.constant('v'), config })
    .map((data) => ({
      type: 'ProcessStarted',
      version: 1,
      data,
      meta: { node: 'n1', incarnation: 1, at: 0 },
    }))
    .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>),
);

/** Arbitrary values around the envelope: any data and meta under a known type. */
const arbitrary = fc.oneof(
  fc.anything(),
  fc.record({
    type: fc.constantFrom(...NODE_EVENT_TYPES),
    version: fc.oneof(fc.constant(1), anyValue),
    data: fc.oneof(
      anyValue,
      fc.dictionary(fc.constantFrom('members', 'reason', 'step', 'epoch', 'leader'), anyValue),
    ),
    meta: fc.oneof(
      anyValue,
      fc.record({ node: anyValue, incarnation: anyValue, at: anyValue }, { requiredKeys: [] }),
    ),
  }),
);

/** Key order, all the way down: what toStrictEqual does not compare. */
function keyOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) return value.map(keyOrder);
  return Object.entries(value).map(([key, inner]) => [key, keyOrder(inner)]);
}

function expectSameAsSchema(raw: unknown): void {
  const quick = parseNodeEvent(raw, { line: 7 });
  const bySchema = parseNodeEventBySchema(raw, { line: 7 });
  expect(quick).toStrictEqual(bySchema);
  expect(keyOrder(quick)).toEqual(keyOrder(bySchema));
}

/** A reader says UNSURE or exactly what the schema makes of the value; never yes to what the schema refuses. */
function expectReaderAgrees(
  read: (value: unknown) => unknown,
  schema: { safeParse(value: unknown): { success: boolean; data?: unknown } },
  value: unknown,
): void {
  const quick = read(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) expect(quick).toBe(UNSURE);
  else if (quick !== UNSURE) {
    expect(quick).toStrictEqual(parsed.data);
    expect(keyOrder(quick)).toEqual(keyOrder(parsed.data));
  }
}

function expectReadersAgree(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const { type, data, meta } = raw as Record<string, unknown>;
  expectReaderAgrees(readMeta, eventMetaSchema, meta);
  if (typeof type === 'string' && (NODE_EVENT_TYPES as readonly string[]).includes(type)) {
    const known = type as NodeEventType;
    expectReaderAgrees(dataReaders[known], nodeEventDataSchemas[known], data);
  }
}

/**
 * isPlainNodeEvent says yes exactly when the fast path reads the event (so the schemas accept it),
 * and the checks it is made of say yes exactly when their readers read.
 */
function expectChecksAgree(raw: unknown): void {
  const { type, data, meta } = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<
    string,
    unknown
  >;
  const known = typeof type === 'string' && (NODE_EVENT_TYPES as readonly string[]).includes(type);
  const fastReads =
    known && !Array.isArray(raw) && (raw as { version?: unknown }).version === 1
      ? readMeta(meta) !== UNSURE && dataReaders[type as NodeEventType](data) !== UNSURE
      : false;
  expect(isPlainNodeEvent(raw)).toBe(fastReads);
  if (isPlainNodeEvent(raw)) expect(parseNodeEventBySchema(raw, {}).ok).toBe(true);
  expect(isPlainMeta(meta)).toBe(readMeta(meta) !== UNSURE);
  if (known) {
    const reads = dataReaders[type as NodeEventType](data) !== UNSURE;
    expect(isPlainData(type as NodeEventType, data)).toBe(reads);
  }
}

describe('isPlainNodeEvent, what evolve asks of every event', () => {
  it('says yes to every well-formed event', () => {
    fc.assert(
      fc.property(wellFormed, (raw) => {
        expect(isPlainNodeEvent(raw)).toBe(true);
        expectChecksAgree(raw);
      }),
      runs,
    );
  });

  it('agrees with the fast path on mutated events, mutated configs and arbitrary values', () => {
    fc.assert(fc.property(fc.oneof(mutated, mutatedConfig, arbitrary), expectChecksAgree), runs);
  });

  it('agrees with the schemas when any one place of such an event takes an edge value or goes', () => {
    const samples = fc.sample(commonEvents, { numRuns: 40, seed: 42 });
    for (const sample of samples) {
      for (let at = 0; at < places(sample).length; at++) {
        for (const value of [...EDGES, DELETE]) {
          const raw = structuredClone(sample);
          const [container, key] = places(raw)[at] as [Record<string, unknown>, string];
          if (value === DELETE) delete container[key];
          else container[key] = structuredClone(value);
          expectChecksAgree(raw);
          expectSameAsSchema(raw);
        }
      }
    }
  });

  it('agrees with the schemas on mutated events of the types it checks by hand', () => {
    fc.assert(
      fc.property(mutatedCommon, (raw) => {
        expectChecksAgree(raw);
        expectSameAsSchema(raw);
        expectReadersAgree(raw);
      }),
      runs,
    );
  });
});

describe('the fast path of parseNodeEvent', () => {
  it('reads every well-formed event without asking the schemas, as the schemas would', () => {
    fc.assert(
      fc.property(wellFormed, (raw) => {
        expect(readMeta(raw.meta)).not.toBe(UNSURE);
        expect(dataReaders[raw.type as NodeEventType](raw.data)).not.toBe(UNSURE);
        expectSameAsSchema(raw);
      }),
      runs,
    );
  });

  it('agrees with the schemas on mutated well-formed events: same event, or same anomaly and message', () => {
    fc.assert(
      fc.property(mutated, (raw) => {
        expectSameAsSchema(raw);
        expectReadersAgree(raw);
      }),
      runs,
    );
  });

  it('agrees with the schemas on mutated node configs', () => {
    fc.assert(
      fc.property(mutatedConfig, (raw) => {
        expectSameAsSchema(raw);
        expectReadersAgree(raw);
      }),
      runs,
    );
  });

  it('agrees with the schemas on arbitrary values', () => {
    fc.assert(
      fc.property(arbitrary, (raw) => {
        expectSameAsSchema(raw);
        expectReadersAgree(raw);
      }),
      runs,
    );
  });

  it('fills in a default and keeps a present-but-undefined optional key as the schema does', () => {
    const raw = {
      type: 'ProcessStarted',
      version: 1,
      data: {
        pid: 1,
        version: 'v',
        extra: true,
        config: {
          node: 'n1',
          session: { suspicionFraction: 0.5 },
          health: { rise: 1, fall: 1 },
          leadership: { cooldownMs: 0 },
          vip: null,
        },
      },
      meta: { node: 'n1', incarnation: 0, epoch: undefined, at: 0 },
    };
    expectSameAsSchema(raw);
    expect(parseNodeEvent(raw, {})).toMatchObject({
      ok: true,
      event: { data: { config: { leadership: { resignGraceMs: 0 } } } },
    });
  });
});
