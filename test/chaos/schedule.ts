/**
 * A fault schedule: steps one after another, each one fault or two at once (a node fault during a
 * ZooKeeper fault), with a pause before each. A random schedule is a function of its seed.
 */
import { SESSION_TIMEOUT_MS } from './chaos-settings.ts';
import { describeFault, type Fault } from './fault-kinds.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface ScheduleStep {
  /** Wait this long (after the cluster is stable again) before the step. */
  readonly gapMs: number;
  /** One fault, or two applied together. */
  readonly faults: readonly Fault[];
}

export interface Schedule {
  readonly seed: number | undefined;
  readonly steps: readonly ScheduleStep[];
}

const NODE_FAULTS = ['kill-leader', 'kill-runner', 'pause-leader'] as const;

/** One random fault with its parameters. */
export function randomFault(random: SeededRandom): Fault {
  const kind = random.pick([
    'kill-leader',
    'kill-runner',
    'pause-leader',
    'pause-leader-briefly',
    'expire-node',
    'pause-zk-server',
    'isolate-zk-of-node',
    'rolling-restart',
    'quorum-loss',
    'damage-journal',
  ] as const);
  switch (kind) {
    case 'kill-leader':
    case 'kill-runner':
      return { kind, restartAfterMs: random.int(0, 2 * SESSION_TIMEOUT_MS) };
    case 'pause-leader':
      return { kind, extraMs: random.int(0, SESSION_TIMEOUT_MS) };
    case 'pause-leader-briefly':
      return { kind, fraction: 0.3 };
    case 'expire-node':
      return { kind, target: random.pick(['leader', 'runner'] as const), times: random.int(1, 3) };
    case 'pause-zk-server':
      return { kind, server: random.int(1, 3), durationMs: random.int(500, 3 * SESSION_TIMEOUT_MS) };
    case 'isolate-zk-of-node':
      return { kind, durationMs: random.int(SESSION_TIMEOUT_MS, 2 * SESSION_TIMEOUT_MS) };
    case 'rolling-restart':
      return { kind };
    case 'quorum-loss':
      // Now and then an outage longer than a teardown step's bound (10 s).
      return random.chance(0.25)
        ? { kind, durationMs: random.int(5 * SESSION_TIMEOUT_MS, 8 * SESSION_TIMEOUT_MS) }
        : { kind, durationMs: random.int(Math.ceil(1.5 * SESSION_TIMEOUT_MS), 3 * SESSION_TIMEOUT_MS) };
    case 'damage-journal':
      return { kind, target: random.pick(['leader', 'runner'] as const) };
  }
}

/** `steps` random steps; about one in four pairs a ZooKeeper fault with a node fault. */
export function randomSchedule(random: SeededRandom, steps: number): Schedule {
  const list: ScheduleStep[] = [];
  for (let i = 0; i < steps; i++) {
    const gapMs = random.int(0, 1_500);
    if (random.chance(0.25)) {
      const zookeeper: Fault = random.chance(0.5)
        ? { kind: 'pause-zk-server', server: random.int(1, 3), durationMs: random.int(1_000, 4_000) }
        : { kind: 'quorum-loss', durationMs: random.int(3_000, 6_000) };
      const node = random.pick(NODE_FAULTS);
      const nodeFault: Fault =
        node === 'pause-leader'
          ? { kind: node, extraMs: random.int(0, 1_000) }
          : { kind: node, restartAfterMs: random.int(0, 3_000) };
      list.push({ gapMs, faults: [zookeeper, nodeFault] });
    } else {
      list.push({ gapMs, faults: [randomFault(random)] });
    }
  }
  return { seed: random.seed, steps: list };
}

/** The schedule as printed lines. */
export function describeSchedule(schedule: Schedule): string[] {
  return schedule.steps.map(
    (step, i) =>
      `  ${String(i + 1).padStart(2)}. after ${step.gapMs} ms: ${step.faults.map(describeFault).join(' + ')}`,
  );
}
