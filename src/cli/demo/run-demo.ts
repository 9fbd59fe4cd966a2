/**
 * The demo's life: makes its folder, runs the six steps, and whatever happens (success, an error,
 * Ctrl-C, SIGTERM) stops every process it started before it returns its exit code.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoCluster } from './demo-cluster.ts';
import { type DemoContext, SESSION_TIMEOUT_MS } from './demo-context.ts';
import { DemoOutput, type OutputStream } from './demo-output.ts';
import { whereToLook } from './final-report.ts';
import { exitCodeFor, listenForInterrupts } from './interrupts.ts';
import { logProblems } from './node-log-problems.ts';
import { startNodesStep, startZooKeeperStep } from './startup-steps.ts';
import { StatusBoard } from './status-board.ts';
import { stopStep } from './stop-step.ts';
import { killLeaderStep } from './takeover-step.ts';
import { DemoTimeout } from './wait-until.ts';
import { submitTasksStep } from './work-step.ts';

export interface DemoOptions {
  /** The folder that holds one sub-folder per run (default ./.taskd-demo). */
  readonly baseDir: string;
  readonly out: OutputStream;
  /** The whole run's bound: every wait is cut to what is left of it. */
  readonly deadlineMs?: number;
}

const CLUSTER = 'demo';
const DEFAULT_DEADLINE_MS = 110_000;
/** On an error or an interrupt, nodes get this long to tear down before they are killed. */
const CLEANUP_GRACE_MS = 5_000;

/** Runs the demo; resolves with the process's exit code once everything it started is stopped. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const startedAt = Date.now();
  const deadline = startedAt + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const output = new DemoOutput(options.out, startedAt);
  const dir = makeRunFolder(resolve(options.baseDir), new Date(startedAt));
  const cluster = new DemoCluster({
    dir,
    cluster: CLUSTER,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    capacity: 4,
  });
  const killNow = () => cluster.killAllSync();
  process.on('exit', killNow);
  const interrupts = listenForInterrupts(killNow);
  const killed = new Set<string>();
  const board = new StatusBoard({
    output,
    nodes: () => cluster.running(),
    nodeIds: () => cluster.nodes.map((n) => n.options.nodeId),
    killed,
  });
  const ctx: DemoContext = {
    output,
    cluster,
    clusterName: CLUSTER,
    dir,
    board,
    signal: interrupts.signal,
    killed,
    bound: (ms) => Math.max(1, Math.min(ms, deadline - Date.now())),
  };
  output.line('taskd demo: a 3-node cluster on a local ZooKeeper ensemble, and its leader killed with -9');
  output.line(`folder: ${dir} (pid ${process.pid})`);
  try {
    await startZooKeeperStep(ctx);
    await startNodesStep(ctx);
    const submitted = await submitTasksStep(ctx);
    await killLeaderStep(ctx, submitted);
    const taskLog = await stopStep(ctx);
    output.line();
    for (const line of whereToLook({ dir, nodes: cluster.nodes, taskLog })) output.line(line);
    output.line();
    output.line(`demo finished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: every step worked.`);
    return 0;
  } catch (error) {
    await board.stop();
    const interrupted = interrupts.signal.aborted;
    output.line();
    output.line(
      interrupted
        ? `interrupted (${String(interrupts.signal.reason)}): stopping everything the demo started...`
        : `demo failed: ${describe(error)}`,
    );
    await cluster.shutdown(CLEANUP_GRACE_MS);
    output.line('every process the demo started is stopped.');
    if (!interrupted) {
      for (const node of cluster.nodes) {
        const problems = logProblems(node.logPath);
        output.line(
          `${node.options.nodeId}'s log: ${node.logPath}${problems.length > 0 ? ', last warnings:' : ''}`,
        );
        for (const problem of problems) output.line(`  ${problem}`);
      }
      output.line(`the run's folder is kept: ${dir}`);
    }
    return interrupted ? exitCodeFor(interrupts.signal.reason as NodeJS.Signals) : 1;
  } finally {
    await cluster.shutdown(CLEANUP_GRACE_MS);
    interrupts.dispose();
    process.off('exit', killNow);
  }
}

function describe(error: unknown): string {
  if (error instanceof DemoTimeout) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** ./.taskd-demo/2025-01-31T12-00-00 (a suffix when two runs start in the same second). */
function makeRunFolder(baseDir: string, at: Date): string {
  mkdirSync(baseDir, { recursive: true });
  const stamp = at.toISOString().slice(0, 19).replaceAll(':', '-');
  for (let n = 1; ; n++) {
    const dir = join(baseDir, n === 1 ? stamp : `${stamp}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
