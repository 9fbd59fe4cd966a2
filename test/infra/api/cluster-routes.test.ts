import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, TaskdError } from '../../../src/errors.ts';
import { apiFixture } from './api-fixture.ts';

let fixture = apiFixture();
afterEach(async () => {
  await fixture.app.close();
  fixture = apiFixture();
});

describe('GET /v1/cluster', () => {
  it('returns the cluster view: leader, epoch, VIP, degraded, members with their running counts', async () => {
    await fixture.app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop' } });
    fixture.service.run('task-1', 'node-b');
    fixture.service.degraded = ['vip: interface eth9 not found'];
    const res = await fixture.app.inject({ method: 'GET', url: '/v1/cluster' });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      leader: 'node-a',
      epoch: 1,
      vipHolder: 'node-a',
      degraded: ['vip: interface eth9 not found'],
      tasks: { running: 1 },
    });
    expect(view.members).toEqual([
      expect.objectContaining({
        node: 'node-a',
        running: 0,
        draining: false,
        health: 'healthy',
        capacity: 4,
      }),
      expect.objectContaining({ node: 'node-b', running: 1 }),
    ]);
  });
});

describe('drain requests', () => {
  it('POST marks a node draining and DELETE clears it', async () => {
    const drain = await fixture.app.inject({ method: 'POST', url: '/v1/nodes/node-b/drain' });
    expect(drain.statusCode).toBe(200);
    expect(drain.json()).toEqual({ node: 'node-b', draining: true });
    expect(fixture.service.members.find((m) => m.node === 'node-b')?.draining).toBe(true);
    const undrain = await fixture.app.inject({ method: 'DELETE', url: '/v1/nodes/node-b/drain' });
    expect(undrain.json()).toEqual({ node: 'node-b', draining: false });
    expect(fixture.service.members.find((m) => m.node === 'node-b')?.draining).toBe(false);
  });

  it('answers 404 naming id for an unknown node', async () => {
    const res = await fixture.app.inject({ method: 'POST', url: '/v1/nodes/node-z/drain' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].field).toBe('id');
  });

  it('answers 404 when the member vanishes between the view and the write', async () => {
    vi.spyOn(fixture.service, 'setDraining').mockRejectedValue(
      new TaskdError(ErrorCodes.ZK_NO_NODE, 'no node /taskd/members/node-b'),
    );
    const res = await fixture.app.inject({ method: 'POST', url: '/v1/nodes/node-b/drain' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a body with fields with 400 naming them', async () => {
    const res = await fixture.app.inject({
      method: 'POST',
      url: '/v1/nodes/node-b/drain',
      payload: { force: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('force');
  });
});

describe('probes', () => {
  it('GET /healthz is 200 while live and 503 otherwise', async () => {
    expect((await fixture.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    fixture.service.liveness = false;
    expect((await fixture.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
  });

  it('GET /readyz is 200 when ready and 503 with the reasons otherwise', async () => {
    expect((await fixture.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      ready: true,
      reasons: [],
    });
    fixture.service.readiness = { ready: false, reasons: ['session connecting', 'task log catching up'] };
    const res = await fixture.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ ready: false, reasons: ['session connecting', 'task log catching up'] });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with task counts and per-route request metrics', async () => {
    fixture.metrics.readClusterFrom(() => fixture.service.cluster());
    await fixture.app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop' } });
    await fixture.app.inject({ method: 'GET', url: '/v1/tasks/task-1' });
    await fixture.app.inject({ method: 'GET', url: '/v1/tasks/nope' });
    await fixture.app.inject({ method: 'GET', url: '/no/such/route' });
    const res = await fixture.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('taskd_tasks{state="pending"} 1');
    expect(res.body).toContain('taskd_http_requests_total{method="POST",route="/v1/tasks",status="201"} 1');
    expect(res.body).toContain(
      'taskd_http_requests_total{method="GET",route="/v1/tasks/:id",status="200"} 1',
    );
    expect(res.body).toContain(
      'taskd_http_requests_total{method="GET",route="/v1/tasks/:id",status="404"} 1',
    );
    // Unknown routes share one series: raw URLs never become label values.
    expect(res.body).toContain('taskd_http_requests_total{method="GET",route="unmatched",status="404"} 1');
  });
});
