/**
 * One chaos scenario, start to verdict: three fresh taskd nodes on the stage the schedule needs (the
 * given ensemble on the host, or namespaces and disks of the run's own: chaos-stage.ts), a seeded
 * workload submitted while the schedule's faults are applied and healed, a bounded drain, a clean
 * stop, then the oracle: the task log read directly, `taskd replay --format json` over every data
 * directory and the log, the journals, the processes' exits and logs. The stage is taken down last,
 * also when the run fails.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZooKeeperCluster } from '../../src/infra/zookeeper-server/index.ts';
import { readTaskLog } from '../support/task-log-reader.ts';
import { checkAnomalies } from './anomaly-checks.ts';
import { applyFault } from './apply-fault.ts';
import { ChaosCluster } from './chaos-cluster.ts';
import { openStage } from './chaos-stage.ts';
import { drain } from './drain.ts';
import { checkExpectations } from './expectation-checks.ts';
import type { FaultContext } from './fault-context.ts';
import { describeFault, type FaultRecord } from './fault-kinds.ts';
import { checkJournals } from './journal-checks.ts';
import { checkJournaledActs } from './journaled-acts-checks.ts';
import { readLog } from './log-oracle.ts';
import { dataDirOf, type NodeJournal, readNodeJournal } from './node-journals.ts';
import { checkProcesses } from './process-checks.ts';
import { runReplayCommand } from './replay-run.ts';
import type { Schedule } from './schedule.ts';
import { seededRandom } from './seeded-random.ts';
import type { ApiTask } from './task-checks.ts';
import { checkTasks } from './task-checks.ts';
import { Verdict } from './verdict.ts';
import { checkVipOnLeaderAlone, noteVipMoves } from './vip-checks.ts';
import { Workload } from './workload.ts';

export interface ScenarioOptions {
  /** The ensemble on the host; a schedule that slows the loopback runs one of its own in a namespace. */
  readonly zookeeper?: ZooKeeperCluster;
  readonly schedule: Schedule;
  /** Seeds the workload and the fault targets. */
  readonly seed: number;
  readonly tasks: number;
  /** Submissions are spread over this long (the schedule should run meanwhile). */
  readonly spreadMs: number;
  readonly drainTimeoutMs?: number;
  /** The whole scenario, judging included, should end within this (default 150 s). */
  readonly budgetMs?: number;
  readonly say?: (line: string) => void;
  /** Keep the cluster's folder even when the verdict passes. */
  readonly keep?: boolean;
}

export interface ScenarioResult {
  readonly verdict: Verdict;
  readonly records: readonly FaultRecord[];
  readonly root: string;
  readonly durationMs: number;
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const say = options.say ?? (() => undefined);
  const stage = await openStage(options.schedule, options.zookeeper);
  let root: string | undefined;
  let run: { verdict: Verdict; records: readonly FaultRecord[] } | undefined;
  try {
    const cluster = await ChaosCluster.start({ stage });
    root = cluster.root;
    say(`cluster ${cluster.name} in ${root} on ${stage.describe()} (${Date.now() - started} ms to start)`);
    run = await runOn(cluster, options, started);
  } finally {
    // The stage's disks hold the journals until unmounted (they move back then): close before removing.
    await stage.close();
  }
  if (run.verdict.passed && options.keep !== true) rmSync(root, { recursive: true, force: true });
  return { ...run, root, durationMs: Date.now() - started };
}

/** The workload and the schedule on a started cluster, then the oracle's verdict. */
async function runOn(
  cluster: ChaosCluster,
  options: ScenarioOptions,
  started: number,
): Promise<{ verdict: Verdict; records: readonly FaultRecord[] }> {
  const budgetMs = options.budgetMs ?? 150_000;
  const say = options.say ?? (() => undefined);
  const verdict = new Verdict();
  const random = seededRandom(options.seed);
  const context: FaultContext = { cluster, random: random.fork('targets'), say };
  const workload = new Workload(cluster, random.fork('workload'));
  let records: FaultRecord[] = [];
  let lists = new Map<string, ApiTask[]>();
  try {
    const submitted = workload.run({ total: options.tasks, spreadMs: options.spreadMs });
    // Steps start only in the first part of the budget: draining and judging need the rest.
    records = await runSchedule(context, options.schedule, verdict, started + 0.5 * budgetMs);
    await submitted;
    const ids = workload.acceptedIds();
    const left = started + budgetMs - Date.now() - JUDGING_RESERVE_MS;
    const drained = await drain(
      cluster,
      ids,
      Math.max(5_000, Math.min(options.drainTimeoutMs ?? 60_000, left)),
    );
    lists = drained.lists;
    const how = drained.drained ? 'drained' : 'NOT drained';
    say(
      `workload: ${ids.length} of ${options.tasks} accepted; ${how} ${drained.waitedMs} ms after the last step`,
    );
    if (!drained.drained) verdict.fail('drain', `tasks still unfinished after ${drained.waitedMs} ms`);
    await checkVipOnLeaderAlone(verdict, cluster);
  } catch (error) {
    verdict.fail('scenario', error instanceof Error ? error.message : String(error));
  } finally {
    await cluster.stopAll();
  }
  await judge(verdict, { options, cluster, workload, records, lists, started });
  return { verdict, records };
}

