/**
 * The bounded workload of a chaos run: `total` tasks spread over the fault schedule, one at a time
 * or in small batches, each sent to some running node and, when the reply is lost or is a 503, sent
 * again to another with the same idempotency key; a share of the sleeps is cancelled soon after.
 * What every node answered is kept for the verdict.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosCluster } from './chaos-cluster.ts';
import { type ApiReply, postJson } from './node-api.ts';
import type { SeededRandom } from './seeded-random.ts';
import { type TaskSpec, taskSpec } from './task-mix.ts';

export interface CancelRecord {
  readonly requestedAt: number;
  /** The status of the reply that settled it (202 accepted, 409 already finished); undefined: gave up. */
  status?: number;
  readonly tries: string[];
}

export interface Submission {
  readonly index: number;
  readonly spec: TaskSpec;
  /** Planned: cancel this long after acceptance. */
  readonly cancelAfterMs?: number;
  /** The status of the reply that settled it (201/200 accepted); undefined: gave up. */
  status?: number;
  /** The id the accepting node answered with (the first task's id for a repeated key). */
  taskId?: string;
  acceptedBy?: string;
  readonly tries: string[];
  cancel?: CancelRecord;
}

export interface WorkloadOptions {
  readonly total: number;
  /** Submissions are spread over this long. */
  readonly spreadMs: number;
  /** Share of the sleep tasks that get a cancel request. */
  readonly cancelShare?: number;
}

/** How long one submission or cancel keeps trying before it is recorded as given up. */
const GIVE_UP_MS = 40_000;
const RETRY_PAUSE_MS = 250;

export class Workload {
  readonly submissions: Submission[] = [];
  private readonly pending: Promise<void>[] = [];
  /** Which node gets a request depends on timing: its draws must not shift the seeded plan. */
  private readonly endpoints: SeededRandom;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly random: SeededRandom,
  ) {
    this.endpoints = random.fork('endpoints');
  }

  /** Submits the whole workload; resolves once every submission and cancel has settled. */
  async run(options: WorkloadOptions): Promise<void> {
    const waves = this.plan(options);
    const gapMs = options.spreadMs / Math.max(waves.length, 1);
    for (const wave of waves) {
      this.pending.push(this.submit(wave.records));
      await sleep(gapMs * wave.gapFactor);
    }
    await Promise.all(this.pending);
  }

  /** Every wave, task and cancel of the run, drawn from the seed before anything is sent. */
  private plan(options: WorkloadOptions): { records: Submission[]; gapFactor: number }[] {
    const waves: { records: Submission[]; gapFactor: number }[] = [];
    for (let index = 0; index < options.total; ) {
      const size = this.random.chance(0.4) ? this.random.int(2, 4) : 1;
      const records: Submission[] = [];
      for (let i = 0; i < size && index < options.total; i++, index++) {
        const spec = taskSpec(this.random, this.cluster.name, index);
        const cancel = spec.type === 'sleep' && this.random.chance(options.cancelShare ?? 0.25);
        const cancelAfterMs = cancel ? this.random.int(0, 1_000) : undefined;
        const record: Submission = {
          index,
          spec,
          tries: [],
          ...(cancelAfterMs === undefined ? {} : { cancelAfterMs }),
        };
        this.submissions.push(record);
        records.push(record);
      }
      waves.push({ records, gapFactor: this.random.between(0.5, 1.5) });
    }
    return waves;
  }

  /** Ids of the accepted tasks, in submission order. */
  acceptedIds(): string[] {
    return this.submissions.flatMap((s) => (s.taskId === undefined ? [] : [s.taskId]));
  }

  private async submit(records: Submission[]): Promise<void> {
    const batch = records.length > 1;
    const reply = await this.untilSettled(records[0]!.tries, (endpoint) =>
      batch
        ? postJson(endpoint, '/v1/tasks:batch', { tasks: records.map((r) => r.spec) })
        : postJson(endpoint, '/v1/tasks', records[0]!.spec),
    );
    if (reply === undefined) return;
    for (const record of records) record.status = reply.status;
    if (reply.status >= 300) return;
    const tasks = batch
      ? ((reply.body?.results ?? []) as { task: { taskId: string } }[]).map((r) => r.task)
      : [(reply.body?.task ?? {}) as { taskId: string }];
    for (const [i, record] of records.entries()) {
      record.taskId = tasks[i]?.taskId;
      record.acceptedBy = reply.node;
      if (record.taskId !== undefined && record.cancelAfterMs !== undefined) {
        this.pending.push(this.cancel(record, record.cancelAfterMs));
      }
    }
  }

  private async cancel(record: Submission, delayMs: number): Promise<void> {
    await sleep(delayMs);
    const cancel: CancelRecord = { requestedAt: Date.now(), tries: [] };
    record.cancel = cancel;
    const reply = await this.untilSettled(
      cancel.tries,
      (endpoint) => postJson(endpoint, `/v1/tasks/${record.taskId}/cancel`, { reason: 'chaos' }),
      // A node that has not folded the submission yet answers 404: another node will know it.
      [404],
    );
    cancel.status = reply?.status;
  }

  /**
   * Sends `call` to running nodes in random order until one answers with a status that settles it
   * (anything but a 5xx or one of `retryStatuses`); undefined after GIVE_UP_MS.
   */
  private async untilSettled(
    tries: string[],
    call: (endpoint: string) => Promise<ApiReply>,
    retryStatuses: readonly number[] = [],
  ): Promise<{ status: number; body: Record<string, unknown> | undefined; node: string } | undefined> {
    const deadline = Date.now() + GIVE_UP_MS;
    while (Date.now() < deadline) {
      const running = this.cluster.nodes.filter((n) => n.running);
      if (running.length > 0) {
        const node = this.endpoints.pick(running);
        const reply = await call(node.current.endpoint);
        if (reply.ok && reply.status < 500 && !retryStatuses.includes(reply.status)) {
          tries.push(`${node.id}: ${reply.status}`);
          return { status: reply.status, body: reply.body, node: node.id };
        }
        tries.push(`${node.id}: ${reply.ok ? reply.status : reply.error}`);
      }
      await sleep(RETRY_PAUSE_MS);
    }
    return undefined;
  }
}
