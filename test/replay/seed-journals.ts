/**
 * The seed incidents as node journals, built with the node domain's own event builder:
 * - seed 000: a stall, a session expiry, one proper teardown, then the destructors' second teardown;
 * - seed 001: three nodes whose leader exits every ~7 s in turn ("Local secondary data channel was
 *   invalid, restart"), each restarted by systemd at once, leadership ping-ponging.
 */
import type { EventMeta } from '../../src/domain/event.ts';
import {
  type NodeEvent,
  type NodeEventData,
  type NodeEventType,
  nodeEvent,
  TEARDOWN_STEPS,
} from '../../src/domain/node/index.ts';

/** A UTC time on the seed's day: "01:45:07.652807" → ms since the epoch. */
export function seedTime(day: [number, number, number], time: string): number {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  const seconds = Number(s);
  return Date.UTC(
    day[0],
    day[1] - 1,
    day[2],
    Number(h),
    Number(m),
    Math.floor(seconds),
    Math.round((seconds % 1) * 1_000),
  );
}

/** Builds events of one node. */
export class JournalScript {
  readonly events: NodeEvent[] = [];
  incarnation = 0;

  constructor(
    readonly node: string,
    private readonly skewMs = 0,
  ) {}

  add<T extends NodeEventType>(
    at: number,
    type: T,
    data: NodeEventData<T>,
    meta: Partial<EventMeta> = {},
  ): this {
    const base = { node: this.node, incarnation: this.incarnation, at: at + this.skewMs };
    this.events.push(nodeEvent(type, data, { ...base, ...meta }));
    return this;
  }

  /** A process starts and brings its services and session up. */
  boot(at: number, sessionId: string): this {
    this.add(at, 'ProcessStarted', { pid: 1_000 + this.events.length, version: '0.1.0' });
    this.incarnation += 1;
    this.add(at + 1, 'ServicesStarted', { incarnation: this.incarnation });
    this.add(at + 2, 'SessionConnecting', { connectString: 'zk1:2181,zk2:2181,zk3:2181' });
    this.add(at + 10, 'SessionConnected', { sessionId, negotiatedTimeoutMs: 6_000, server: 'zk1:2181' });
    return this;
  }

  /** Joins the election as candidate `sequence`. */
  candidate(at: number, sequence: number): this {
    this.add(at, 'ElectionJoinRequested', { from: 'outside' });
    return this.add(at + 1, 'ElectionJoined', { sequence });
  }

  /** Becomes leader of `epoch` (the watch shows the term first, as it does live). */
  lead(at: number, epoch: number): this {
    this.add(at, 'LeaderObserved', { leader: this.node, epoch });
    return this.add(at + 1, 'LeadershipAcquired', { epoch }, { epoch });
  }

  /** A shutdown and the five steps, 2 ms each, zk-close closing the session, then finished. */
  teardown(at: number, trigger: 'session-lost' | 'fatal', detail?: string): this {
    this.add(at, 'ShutdownRequested', detail === undefined ? { trigger } : { trigger, detail });
    TEARDOWN_STEPS.forEach((step, i) => {
      this.add(at + 1 + i * 2, 'TeardownStepStarted', { step });
      if (step === 'zk-close') this.add(at + 2 + i * 2, 'SessionClosed', {});
      this.add(at + 2 + i * 2, 'TeardownStepCompleted', { step });
    });
    return this.add(at + 12, 'TeardownFinished', {});
  }
}

const DAY_000: [number, number, number] = [2022, 12, 2];
export const at000 = (time: string): number => seedTime(DAY_000, time);
export const SEED_000_NODE = 'node-168-65';