/** Time kept for stopping the nodes, reading the log, replaying and judging. */
const JUDGING_RESERVE_MS = 25_000;

interface RunToJudge {
  readonly options: ScenarioOptions;
  readonly cluster: ChaosCluster;
  readonly workload: Workload;
  readonly records: readonly FaultRecord[];
  readonly lists: ReadonlyMap<string, readonly ApiTask[]>;
  readonly started: number;
}

/** Every check of the oracle, once the nodes have stopped. */
async function judge(verdict: Verdict, run: RunToJudge): Promise<void> {
  const { cluster, records } = run;
  const zk = cluster.zookeeper.connectString;
  const journals = new Map<string, NodeJournal>();
  for (const node of cluster.nodes)
    journals.set(node.id, await readNodeJournal(node.id, dataDirOf(node.dir)));
  const log = await readTaskLog(zk, cluster.name);
  const replay = await runReplayCommand(
    cluster.nodes.map((n) => dataDirOf(n.dir)),
    zk,
    cluster.name,
  );
  if (replay.code !== 0 || replay.report === undefined)
    verdict.fail('replay ran', `exit ${replay.code}: ${replay.stderr.slice(0, 500)}`);
  checkTasks(verdict, run.workload.submissions, readLog(log), replay.report, run.lists);
  if (replay.report !== undefined) checkAnomalies(verdict, replay.report, records);
  checkJournals(verdict, journals, records);
  noteVipMoves(verdict, journals);
  checkJournaledActs(verdict, journals, log);
  checkExpectations(verdict, { journals, nodes: cluster.nodes, log, report: replay.report }, records);
  checkProcesses(verdict, cluster.nodes, run.started);
}

/** Applies each step (two faults of a step together), waiting for a stable cluster after each. */
async function runSchedule(
  context: FaultContext,
  schedule: Schedule,
  verdict: Verdict,
  lastStart: number,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const [i, step] of schedule.steps.entries()) {
    await sleep(step.gapMs);
    const label = `step ${i + 1} (${step.faults.map(describeFault).join(' + ')})`;
    if (Date.now() > lastStart) {
      verdict.note(`${label} not run: the scenario's time budget is spent`);
      continue;
    }
    const began = Date.now();
    try {
      const applied = await Promise.all(
        step.faults.map(async (fault, j) => {
          // The second fault of a pair lands while the first is under way.
          if (j > 0) await sleep(context.random.int(300, 1_000));
          return applyFault(context, fault);
        }),
      );
      for (const record of applied) {
        // Two faults at once blur each other's window: their own promises are not judged.
        if (applied.length > 1) record.expectations.length = 0;
        records.push(record);
      }
      await sleep(Math.max(0, ...applied.map((r) => r.observeMs ?? 0)));
      await context.cluster.waitStable(`the cluster to settle after ${label}`);
      for (const record of applied) record.settledAt = Date.now();
      context.say(
        `${label}: ${applied.map((r) => `${r.target}${r.notes.length ? ` [${r.notes.join('; ')}]` : ''}`).join(' + ')}; stable after ${Date.now() - began} ms`,
      );
    } catch (error) {
      verdict.fail(label, error instanceof Error ? error.message : String(error));
      context.say(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      await heal(context);
    }
  }
  return records;
}

/** After a step failed midway: resume what is paused and start what is stopped, so the run can end. */
async function heal(context: FaultContext): Promise<void> {
  for (const node of context.cluster.nodes) if (node.isPaused) node.resume();
  for (const server of context.cluster.zookeeper.servers) if (server.isPaused) await server.resume();
  await context.cluster.zookeeper.startQuorum().catch(() => undefined);
  await context.cluster.waitStable('the cluster to settle after healing').catch(() => undefined);
}
