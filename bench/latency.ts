/**
 * Latency at a fixed offered load: single-task submissions from a paced (open-loop) sender, then
 * submit → started and submit → succeeded per task. taskd: POST /v1/tasks round-robin over 3 nodes
 * (zookeeper log); started and succeeded are the TaskStarted / TaskSucceeded meta.at read from the
 * task log afterwards, against the submit time the bench took just before each POST (one clock).
 * BullMQ: queue.add of one job at a time; started / succeeded are the job's processedOn / finishedOn.
 */
import { writeFileSync } from 'node:fs';
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import { sequenceOf } from '../src/infra/log/zookeeper/positions.ts';
import { pollUntil } from '../src/infra/zookeeper-server/poll.ts';
import { openQueue, startWorkers } from './support/bullmq.ts';
import type { Cleanup } from './support/cleanup.ts';
import { type CpuUse, cpuTotal, cpuWindow, formatCpu } from './support/cpu-time.ts';
import { formatSummary, type LatencySummary, paced, summarize } from './support/latency-stats.ts';
import type { Row, Section } from './support/report.ts';
import { finished, postJson, readTaskLog, startCluster, taskCounts } from './support/taskd-cluster.ts';
import { cpuPerThousand } from './support/workload.ts';

export interface LatencyOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly capacity: number;
  /** How long after the last submission the tasks may take to finish before the figures are taken. */
  readonly drainMs: number;
  /**
   * Seconds of the same load sent first and not counted, so that the figures are of the steady state
   * (a fresh process runs its code unoptimized, and fills its caches, for the first seconds). Both
   * taskd and BullMQ get it, and the counted seconds start once its tasks have all finished: a
   * backlog the warm-up left would otherwise be counted against the first counted second.
   * BENCH_LATENCY_WARMUP=0 measures from the first task, as before.
   */
  readonly warmupSeconds: number;
}

export const LATENCY_DEFAULTS: LatencyOptions = {
  rate: Number(process.env.BENCH_LATENCY_RATE ?? 500),
  seconds: 15,
  capacity: 32,
  drainMs: 20_000,
  warmupSeconds: Number(process.env.BENCH_LATENCY_WARMUP ?? 3),
};

export interface LatencyFigures {
  readonly label: string;
  readonly sent: number;
  readonly accepted: number;
  /** Submissions that failed, by error message. */
  readonly rejected: Record<string, number>;
  readonly offeredPerSecond: number;
  readonly started: LatencySummary;
  readonly succeeded: LatencySummary;
  /**
   * Where submit → started goes (taskd only), from the events' own meta.at: submit → the node's
   * TaskSubmitted (request in), → the leader's TaskAssigned, → the runner's TaskStarted.
   */
  readonly stages?: Readonly<Record<'submitted' | 'assigned' | 'started', LatencySummary>>;
  /** CPU seconds per 1,000 tasks sent over the counted seconds, by group of processes. */
  readonly cpu?: CpuUse;
  /** Task-log appends per second over the counted seconds (taskd), by stream kind. */
  readonly appendsPerSecond?: Readonly<Record<string, number>>;
}