/** Seed 000 as the original code journaled it: both teardowns, the timer stopped after close. */
export function seed000Journal(): NodeEvent[] {
  const s = new JournalScript(SEED_000_NODE);
  s.boot(at000('01:00:00.000'), '0x100026e28c9019c').candidate(at000('01:00:00.100'), 12);
  s.lead(at000('01:00:00.200'), 12);
  for (const [i, time] of ['01:00:01', '01:00:02', '01:00:03'].entries()) {
    s.add(at000(time), 'HealthChecked', {
      probe: 'secondary-network',
      ok: true,
      detail: `peers reachable ${i}`,
    });
  }
  s.add(at000('01:00:03.010'), 'VipAcquired', { address: '10.136.168.100' });
  // "Exceeded deadline by 2689ms", then CONNECTED_STATE --> CONNECTING_STATE and a 200 ms timer.
  s.add(at000('01:45:06.097442'), 'EventLoopStalled', { delayMs: 2_689 });
  s.add(at000('01:45:06.097581'), 'SessionSuspended', {
    suspicionMs: 200,
    deadline: at000('01:45:06.297581'),
  });
  s.add(at000('01:45:06.098'), 'VipReleased', { address: '10.136.168.100' });
  s.add(at000('01:45:07.652709'), 'SessionLost', { reason: 'expired' });
  s.teardown(
    at000('01:45:07.652807'),
    'session-lost',
    'Session lost, must exit to prevent the tasks from running',
  );
  // ~QuorumServer: the destructors run the teardown again.
  s.add(at000('01:45:07.801932'), 'ShutdownRequested', { trigger: 'process-exit', detail: '~QuorumServer' });
  s.add(at000('01:45:07.819953'), 'TeardownStepStarted', { step: 'zk-close' });
  s.add(at000('01:45:07.851056'), 'SessionClosed', {});
  s.add(at000('01:45:07.874543'), 'SessionLost', { reason: 'suspicion-timeout' });
  return s.events;
}

const DAY_001: [number, number, number] = [2022, 2, 21];
export const at001 = (time: string): number => seedTime(DAY_001, time);
export const SEED_001_NODES = ['node-19-17', 'node-19-18', 'node-19-19'] as const;

/** When each node's leader exited (systemd's "main process exited, status=115"), from the seed. */
const EXITS: Readonly<Record<(typeof SEED_001_NODES)[number], readonly string[]>> = {
  'node-19-19': ['17:51:08', '17:51:15', '17:51:22'],
  'node-19-17': ['17:51:11', '17:51:18', '17:51:25'],
  'node-19-18': ['17:51:14', '17:51:21', '17:51:27'],
};

/** Clock offsets of the three nodes, for the skew estimate (node-19-18 runs 40 ms fast). */
export const SEED_001_SKEW: Readonly<Record<string, number>> = {
  'node-19-17': 0,
  'node-19-18': 40,
  'node-19-19': -20,
};

/** Seed 001's restart storm: three journals, each leader exiting in turn and restarted at once. */
export function seed001Journals(): Map<string, NodeEvent[]> {
  const scripts = new Map<string, JournalScript>(
    SEED_001_NODES.map((node) => [node, new JournalScript(node, SEED_001_SKEW[node])]),
  );
  const script = (node: string) => scripts.get(node) as JournalScript;
  const start = at001('17:51:00');
  SEED_001_NODES.forEach((node, i) => {
    script(node)
      .boot(start + i * 50, `0x${node.slice(-2)}01`)
      .candidate(start + 200 + i * 50, i + 1);
  });
  const exits = Object.entries(EXITS)
    .flatMap(([node, times]) => times.map((time) => ({ node, at: at001(time) })))
    .sort((a, b) => a.at - b.at);
  // node-19-19 leads first; each exit hands leadership to the leader of the next exit.
  let epoch = 1;
  let sequence = 10;
  leadEverywhere(scripts, 'node-19-19', start + 1_000, epoch);
  exits.forEach((exit, i) => {
    const leaving = script(exit.node);
    leaving.teardown(exit.at - 20, 'fatal', 'Local secondary data channel was invalid, restart');
    // systemd restarts it at once: "holdoff time over, scheduling restart".
    leaving.boot(exit.at + 100, `0x${exit.node.slice(-2)}${String(i + 2).padStart(2, '0')}`);
    sequence += 1;
    leaving.candidate(exit.at + 200, sequence);
    const next = exits[i + 1];
    if (next !== undefined) {
      epoch += 1;
      leadEverywhere(scripts, next.node, exit.at + 300, epoch);
    }
  });
  return new Map([...scripts].map(([node, s]) => [node, s.events]));
}

/** `leader` wins `epoch`; every other live node sees it through its watch. */
function leadEverywhere(
  scripts: ReadonlyMap<string, JournalScript>,
  leader: string,
  at: number,
  epoch: number,
): void {
  for (const [node, script] of scripts) {
    if (node === leader) script.lead(at, epoch);
    else script.add(at + 3, 'LeaderObserved', { leader, epoch });
  }
}
