import { afterEach, describe, expect, it } from 'vitest';
import { apiFixture } from './api-fixture.ts';

let fixture = apiFixture();
afterEach(async () => {
  await fixture.app.close();
  fixture = apiFixture();
});

const submit = (payload: unknown) =>
  fixture.app.inject({ method: 'POST', url: '/v1/tasks', payload: payload as object });

describe('POST /v1/tasks', () => {
  it('creates a pending task: 201, the task, created: true and its location', async () => {
    const res = await submit({ type: 'sleep', payload: { ms: 5 }, maxAttempts: 2 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(true);
    expect(body.task).toMatchObject({ status: 'pending', type: 'sleep', payload: { ms: 5 }, maxAttempts: 2 });
    expect(res.headers.location).toBe(`/v1/tasks/${body.task.taskId}`);
    expect(fixture.service.appended).toHaveLength(1);
  });

  it('answers a repeated idempotency key with 200, created: false and the first task, appending nothing new', async () => {
    const first = (await submit({ type: 'noop', idempotencyKey: 'k1' })).json();
    const again = await submit({ type: 'noop', idempotencyKey: 'k1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ created: false, task: first.task });
    expect(fixture.service.appended).toHaveLength(1);
  });

  it('refuses a bad body with 400 naming each field at fault, and appends nothing', async () => {
    const res = await submit({ type: '', maxAttempts: 0, backoff: { initialMs: 10, maxMs: 5 }, extra: 1 });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('invalid_request');
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['type', 'maxAttempts', 'backoff.maxMs', 'extra']));
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('refuses a payload over the domain limit with 400 naming payload', async () => {
    const res = await submit({ type: 'noop', payload: 'x'.repeat(70 * 1024) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'payload' })]);
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('refuses a body that is not an object with 400 naming the body ("")', async () => {
    const res = await submit([1, 2]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('');
  });
});

describe('POST /v1/tasks:batch', () => {
  it('creates every task: 201 with one result per item, in order', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks:batch',
      payload: {
        tasks: [{ type: 'a' }, { type: 'b', idempotencyKey: 'k' }, { type: 'c', idempotencyKey: 'k' }],
      },
    });
    expect(res.statusCode).toBe(201);
    const results = res.json().results;
    expect(results.map((r: { task: { type: string } }) => r.task.type)).toEqual(['a', 'b', 'b']);
    expect(results.map((r: { created: boolean }) => r.created)).toEqual([true, true, false]);
  });

  it('answers 200 when every item matched an earlier idempotency key', async () => {
    await submit({ type: 'a', idempotencyKey: 'k' });
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks:batch',
      payload: { tasks: [{ type: 'a', idempotencyKey: 'k' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0].created).toBe(false);
  });

  it('validates all or nothing: one bad item is a 400 naming tasks.<i>.<field>, and nothing is appended', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks:batch',
      payload: { tasks: [{ type: 'a' }, { type: 'b', maxAttempts: -1 }, { type: 'c', nope: true }] },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['tasks.1.maxAttempts', 'tasks.2.nope']);
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('refuses more than batchLimit tasks with 413 naming tasks', async () => {
    const tasks = Array.from({ length: 6 }, () => ({ type: 'noop' }));
    const res = await fixture.app.inject({ method: 'POST', url: '/v1/tasks:batch', payload: { tasks } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large', errors: [{ field: 'tasks' }] });
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('refuses an envelope without a non-empty tasks array with 400 naming tasks', async () => {
    for (const payload of [{}, { tasks: [] }, { tasks: 'x' }]) {
      const res = await fixture.app.inject({ method: 'POST', url: '/v1/tasks:batch', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('tasks');
    }
  });
});

describe('GET /v1/tasks/:id', () => {
  it('returns the task', async () => {
    const { task } = (await submit({ type: 'noop' })).json();
    const res = await fixture.app.inject({ method: 'GET', url: `/v1/tasks/${task.taskId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ task });
  });

  it('answers 404 naming id for an unknown task', async () => {
    const res = await fixture.app.inject({ method: 'GET', url: '/v1/tasks/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', errors: [{ field: 'id' }] });
  });
});

describe('GET /v1/tasks', () => {
  it('lists tasks oldest first, filtered by state and node, at most limit', async () => {
    for (const type of ['a', 'b', 'c']) await submit({ type });
    fixture.service.run('task-2', 'node-b');
    const all = (await fixture.app.inject({ method: 'GET', url: '/v1/tasks' })).json();
    expect(all.tasks.map((t: { type: string }) => t.type)).toEqual(['a', 'b', 'c']);
    const pending = (
      await fixture.app.inject({ method: 'GET', url: '/v1/tasks?state=pending&limit=1' })
    ).json();
    expect(pending.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['task-1']);
    const onB = (await fixture.app.inject({ method: 'GET', url: '/v1/tasks?node=node-b' })).json();
    expect(onB.tasks.map((t: { taskId: string; status: string }) => [t.taskId, t.status])).toEqual([
      ['task-2', 'running'],
    ]);
  });

  it.each([
    ['state=bogus', 'state'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1001', 'limit'],
    ['node=', 'node'],
    ['state=pending&state=running', 'state'],
    ['status=pending', 'status'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const res = await fixture.app.inject({ method: 'GET', url: `/v1/tasks?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('POST /v1/tasks/:id/cancel', () => {
  it('requests a cancellation: 202 with the task marked, reason kept', async () => {
    const { task } = (await submit({ type: 'noop' })).json();
    const res = await fixture.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.taskId}/cancel`,
      payload: { reason: 'not needed' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().task.cancelRequest).toMatchObject({ reason: 'not needed' });
  });

  it('accepts no body and an empty JSON body', async () => {
    const { task } = (await submit({ type: 'noop' })).json();
    const none = await fixture.app.inject({ method: 'POST', url: `/v1/tasks/${task.taskId}/cancel` });
    expect(none.statusCode).toBe(202);
    const empty = await fixture.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.taskId}/cancel`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(202);
  });

  it('answers 404 for an unknown task and appends nothing', async () => {
    const res = await fixture.app.inject({ method: 'POST', url: '/v1/tasks/nope/cancel' });
    expect(res.statusCode).toBe(404);
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('answers 409 with the task for a finished one', async () => {
    const { task } = (await submit({ type: 'noop' })).json();
    fixture.service.succeed(task.taskId);
    const res = await fixture.app.inject({ method: 'POST', url: `/v1/tasks/${task.taskId}/cancel` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'already_finished', task: { status: 'succeeded' } });
  });

  it('refuses a bad reason with 400 naming reason, before anything is appended', async () => {
    const { task } = (await submit({ type: 'noop' })).json();
    const res = await fixture.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.taskId}/cancel`,
      payload: { reason: 42 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('reason');
    expect(fixture.service.appended).toHaveLength(1);
  });
});
