/**
 * The fixed chaos set `npm test` runs: every fault once, and the classic edges with their own
 * promises (a 0.3 pause changes nothing; fifty expiries in a row are fifty teardowns and fifty
 * in-process restarts in one process; a node on an isolated server moves without expiring; a damaged
 * journal is reported with positions and the node goes on working; a node cut off from ZooKeeper
 * fences itself and comes back; a node whose journal disk fills stops safely and says why). The
 * latency sweep, longer, has a file of its own (latency.chaos.test.ts).
 */
import { SESSION_TIMEOUT_MS } from './chaos-settings.ts';
import type { Schedule } from './schedule.ts';

export interface FixedScenario {
  readonly name: string;
  readonly seed: number;
  readonly tasks: number;
  readonly spreadMs: number;
  /** Bound on the whole scenario when the cluster misbehaves; a healthy run takes a third of it. */
  readonly budgetMs: number;
  readonly schedule: Schedule;
}

const step = (gapMs: number, ...faults: Schedule['steps'][number]['faults']) => ({ gapMs, faults });

export const FIXED_SCENARIOS: readonly FixedScenario[] = [
  {
    name: 'the leader paused briefly, killed with -9 and started again, paused past its session (each node in its own namespace, with a VIP)',
    seed: 101,
    tasks: 24,
    spreadMs: 9_000,
    budgetMs: 60_000,
    schedule: {
      seed: undefined,
      network: 'node-namespaces',
      steps: [
        step(500, { kind: 'pause-leader-briefly', fraction: 0.3 }),
        step(300, { kind: 'kill-leader', restartAfterMs: 500 }),
        step(300, { kind: 'pause-leader', extraMs: 500 }),
      ],
    },
  },
  {
    name: 'a runner killed with -9 and started at once, then a runner’s session expired on demand fifty times in a row',
    seed: 202,
    tasks: 30,
    // The expiries take about a minute (backoffs grow to the 1 s cap): work keeps coming meanwhile.
    spreadMs: 45_000,
    budgetMs: 180_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'kill-runner', restartAfterMs: 0 }),
        step(300, { kind: 'expire-node', target: 'runner', times: 50, how: 'on-demand' }),
      ],
    },
  },
  {
    name: 'ZooKeeper: a node’s server isolated, a server paused, a rolling restart, the quorum lost',
    seed: 303,
    tasks: 24,
    spreadMs: 14_000,
    budgetMs: 80_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'isolate-zk-of-node', durationMs: 1.5 * SESSION_TIMEOUT_MS }),
        step(300, { kind: 'pause-zk-server', server: 1, durationMs: 2_500 }),
        step(300, { kind: 'rolling-restart' }),
        step(300, { kind: 'quorum-loss', durationMs: 2 * SESSION_TIMEOUT_MS }),
      ],
    },
  },
  {
    name: 'a runner’s journal damaged (a zeroed byte, a record cut in half) while it is stopped',
    seed: 404,
    tasks: 20,
    // Work keeps coming after the damaged node is back, so that it can show it works.
    spreadMs: 12_000,
    budgetMs: 40_000,
    schedule: { seed: undefined, steps: [step(1_000, { kind: 'damage-journal', target: 'runner' })] },
  },
  {
    name: 'a node cut off from ZooKeeper (its veth down in its namespace): the leader, then a runner',
    seed: 505,
    tasks: 20,
    spreadMs: 14_000,
    budgetMs: 70_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'cut-node-link', target: 'leader', durationMs: 2.5 * SESSION_TIMEOUT_MS }),
        step(300, { kind: 'cut-node-link', target: 'runner', durationMs: 2.5 * SESSION_TIMEOUT_MS }),
      ],
    },
  },
  {
    name: 'the journal’s disk filling up (ENOSPC): on the leader, then on a runner',
    seed: 606,
    tasks: 20,
    spreadMs: 12_000,
    budgetMs: 70_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'journal-disk-full', target: 'leader' }),
        step(300, { kind: 'journal-disk-full', target: 'runner' }),
      ],
    },
  },
];
