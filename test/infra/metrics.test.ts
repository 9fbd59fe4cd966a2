import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/infra/metrics.ts';
import { FakeTaskService } from '../support/fake-task-service.ts';

describe('metrics', () => {
  it('keeps each node on its own registry', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.assignments.inc();
    expect(await a.text()).toContain('taskd_task_assignments_total 1');
    expect(await b.text()).toContain('taskd_task_assignments_total 0');
  });

  it('reads tasks by state, session, leadership and degraded from the cluster view at scrape time', async () => {
    const service = new FakeTaskService();
    const metrics = createMetrics({ processMetrics: false });
    metrics.readClusterFrom(() => service.cluster());
    await service.submit({ type: 'noop' });
    await service.submit({ type: 'noop' });
    service.run('task-1');
    let text = await metrics.text();
    expect(text).toContain('taskd_tasks{state="pending"} 1');
    expect(text).toContain('taskd_tasks{state="running"} 1');
    expect(text).toContain('taskd_session_state{state="connected"} 1');
    expect(text).toContain('taskd_session_state{state="suspended"} 0');
    expect(text).toContain('taskd_leader 1');
    expect(text).toContain('taskd_epoch 1');
    expect(text).toContain('taskd_vip_held 1');
    expect(text).toContain('taskd_degraded 0');
    service.succeed('task-1');
    service.degraded = ['no healthy VIP candidate'];
    text = await metrics.text();
    expect(text).toContain('taskd_tasks{state="running"} 0');
    expect(text).toContain('taskd_tasks{state="succeeded"} 1');
    expect(text).toContain('taskd_degraded 1');
  });

  it('still answers a scrape when the cluster view throws', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.readClusterFrom(() => {
      throw new Error('not started');
    });
    const text = await metrics.text();
    expect(text).toContain('# TYPE taskd_tasks gauge');
    expect(text).not.toContain('taskd_tasks{');
  });

  it('counts what the daemon reports: assignments, failovers, suspicions, teardowns, append latency', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.assignments.inc(3);
    metrics.failovers.inc();
    metrics.suspicions.inc();
    metrics.teardowns.inc({ trigger: 'signal' });
    metrics.observeAppend(0.003);
    metrics.observeRequest('GET', '/v1/tasks', 200, 0.002);
    const text = await metrics.text();
    expect(text).toContain('taskd_task_assignments_total 3');
    expect(text).toContain('taskd_failovers_total 1');
    expect(text).toContain('taskd_session_suspicions_total 1');
    expect(text).toContain('taskd_teardowns_total{trigger="signal"} 1');
    expect(text).toContain('taskd_log_append_duration_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('taskd_log_append_duration_seconds_count 1');
    expect(text).toContain('taskd_http_requests_total{method="GET",route="/v1/tasks",status="200"} 1');
    expect(text).toContain('taskd_http_request_duration_seconds_count{method="GET",route="/v1/tasks"} 1');
  });

  it('includes the event-loop lag with the process metrics', async () => {
    const metrics = createMetrics();
    expect(await metrics.text()).toContain('nodejs_eventloop_lag_seconds');
  });
});
