/**
 * What every step of the demo shares: where it prints, what it started, the live board, how long
 * it may wait. Steps wait only for conditions they can observe through the nodes' HTTP APIs, each
 * wait bounded and named, so a slow machine gives a clear message instead of a hang.
 */
import type { DemoCluster } from './demo-cluster.ts';
import type { DemoOutput } from './demo-output.ts';
import type { StatusBoard } from './status-board.ts';

export const NODE_COUNT = 3;
export const SESSION_TIMEOUT_MS = 3_000;
/** Grace after SIGTERM before a node is killed; its teardown normally takes a second or two. */
export const STOP_GRACE_MS = 20_000;

export interface DemoContext {
  readonly output: DemoOutput;
  readonly cluster: DemoCluster;
  readonly clusterName: string;
  readonly dir: string;
  /** The live status; started by the tasks step, stopped once every task finished (or on an error). */
  readonly board: StatusBoard;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** Nodes the demo killed on purpose (a node that exits otherwise is an error). */
  readonly killed: Set<string>;
  /** Every wait is bounded by its own limit and by the demo's overall deadline. */
  bound(ms: number): number;
}

/** "3.2 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A node that dies without the demo killing it is a failure the demo reports at once. */
export function assertNoUnexpectedExit(ctx: DemoContext): void {
  const dead = ctx.cluster.nodes.find((n) => !n.running && !ctx.killed.has(n.options.nodeId));
  if (dead !== undefined) {
    const exit = ctx.cluster.exits.get(dead.options.nodeId);
    const how =
      exit === undefined ? '' : exit.signal === null ? ` (exit code ${exit.code})` : ` (${exit.signal})`;
    throw new Error(`${dead.options.nodeId} exited on its own${how}; see its log ${dead.logPath}`);
  }
}
