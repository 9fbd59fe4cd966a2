/**
 * Prometheus metrics of one node, on a registry of its own (never prom-client's global one, so two
 * nodes in one test process, or two tests, never share a counter).
 *
 * Two kinds of input:
 * - counters and histograms the daemon feeds as things happen: `assignments.inc()`,
 *   `failovers.inc()`, `suspicions.inc()`, `teardowns.inc({ trigger })`, `observeAppend(seconds)`,
 *   and `observeRequest(...)` (the HTTP API does that one);
 * - gauges read at scrape time from the node's own view (`readClusterFrom(() => service.cluster())`):
 *   tasks by state, session state, leadership, epoch, VIP, degraded. Reading at scrape time means a
 *   gauge can never be left stale by a code path that forgot to update it.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterView } from '../streams/task-service.ts';

/** The session statuses of the node domain; the session gauge has one series per status. */
const SESSION_STATES = ['idle', 'connecting', 'connected', 'suspended', 'lost', 'closed'] as const;

/** From half a millisecond (a local file append) to several seconds (a struggling ZooKeeper). */
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsOptions {
  /** Adds prom-client's process and Node.js metrics (event-loop lag, heap, GC). Default true. */
  readonly processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** TaskAssigned events this node appended as leader. */
  readonly assignments: Counter;
  /** Times this node took over leadership from another leader (a new epoch after someone else's). */
  readonly failovers: Counter;
  /** Local session suspicions: the connection stayed down past the suspicion timer. */
  readonly suspicions: Counter;
  /** Teardowns started, by trigger (signal, session-lost, fatal, api). */
  readonly teardowns: Counter<'trigger'>;
  /** Records how long one task-log append took. */
  observeAppend(seconds: number): void;
  /** Records one HTTP request; `route` is the route pattern ("/v1/tasks/:id"), never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Sets where scrape-time gauges come from; until then labelled ones have no series, the others read 0. */
  readClusterFrom(source: () => ClusterView): void;
  /** The exposition text for GET /metrics. */
  text(): Promise<string>;
  readonly contentType: string;
}

/** Creates every metric of one node on a fresh registry. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  let source: (() => ClusterView) | undefined;
  // One read per scrape, shared by every gauge: prom-client calls all collect callbacks in one
  // synchronous pass, so the read is forgotten at the next microtask.
  let scrape: { view: ClusterView | undefined } | undefined;
  const view = (): ClusterView | undefined => {
    if (scrape === undefined) {
      scrape = { view: undefined };
      queueMicrotask(() => {
        scrape = undefined;
      });
      try {
        scrape.view = source?.();
      } catch {
        // A failing view must not fail the scrape: the gauges go without series this time.
      }
    }
    return scrape.view;
  };

  new Gauge({
    name: 'taskd_tasks',
    help: 'Live tasks in this node\'s fold of the task log, by state ("retired": finished and compacted)',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const tasks = view()?.tasks;
      if (tasks === undefined) return;
      for (const [state, count] of Object.entries(tasks)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'taskd_session_state',
    help: '1 for the current ZooKeeper session state of this node, 0 for the others',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const current = view()?.session;
      if (current === undefined) return;
      for (const state of SESSION_STATES) this.set({ state }, state === current ? 1 : 0);
      if (!(SESSION_STATES as readonly string[]).includes(current)) this.set({ state: current }, 1);
    },
  });
  clusterGauge(registers, 'taskd_leader', '1 when this node is the leader', view, (v) =>
    v.leader === v.node ? 1 : 0,
  );
  clusterGauge(registers, 'taskd_epoch', 'The leadership epoch this node knows', view, (v) => v.epoch ?? 0);
  clusterGauge(registers, 'taskd_vip_held', '1 when this node holds the virtual IP', view, (v) =>
    v.vipHolder === v.node ? 1 : 0,
  );
  clusterGauge(
    registers,
    'taskd_degraded',
    '1 when the cluster is degraded (reasons: GET /v1/cluster)',
    view,
    (v) => (v.degraded.length > 0 ? 1 : 0),
  );

  const append = new Histogram({
    name: 'taskd_log_append_duration_seconds',
    help: 'Time to append one batch of events to the task log',
    buckets: APPEND_BUCKETS,
    registers,
  });
  const requests = new Counter({
    name: 'taskd_http_requests_total',
    help: 'HTTP API requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'taskd_http_request_duration_seconds',
    help: 'HTTP API request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    assignments: new Counter({
      name: 'taskd_task_assignments_total',
      help: 'Tasks assigned by this node as leader',
      registers,
    }),
    failovers: new Counter({
      name: 'taskd_failovers_total',
      help: 'Leadership takeovers by this node',
      registers,
    }),
    suspicions: new Counter({
      name: 'taskd_session_suspicions_total',
      help: 'Local session suspicions',
      registers,
    }),
    teardowns: new Counter({
      name: 'taskd_teardowns_total',
      help: 'Teardowns started, by trigger',
      labelNames: ['trigger'],
      registers,
    }),
    observeAppend: (seconds) => append.observe(seconds),
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      requestDuration.observe({ method, route }, seconds);
    },
    readClusterFrom(next) {
      source = next;
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

function clusterGauge(
  registers: Registry[],
  name: string,
  help: string,
  view: () => ClusterView | undefined,
  value: (view: ClusterView) => number,
): void {
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.reset();
      const current = view();
      if (current !== undefined) this.set(value(current));
    },
  });
}
