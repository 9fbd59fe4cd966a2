import { describe, expect, it } from 'vitest';
import { bearerTokenOf, tokenMatches } from '../../../src/infra/api/bearer-token.ts';
import { apiFixture, TOKEN } from './api-fixture.ts';

describe('tokenMatches', () => {
  it('is true only for the same token', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokenMatches(TOKEN, '')).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN.toUpperCase())).toBe(false);
  });

  it('compares tokens of any lengths without throwing (timingSafeEqual sees equal-length digests)', () => {
    expect(() => tokenMatches(TOKEN, 'x'.repeat(10_000))).not.toThrow();
    expect(tokenMatches('é'.repeat(20), 'é'.repeat(20))).toBe(true);
  });
});

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header, and nothing else', () => {
    expect(bearerTokenOf(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerTokenOf(`bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerTokenOf(`Basic ${TOKEN}`)).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });
});

describe('when a token is configured', () => {
  const mutations = [
    { method: 'POST', url: '/v1/tasks', payload: { type: 'noop' } },
    { method: 'POST', url: '/v1/tasks:batch', payload: { tasks: [{ type: 'noop' }] } },
    { method: 'POST', url: '/v1/tasks/task-1/cancel' },
    { method: 'POST', url: '/v1/nodes/node-b/drain' },
    { method: 'DELETE', url: '/v1/nodes/node-b/drain' },
  ] as const;

  it.each(mutations)('refuses $method $url without the token: 401, nothing appended', async (request) => {
    const { app, service } = apiFixture({ token: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const res = await app.inject({ ...request, headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toMatchObject({ error: 'unauthorized', errors: [{ field: 'authorization' }] });
    }
    expect(service.appended).toHaveLength(0);
    expect(service.members.every((m) => !m.draining)).toBe(true);
    await app.close();
  });

  it('accepts a mutation with the right token', async () => {
    const { app } = apiFixture({ token: TOKEN });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { type: 'noop' },
    });
    expect(res.statusCode).toBe(201);
    await app.close();
  });

  it('keeps reads open', async () => {
    const { app } = apiFixture({ token: TOKEN });
    for (const url of ['/v1/tasks', '/v1/cluster', '/healthz', '/readyz', '/metrics']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
    await app.close();
  });

  it('never writes the token to the log, even with a serializer that logs every header', async () => {
    const { app, logText } = apiFixture({ token: TOKEN });
    await app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { type: 'noop' },
    });
    await app.inject({ method: 'POST', url: '/v1/tasks', headers: { authorization: `Bearer ${TOKEN}x` } });
    await app.inject({ method: 'GET', url: '/v1/tasks', headers: { authorization: `Bearer ${TOKEN}` } });
    const log = logText();
    // The request log lines are there and carry headers, with the authorization censored.
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).not.toContain(TOKEN);
    await app.close();
  });
});

describe('when no token is configured', () => {
  it('accepts mutations without an Authorization header', async () => {
    const { app } = apiFixture();
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop' } });
    expect(res.statusCode).toBe(201);
    await app.close();
  });
});
