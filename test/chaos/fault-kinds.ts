/**
 * Every fault a chaos schedule can hold, as plain data (so a schedule prints and replays), and what
 * applying one leaves behind for the oracle: when it ran, on what, and what it promises to check.
 */

export type Fault =
  /** kill -9 of the leader, started again under the same id and folder after `restartAfterMs`. */
  | { readonly kind: 'kill-leader'; readonly restartAfterMs: number }
  /** kill -9 of a node that does not lead, started again after `restartAfterMs`. */
  | { readonly kind: 'kill-runner'; readonly restartAfterMs: number }
  /** SIGSTOP of the leader until another node leads (its session expired), `extraMs` more, then SIGCONT. */
  | { readonly kind: 'pause-leader'; readonly extraMs: number }
  /** SIGSTOP of the leader for `fraction` of the session timeout: nothing may change. */
  | { readonly kind: 'pause-leader-briefly'; readonly fraction: number }
  /**
   * A node's session expired `times` in a row, each time waiting for it to rejoin: by SIGSTOP past
   * the timeout then SIGCONT (`pause`, the default), or closed at once by the server (`on-demand`).
   */
  | {
      readonly kind: 'expire-node';
      readonly target: 'leader' | 'runner';
      readonly times: number;
      readonly how?: 'pause' | 'on-demand';
    }
  /** SIGSTOP of ZooKeeper server `server` (1-based) for `durationMs`. */
  | { readonly kind: 'pause-zk-server'; readonly server: number; readonly durationMs: number }
  /** SIGSTOP of the (follower) server a node is connected to: the node moves without expiring. */
  | { readonly kind: 'isolate-zk-of-node'; readonly durationMs: number }
  /** Each ZooKeeper server stopped and started again, one after another. */
  | { readonly kind: 'rolling-restart' }
  /** A majority of the ensemble stopped for `durationMs` (longer than a session), then started. */
  | { readonly kind: 'quorum-loss'; readonly durationMs: number }
  /** A node stopped, a byte of its journal zeroed and its last record cut in half, started again. */
  | { readonly kind: 'damage-journal'; readonly target: 'leader' | 'runner' }
  /** A node's link cut (its veth down: no ZooKeeper) for `durationMs`, longer than a session, then restored. */
  | { readonly kind: 'cut-node-link'; readonly target: 'leader' | 'runner'; readonly durationMs: number }
  /** `delayMs` of latency on the loopback of the namespace the whole cluster runs in, for `durationMs`. */
  | { readonly kind: 'loopback-latency'; readonly delayMs: number; readonly durationMs: number }
  /** A node's journal disk filled (ENOSPC): it must stop on its own; then freed and the node started again. */
  | { readonly kind: 'journal-disk-full'; readonly target: 'leader' | 'runner' };

export type FaultKind = Fault['kind'];

/** A check a fault promises about its own time window, judged after the run from journals and log. */
export type Expectation =
  /** No node changed leadership or tore down, and no task was interrupted. */
  | { readonly kind: 'nothing-changes' }
  /** `node` tore down and restarted in-process exactly `count` times, one process throughout. */
  | { readonly kind: 'teardowns'; readonly node: string; readonly count: number; readonly pid: number }
  /** `node` kept its session and reconnected to a server other than `from`. */
  | { readonly kind: 'moved-server'; readonly node: string; readonly from: string }
  /** The damage is reported with its positions, and the node started and works. */
  | {
      readonly kind: 'journal-damage';
      readonly node: string;
      readonly file: string;
      /** 1-based lines of the zeroed byte and of the cut record. */
      readonly zeroedLine: number;
      readonly cutLine: number;
      readonly restartedAt: number;
    }
  /**
   * `node` (process `pid`) was cut off at `cutAt`: it suspected its session, lost it, tore down once
   * and restarted in-process; another node led if it did; it wrote nothing more under the incarnation
   * it lost (its handlers were aborted); after `restoredAt` it rejoined under a new session.
   */
  | {
      readonly kind: 'fenced-off';
      readonly node: string;
      readonly pid: number;
      readonly wasLeader: boolean;
      readonly cutAt: number;
      readonly restoredAt: number;
    }
  /**
   * `node`'s process `pid` stopped on its own once its disk filled at `filledAt`: exit 70, a fatal log
   * line naming `file` and ENOSPC, no crash; no new term begun after its journal's last entry; another
   * node led if it did.
   */
  | {
      readonly kind: 'stopped-on-full-disk';
      readonly node: string;
      readonly pid: number;
      readonly file: string;
      readonly wasLeader: boolean;
      readonly filledAt: number;
      readonly restartedAt: number;
    };

/** What applying a fault did. */
export interface FaultRecord {
  readonly fault: Fault;
  /** What it hit: a node id or a ZooKeeper server. */
  readonly target: string;
  readonly startedAt: number;
  /** When the fault was healed (SIGCONT, start, servers back). */
  endedAt: number;
  /** When the cluster was stable again; the end of the fault's window. */
  settledAt?: number;
  readonly notes: string[];
  readonly expectations: Expectation[];
  /** Node processes the fault paused, and when: a paused leader's journal cannot say it stopped leading. */
  readonly paused: { readonly node: string; readonly from: number; to: number }[];
  /** Nodes it killed with -9 (each kill is one process that dies without a teardown). */
  readonly killed: string[];
  /** Nodes whose process it made stop without journaling the end (a full disk): to replay, a death without teardown. */
  readonly endedUnjournaled: string[];
  /** What the fault measured over its window, for a table (latency steps). */
  measurements?: Readonly<Record<string, number | string>>;
  /** How long to watch after the heal before the next step (a window for "nothing changes"). */
  observeMs?: number;
  /** In-process restarts (session losses) it may cause, by node id; '*' for every node. */
  readonly restartsAllowed: Record<string, number>;
}

/** A record for a fault starting now on `target`. */
export function openRecord(fault: Fault, target: string): FaultRecord {
  const now = Date.now();
  return {
    fault,
    target,
    startedAt: now,
    endedAt: now,
    notes: [],
    expectations: [],
    paused: [],
    killed: [],
    endedUnjournaled: [],
    restartsAllowed: {},
  };
}

/** One line for a fault, as schedules print them. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill-leader':
    case 'kill-runner':
      return `${fault.kind} (start again after ${fault.restartAfterMs} ms)`;
    case 'pause-leader':
      return `pause-leader past the session timeout (+${fault.extraMs} ms)`;
    case 'pause-leader-briefly':
      return `pause-leader-briefly (${fault.fraction} of the session timeout)`;
    case 'expire-node':
      return `expire-node ${fault.target} x${fault.times}${fault.how === 'on-demand' ? ' (on demand)' : ''}`;
    case 'pause-zk-server':
      return `pause-zk-server ${fault.server} for ${fault.durationMs} ms`;
    case 'isolate-zk-of-node':
      return `isolate-zk-of-node for ${fault.durationMs} ms`;
    case 'rolling-restart':
      return 'rolling-restart of the ensemble';
    case 'quorum-loss':
      return `quorum-loss for ${fault.durationMs} ms`;
    case 'damage-journal':
      return `damage-journal of a ${fault.target} (zero a byte, cut the last record)`;
    case 'cut-node-link':
      return `cut-node-link of the ${fault.target} for ${fault.durationMs} ms`;
    case 'loopback-latency':
      return `loopback-latency +${fault.delayMs} ms for ${fault.durationMs} ms`;
    case 'journal-disk-full':
      return `journal-disk-full on the ${fault.target}`;
  }
}
