/**
 * Fencing on the node's side: every ZooKeeper server is paused (SIGSTOP: sockets stay open, nothing
 * answers), so each node's connection is cut while its runner holds running handlers. From each
 * node's journal, against the time of the cut: SessionLost{suspicion-timeout} (the node stops
 * believing in its session), TeardownStepStarted{runner} (every handler's AbortSignal fires there)
 * and the runner step's end (its reports written or given up). As ratios to the session timeout:
 * all must come before the server could expire the session and another node take over (< 1).
 */
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import type { DomainEvent } from '../src/domain/event.ts';
import type { ZooKeeperCluster } from '../src/infra/zookeeper-server/index.ts';
import { pollUntil } from '../src/infra/zookeeper-server/poll.ts';
import type { Cleanup } from './support/cleanup.ts';
import { ms, type Row, type Section } from './support/report.ts';
import { clusterView, readNodeJournal, startCluster, submitBatch } from './support/taskd-cluster.ts';

export interface NodeFencing {
  readonly node: string;
  /** SessionSuspended: the client judged the connection dead (silence past its read timeout). */
  readonly suspendedMs: number | null;
  readonly sessionLostMs: number | null;
  readonly abortedMs: number | null;
  readonly runnerStepEndedMs: number | null;
  readonly runnerStepOutcome: string | null;
}

export interface FencingFigures {
  readonly sessionTimeoutMs: number;
  readonly suspicionFraction: number;
  readonly nodes: readonly NodeFencing[];
}

const SUSPICION_FRACTION = 0.6;

/** Cuts every node from ZooKeeper at once; the ensemble is resumed before this returns. */
export async function measureFencing(
  parent: Cleanup,
  zk: ZooKeeperCluster,
  sessionTimeoutMs = 2_000,
): Promise<Section & { figures: FencingFigures }> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, { zk: zk.connectString, size: 3, sessionTimeoutMs });
    const { nodes } = cluster;
    await submitBatch(
      nodes[0] as NodeProcess,
      Array.from({ length: 6 }, () => ({ type: 'sleep', payload: { ms: 60_000 } })),
    );
    await pollUntil(
      async () => ((await clusterView(nodes[0] as NodeProcess))?.members ?? []).every((m) => m.running > 0),
      { timeoutMs: 20_000, intervalMs: 50, what: 'a running handler on every node' },
    );
    const cutAt = Date.now();
    const resume = cleanup.add(() => Promise.all(zk.servers.map((server) => server.resume())));
    await Promise.all(zk.servers.map((server) => server.pause()));
    const journals = async () => Promise.all(nodes.map((node) => readNodeJournal(node)));
    const after = (events: DomainEvent[], type: string, step?: string) =>
      events.find(
        (e) =>
          e.type === type &&
          e.meta.at >= cutAt &&
          (step === undefined || (e.data as { step?: string }).step === step),
      );
    const runnerEnd = (events: DomainEvent[]) =>
      after(events, 'TeardownStepCompleted', 'runner') ?? after(events, 'TeardownStepFailed', 'runner');
    await pollUntil(async () => (await journals()).every((events) => runnerEnd(events) !== undefined), {
      timeoutMs: 15_000 + 3 * sessionTimeoutMs,
      intervalMs: 50,
      what: 'every node to abort its handlers after the cut',
    }).catch(() => undefined);
    const read = await journals();
    await resume();
    const since = (event: DomainEvent | undefined) => (event === undefined ? null : event.meta.at - cutAt);
    const figures: FencingFigures = {
      sessionTimeoutMs,
      suspicionFraction: SUSPICION_FRACTION,
      nodes: read.map((events, i) => {
        const lost = events.find(
          (e) =>
            e.type === 'SessionLost' &&
            e.meta.at >= cutAt &&
            (e.data as { reason?: string }).reason === 'suspicion-timeout',
        );
        const end = runnerEnd(events);
        return {
          node: (nodes[i] as NodeProcess).options.nodeId,
          suspendedMs: since(after(events, 'SessionSuspended')),
          sessionLostMs: since(lost),
          abortedMs: since(after(events, 'TeardownStepStarted', 'runner')),
          runnerStepEndedMs: since(end),
          runnerStepOutcome: end === undefined ? null : end.type,
        };
      }),
    };
    return { name: 'fencing', rows: rows(figures), raw: figures, figures };
  } finally {
    await cleanup.run();
  }
}

function rows(f: FencingFigures): Row[] {
  const worst = (pick: (n: NodeFencing) => number | null) => {
    const values = f.nodes.map(pick);
    return values.some((v) => v === null) ? null : Math.max(...(values as number[]));
  };
  const row = (what: string, value: number | null, aim?: number): Row => ({
    measure: `fencing: ZooKeeper cut → ${what} (worst of 3 nodes)`,
    taskd: value === null ? 'not observed' : ms(value),
    reference: `session timeout ${f.sessionTimeoutMs} ms`,
    ...(value === null ? {} : { ratio: value / f.sessionTimeoutMs }),
    ...(aim === undefined
      ? {}
      : { aim: `< ${aim} × timeout`, met: value !== null && value < aim * f.sessionTimeoutMs }),
  });
  const outcomes = [...new Set(f.nodes.map((n) => n.runnerStepOutcome ?? 'none'))].join(', ');
  const suspended = worst((n) => n.suspendedMs);
  return [
    {
      ...row(
        'SessionLost{suspicion-timeout}',
        worst((n) => n.sessionLostMs),
      ),
      note: `the cut is SIGSTOP of every ZooKeeper server; each client judged its connection dead (SessionSuspended) ${suspended === null ? 'at an unobserved time' : `${ms(suspended)} after the cut`}, its suspicion deadline ran ${f.suspicionFraction} × timeout from the last reply it had heard`,
    },
    row(
      'handlers aborted (TeardownStepStarted{runner})',
      worst((n) => n.abortedMs),
      0.7,
    ),
    {
      ...row(
        'runner step ended',
        worst((n) => n.runnerStepEndedMs),
      ),
      note: `as ${outcomes}: after a lost session the step waits for the aborted handlers to return, not for their reports (the paused ensemble cannot take them)`,
    },
  ];
}
