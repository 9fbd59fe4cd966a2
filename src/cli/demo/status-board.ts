/**
 * The live view of the demo: every ~500 ms it takes a snapshot through a live node's API, prints a
 * line for each notable task change and refreshes the status line. The demo's own waits call
 * `refresh()` too; refreshes run one at a time, so each change is noted once.
 */
import type { Task } from '../../domain/task/state.ts';
import type { NodeProcess } from '../local-cluster/node-process.ts';
import type { DemoOutput } from './demo-output.ts';
import { type ClusterSnapshot, takeSnapshot } from './snapshot.ts';
import { statusParts } from './status-line.ts';
import { taskNotes } from './task-notes.ts';

export const REFRESH_MS = 500;

export interface StatusBoardDeps {
  readonly output: DemoOutput;
  /** The nodes still running (the board asks the first that answers). */
  readonly nodes: () => readonly NodeProcess[];
  /** Every node's id, in order. */
  readonly nodeIds: () => readonly string[];
  readonly killed: ReadonlySet<string>;
}

/** Polls and prints until stopped. */
export class StatusBoard {
  latest: ClusterSnapshot | undefined;
  private seen = new Map<string, Task>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(private readonly deps: StatusBoardDeps) {}

  /** Starts polling, every REFRESH_MS. */
  start(): void {
    this.timer ??= setInterval(() => {
      // A slow answer (a loaded machine, a node just killed) skips a tick instead of queueing one.
      // A failed look is only a missed frame; the waits that need an answer call refresh() themselves.
      if (this.queued === 0) this.refresh().catch(() => undefined);
    }, REFRESH_MS);
  }

  /** Takes a snapshot (after any refresh under way), prints what changed, and returns it. */
  refresh(): Promise<ClusterSnapshot | undefined> {
    this.queued += 1;
    const next = this.queue.then(() => this.poll());
    this.queue = next.then(
      () => {
        this.queued -= 1;
      },
      () => {
        this.queued -= 1;
      },
    );
    return next;
  }

  /** Stops polling once the refreshes under way have printed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
    this.deps.output.endStatus();
  }

  private async poll(): Promise<ClusterSnapshot | undefined> {
    const snapshot = await takeSnapshot(this.deps.nodes());
    if (snapshot === undefined) {
      this.deps.output.status(['no node answers']);
      return undefined;
    }
    for (const note of taskNotes(this.seen, snapshot.tasks, this.deps.killed, Date.now())) {
      this.deps.output.event(`  ${note}`);
    }
    this.seen = new Map(snapshot.tasks.map((t) => [t.taskId, t]));
    this.latest = snapshot;
    const context = { nodes: this.deps.nodeIds(), killed: this.deps.killed };
    this.deps.output.status(statusParts(snapshot, context));
    return snapshot;
  }
}
