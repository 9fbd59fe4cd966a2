import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, TaskdError } from '../../../src/errors.ts';
import { apiFixture } from './api-fixture.ts';

let fixture = apiFixture();
afterEach(async () => {
  await fixture.app.close();
  fixture = apiFixture();
});

describe('when the body is malformed', () => {
  it('answers 400 for JSON that does not parse, and appends nothing', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"type": "noop",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', errors: [{ field: '' }] });
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('answers 400 for a __proto__ key (prototype poisoning), never 500', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"type":"noop","__proto__":{"admin":true}}',
    });
    expect(res.statusCode).toBe(400);
  });

  it('answers 413 for a body over bodyLimitBytes, naming the body', async () => {
    const small = apiFixture({ bodyLimitBytes: 1024 });
    const res = await small.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { type: 'noop', payload: 'x'.repeat(2048) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large', errors: [{ field: '' }] });
    expect(small.service.appended).toHaveLength(0);
    await small.app.close();
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { 'content-type': 'application/xml' },
      payload: '<task/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toBe('unsupported_media_type');
  });
});

describe('when the route does not exist', () => {
  it('answers 404 in the JSON error shape', async () => {
    const res = await fixture.app.inject({ method: 'GET', url: '/v2/nothing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', message: 'no route GET /v2/nothing' });
  });
});

describe('when the task log is unavailable', () => {
  it('answers 503 with Retry-After and appends nothing', async () => {
    fixture.service.failNextAppend(new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'zookeeper is gone'));
    const res = await fixture.app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error).toBe('unavailable');
    expect(fixture.service.appended).toHaveLength(0);
  });

  it('answers 413 naming tasks when the log refuses a batch as too large', async () => {
    fixture.service.failNextAppend(new TaskdError(ErrorCodes.BATCH_TOO_LARGE, 'znode limit'));
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tasks:batch',
      payload: { tasks: [{ type: 'noop' }] },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().errors[0].field).toBe('tasks');
  });
});

describe('when a bug throws', () => {
  it('answers 500 saying only "internal error" and the request id, and logs the error with that id', async () => {
    vi.spyOn(fixture.service, 'get').mockImplementation(() => {
      throw new Error('secret internals: undefined is not a function');
    });
    const res = await fixture.app.inject({ method: 'GET', url: '/v1/tasks/x' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({
      error: 'internal_error',
      message: 'internal error',
      requestId: expect.any(String),
    });
    expect(res.headers['x-request-id']).toBe(body.requestId);
    expect(res.body).not.toContain('secret internals');
    const logged = fixture
      .logText()
      .split('\n')
      .filter((line) => line.includes('secret internals'))
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([expect.objectContaining({ level: 50, requestId: body.requestId })]);
  });
});