/** taskd: 3 nodes on the zookeeper log. */
export async function taskdLatency(
  parent: Cleanup,
  zk: string,
  options: LatencyOptions,
  zookeeperPids: readonly number[] = [],
): Promise<LatencyFigures> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, { zk, size: 3, capacity: options.capacity });
    const { nodes } = cluster;
    const warmup = await paced(options.rate, options.warmupSeconds, (i) =>
      postJson(nodes[i % nodes.length] as NodeProcess, '/v1/tasks', { type: 'noop', payload: { i } }).catch(
        () => undefined,
      ),
    );
    await pollUntil(
      async () =>
        finished((await taskCounts(nodes[0] as NodeProcess)) ?? (await Promise.reject())) >= warmup.sent,
      { timeoutMs: 60_000, intervalMs: 50, what: `${warmup.sent} warm-up tasks to finish` },
    ).catch(() => undefined);
    const submittedAt = new Map<string, number>();
    const rejected: Record<string, number> = {};
    const cpu = cpuWindow({ nodes: nodes.map((node) => node.pid ?? 0), zookeeper: zookeeperPids });
    const countedFrom = Date.now();
    const { sent, elapsedMs } = await paced(options.rate, options.seconds, async (i) => {
      const at = Date.now();
      try {
        const reply = await postJson<{ task: { taskId: string } }>(
          nodes[i % nodes.length] as NodeProcess,
          '/v1/tasks',
          { type: 'noop', payload: { i } },
          options.drainMs,
        );
        submittedAt.set(reply.task.taskId, at);
      } catch (error) {
        // One entry per kind of refusal: request ids and the rest of the body would split them.
        const message = error instanceof Error ? error.message : String(error);
        const why = message.replace(/,?"(requestId|errors)":[^,}]*/g, '').slice(0, 100);
        rejected[why] = (rejected[why] ?? 0) + 1;
      }
    });
    const cpuUse = cpu.stop();
    const countedTo = Date.now();
    await pollUntil(
      async () =>
        finished((await taskCounts(nodes[0] as NodeProcess)) ?? (await Promise.reject())) >=
        warmup.sent + submittedAt.size,
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: `${submittedAt.size} latency tasks to finish`,
      },
    ).catch(() => undefined);
    const log = await readTaskLog(cluster);
    // For a closer look at a run (which appends were late, and when): BENCH_LATENCY_DUMP=file.json.
    const dump = process.env.BENCH_LATENCY_DUMP;
    if (dump !== undefined) writeFileSync(dump, JSON.stringify({ submittedAt: [...submittedAt], log }));
    const firstAt = (type: string) => {
      const at = new Map<string, number>();
      for (const e of log) {
        const id = (e.data as { taskId?: string }).taskId;
        if (e.type === type && id !== undefined && !at.has(id)) at.set(id, e.meta.at);
      }
      return at;
    };
    const appended = firstAt('TaskSubmitted');
    const assigned = firstAt('TaskAssigned');
    const started = firstAt('TaskStarted');
    const stage = (from: ReadonlyMap<string, number>, to: ReadonlyMap<string, number>) =>
      summarize(
        [...submittedAt.keys()].flatMap((id) => {
          const [a, b] = [from.get(id), to.get(id)];
          return a === undefined || b === undefined ? [] : [b - a];
        }),
      );
    // One append is one batch znode: its sequence is the position's upper digits.
    const appends: Record<string, Set<number>> = {};
    for (const e of log) {
      if (e.meta.at < countedFrom || e.meta.at > countedTo) continue;
      const kind = e.stream.replace(/-[^-]+$/, '-*');
      const batches = appends[kind] ?? new Set<number>();
      batches.add(sequenceOf(e.position));
      appends[kind] = batches;
    }
    const seconds = (countedTo - countedFrom) / 1000;
    return {
      cpu: cpuPerThousand(cpuUse, sent),
      appendsPerSecond: Object.fromEntries(Object.entries(appends).map(([k, v]) => [k, v.size / seconds])),
      ...figures(
        'taskd 3 nodes, zookeeper log',
        rejected,
        sent,
        elapsedMs,
        submittedAt,
        started,
        firstAt('TaskSucceeded'),
      ),
      stages: {
        submitted: stage(submittedAt, appended),
        assigned: stage(appended, assigned),
        started: stage(assigned, started),
      },
    };
  } finally {
    await cleanup.run();
  }
}

/** BullMQ: 3 worker processes. */
export async function bullmqLatency(
  parent: Cleanup,
  redisPort: number,
  options: LatencyOptions,
  redisPid?: number,
): Promise<LatencyFigures> {
  const cleanup = parent.child();
  try {
    const queue = openQueue(cleanup, redisPort);
    const workers = await startWorkers(cleanup, redisPort, queue.name, 3, options.capacity);
    const warmup = await paced(options.rate, options.warmupSeconds, (i) =>
      queue.add('noop', { i }).then(() => undefined),
    );
    await pollUntil(async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= warmup.sent, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: `${warmup.sent} warm-up jobs to finish`,
    }).catch(() => undefined);
    const submittedAt = new Map<string, number>();
    const cpu = cpuWindow({
      workers: workers.map((worker) => worker.pid ?? 0),
      ...(redisPid === undefined ? {} : { redis: [redisPid] }),
    });
    const { sent, elapsedMs } = await paced(options.rate, options.seconds, async (i) => {
      const at = Date.now();
      const job = await queue.add('noop', { i });
      submittedAt.set(job.id as string, at);
    });
    const cpuUse = cpu.stop();
    await pollUntil(
      async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= warmup.sent + submittedAt.size,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: `${submittedAt.size} latency jobs to finish`,
      },
    ).catch(() => undefined);
    const jobs = await queue.getJobs(['completed'], 0, -1);
    const started = new Map(jobs.map((job) => [job.id as string, job.processedOn ?? Number.NaN]));
    const succeeded = new Map(jobs.map((job) => [job.id as string, job.finishedOn ?? Number.NaN]));
    return {
      cpu: cpuPerThousand(cpuUse, sent),
      ...figures('BullMQ 3 worker processes', {}, sent, elapsedMs, submittedAt, started, succeeded),
    };
  } finally {
    await cleanup.run();
  }
}

