import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { apiFixture } from './api-fixture.ts';

const fixture = apiFixture();
afterAll(() => fixture.app.close());

/** Bodies near the submission schema: some valid, most wrong in one or more fields. */
const submissionLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('noop', 'sleep', '', ' '), fc.string(), fc.integer()),
    payload: fc.jsonValue({ maxDepth: 3 }),
    idempotencyKey: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)),
    maxAttempts: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double(), fc.string()),
    timeoutMs: fc.oneof(fc.integer(), fc.constant('1s')),
    retentionMs: fc.integer(),
    backoff: fc.oneof(
      fc.record(
        { initialMs: fc.integer(), multiplier: fc.double(), maxMs: fc.integer() },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    reason: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  // Bodies that are right for some route (a no-op task; a drain's empty body), so that every run
  // reaches the accepting side too, not only by the luck of the generators above.
  fc.constantFrom({ type: 'noop' }, { type: 'sleep', payload: { ms: 1 } }, {}, null),
  submissionLike,
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ tasks: fc.oneof(fc.array(submissionLike, { maxLength: 7 }), fc.jsonValue({ maxDepth: 2 })) }),
);

const taskId = fc.oneof(fc.constantFrom('task-1', 'task-2', 'nope'), fc.string({ minLength: 1 }));
const route = fc.oneof(
  fc.constant({ method: 'POST' as const, url: '/v1/tasks' }),
  fc.constant({ method: 'POST' as const, url: '/v1/tasks:batch' }),
  taskId.map((id) => ({ method: 'POST' as const, url: `/v1/tasks/${encodeURIComponent(id)}/cancel` })),
  fc
    .constantFrom('node-a', 'node-b', 'node-z')
    .chain((node) =>
      fc
        .constantFrom('POST' as const, 'DELETE' as const)
        .map((method) => ({ method, url: `/v1/nodes/${node}/drain` })),
    ),
);

/** Either JSON (most of the time) or raw text that is often not JSON at all. */
const encoded = fc.oneof(
  { weight: 4, arbitrary: body.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string() },
);

function expectClientAnswer(status: number, json: () => { errors?: { field: unknown }[] }): void {
  expect(status).toBeLessThan(500);
  if (status < 400) return;
  const { errors } = json();
  expect(errors?.length).toBeGreaterThan(0);
  for (const error of errors ?? []) expect(typeof error.field).toBe('string');
}

describe('for any request a client can send', () => {
  it('a mutation answers 2xx, or 4xx naming the field at fault with nothing appended', async () => {
    const classes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(route, encoded, async (target, payload) => {
        const before = fixture.service.appended.length;
        const res = await fixture.app.inject({
          ...target,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectClientAnswer(res.statusCode, () => res.json());
        if (res.statusCode >= 400) expect(fixture.service.appended.length).toBe(before);
        expect(fixture.service.invalidAppends).toEqual([]);
        classes.add(Math.floor(res.statusCode / 100));
      }),
      { numRuns: 400 },
    );
    // The generators reach both sides: some requests succeed, some are refused.
    expect([...classes].sort()).toEqual([2, 4]);
  });

  it('a list query answers 200, or 400 naming the parameter', async () => {
    const parameter = fc.oneof(fc.constantFrom('state', 'node', 'limit'), fc.string({ maxLength: 6 }));
    const value = fc.oneof(
      fc.constantFrom('pending', 'running', 'succeeded', '10', '0', '-1', '1e3', ''),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(parameter, value), { maxLength: 4 }),
        fc.string(),
        async (pairs, raw) => {
          const built = await fixture.app.inject({
            method: 'GET',
            url: `/v1/tasks?${new URLSearchParams(pairs)}`,
          });
          expectClientAnswer(built.statusCode, () => built.json());
          if (built.statusCode === 400) {
            const named = built.json().errors.map((e: { field: string }) => e.field);
            for (const field of named) expect(pairs.map(([p]) => p)).toContain(field);
          }
          const rawQuery = await fixture.app.inject({ method: 'GET', url: `/v1/tasks?${raw}` });
          expectClientAnswer(rawQuery.statusCode, () => rawQuery.json());
        },
      ),
      { numRuns: 300 },
    );
  });
});
