/**
 * The fixed chaos set `npm test` runs: every fault once, and the classic edges with their own
 * promises (a 0.3 pause changes nothing; five expiries in a row are five teardowns and five in-process
 * restarts; a node on an isolated server moves without expiring; a damaged journal is reported with
 * positions and the node goes on working).
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
    name: 'the leader paused briefly, killed with -9 and started again, paused past its session',
    seed: 101,
    tasks: 24,
    spreadMs: 9_000,
    budgetMs: 60_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'pause-leader-briefly', fraction: 0.3 }),
        step(300, { kind: 'kill-leader', restartAfterMs: 500 }),
        step(300, { kind: 'pause-leader', extraMs: 500 }),
      ],
    },
  },
  {
    name: 'a runner killed with -9 and started at once, then a runner expired five times in a row',
    seed: 202,
    tasks: 24,
    spreadMs: 12_000,
    budgetMs: 70_000,
    schedule: {
      seed: undefined,
      steps: [
        step(500, { kind: 'kill-runner', restartAfterMs: 0 }),
        step(300, { kind: 'expire-node', target: 'runner', times: 5 }),
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
];