function figures(
  label: string,
  rejected: Record<string, number>,
  sent: number,
  elapsedMs: number,
  submittedAt: ReadonlyMap<string, number>,
  started: ReadonlyMap<string, number>,
  succeeded: ReadonlyMap<string, number>,
): LatencyFigures {
  const since = (ends: ReadonlyMap<string, number>) =>
    [...submittedAt].flatMap(([id, at]) => {
      const end = ends.get(id);
      return end === undefined || Number.isNaN(end) ? [] : [end - at];
    });
  return {
    label,
    sent,
    accepted: submittedAt.size,
    rejected,
    offeredPerSecond: (sent / elapsedMs) * 1000,
    started: summarize(since(started)),
    succeeded: summarize(since(succeeded)),
  };
}

/** "; stages (p50 / p99): submit → appended …" */
function stagesNote(f: LatencyFigures): string {
  if (f.stages === undefined) return '';
  const s = (summary: LatencySummary) => `${summary.p50.toFixed(0)} / ${summary.p99.toFixed(0)} ms`;
  const { submitted, assigned, started } = f.stages;
  return `; stages p50 / p99: request → TaskSubmitted ${s(submitted)}, → TaskAssigned ${s(assigned)}, → TaskStarted ${s(started)}`;
}

/** "submissions-* 211, dispatch 82, runner-* 158" */
function appendsText(f: LatencyFigures): string {
  const all = Object.entries(f.appendsPerSecond ?? {});
  return all.length === 0 ? 'not counted' : all.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
}

/** "12× POST /v1/tasks: 503 …, 40× The operation was aborted due to timeout" */
function refusals(f: LatencyFigures): string {
  const all = Object.entries(f.rejected).sort((a, b) => b[1] - a[1]);
  return all.length === 0 ? 'none' : all.map(([why, n]) => `${n}× ${why}`).join(', ');
}

/** Both, one after the other. */
export async function measureLatency(
  cleanup: Cleanup,
  zk: { readonly connectString: string; readonly pids: readonly number[] },
  redis: { readonly port: number; readonly pid: number },
  options: LatencyOptions = LATENCY_DEFAULTS,
): Promise<Section & { figures: { taskd: LatencyFigures; bullmq: LatencyFigures } }> {
  const taskd = await taskdLatency(cleanup, zk.connectString, options, zk.pids);
  const bullmq = await bullmqLatency(cleanup, redis.port, options, redis.pid);
  const lost = (f: LatencyFigures) =>
    f.succeeded.count < f.sent
      ? `; ${f.label}: ${f.accepted} of ${f.sent} submissions accepted, ${f.succeeded.count} seen succeeded; refused: ${refusals(f)}`
      : '';
  const load = `${options.rate}/s offered for ${options.seconds} s after ${options.warmupSeconds} s not counted (achieved ${Math.round(taskd.offeredPerSecond)}/s taskd, ${Math.round(bullmq.offeredPerSecond)}/s BullMQ), concurrency ${options.capacity} × 3`;
  const rows: Row[] = [
    {
      measure: `latency submit → started at ${options.rate}/s`,
      taskd: formatSummary(taskd.started),
      reference: `BullMQ: ${formatSummary(bullmq.started)}`,
      ratio: taskd.started.p99 / bullmq.started.p99,
      aim: 'p99 < 50 ms',
      met: taskd.started.p99 < 50 && taskd.started.count === taskd.sent,
      note: `${load}; ratio of p99s; percentiles cover the tasks that got through${lost(taskd)}${stagesNote(taskd)}`,
    },
    {
      measure: `latency submit → succeeded at ${options.rate}/s`,
      taskd: formatSummary(taskd.succeeded),
      reference: `BullMQ: ${formatSummary(bullmq.succeeded)}`,
      ratio: taskd.succeeded.p99 / bullmq.succeeded.p99,
      note: `ratio of p99s${lost(bullmq)}`,
    },
    {
      measure: `CPU per 1,000 tasks at ${options.rate}/s`,
      taskd: formatCpu(taskd.cpu),
      reference: `BullMQ: ${formatCpu(bullmq.cpu)}`,
      ratio: cpuTotal(taskd.cpu) / cpuTotal(bullmq.cpu),
      note: `user + system time over the counted seconds, per 1,000 tasks sent; taskd's task-log appends per second: ${appendsText(taskd)}`,
    },
  ];
  return { name: 'latency', rows, raw: { options, taskd, bullmq }, figures: { taskd, bullmq } };
}
