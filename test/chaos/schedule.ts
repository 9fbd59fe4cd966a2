/**
 * A fault schedule: steps one after another, each one fault or two at once (a node fault during a
 * ZooKeeper fault), with a pause before each. A random schedule is a function of its seed. The faults
 * that need a stage of their own (a node's link cut, latency on a shared loopback, a full journal
 * disk, expiries on demand) replace some steps, drawn from a stream of their own so that the rest of
 * the schedule is what the seed gave before they existed; one schedule uses at most one network.
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
  /**
   * Run on this network even when no fault needs it: `node-namespaces` gives the nodes interfaces of
   * their own, and so a VIP whose every move the oracle judges.
   */
  readonly network?: 'node-namespaces';
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
  const base = baseSchedule(random, steps);
  return { seed: random.seed, steps: withStagedFaults(random.fork('staged faults'), base) };
}

/** The network a schedule's staged faults use: cut links, or a slowed loopback, or neither. */
type StagedNetwork = 'none' | 'cut-links' | 'slow-loopback';

/** Replaces about a third of the single-fault steps with a fault that needs a stage of its own. */
function withStagedFaults(random: SeededRandom, steps: readonly ScheduleStep[]): ScheduleStep[] {
  const network = random.pick<StagedNetwork>(['none', 'none', 'cut-links', 'slow-loopback']);
  return steps.map((step) => {
    if (step.faults.length !== 1 || !random.chance(1 / 3)) return step;
    return { gapMs: step.gapMs, faults: [stagedFault(random, network)] };
  });
}

function stagedFault(random: SeededRandom, network: StagedNetwork): Fault {
  const target = random.pick(['leader', 'runner'] as const);
  const kind = random.pick(
    network === 'cut-links'
      ? (['cut-node-link', 'cut-node-link', 'journal-disk-full', 'expire-node'] as const)
      : network === 'slow-loopback'
        ? (['loopback-latency', 'loopback-latency', 'journal-disk-full', 'expire-node'] as const)
        : (['journal-disk-full', 'expire-node'] as const),
  );
  switch (kind) {
    case 'cut-node-link':
      return {
        kind,
        target,
        durationMs: random.int(Math.ceil(1.5 * SESSION_TIMEOUT_MS), 3 * SESSION_TIMEOUT_MS),
      };
    case 'loopback-latency':
      return {
        kind,
        delayMs: random.pick([20, 100, 400, 800, 1_200]),
        durationMs: random.int(2 * SESSION_TIMEOUT_MS, 4 * SESSION_TIMEOUT_MS),
      };
    case 'journal-disk-full':
      return { kind, target };
    case 'expire-node':
      return { kind, target, times: random.int(3, 10), how: 'on-demand' };
  }
}

/** The schedule as the seed gave it before staged faults existed. */
function baseSchedule(random: SeededRandom, steps: number): ScheduleStep[] {
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
  return list;
}

/** The schedule as printed lines. */
export function describeSchedule(schedule: Schedule): string[] {
  return schedule.steps.map(
    (step, i) =>
      `  ${String(i + 1).padStart(2)}. after ${step.gapMs} ms: ${step.faults.map(describeFault).join(' + ')}`,
  );
}
