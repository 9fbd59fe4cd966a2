/**
 * An in-process node for integration tests of the streams: a real journal in a temporary folder, a
 * real ZooKeeper session, the quorum streams and the teardown; no runner or dispatcher yet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, Subject } from 'rxjs';
import {
  defaultNodeConfig,
  fold,
  initialState,
  type NodeEvent,
  type NodeState,
} from '../../../src/domain/node/index.ts';
import { openNodeJournal } from '../../../src/infra/journal/node-journal.ts';
import { readJournal } from '../../../src/infra/journal/read-journal.ts';
import { createZooKeeperSession, type ZooKeeperSession } from '../../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../../src/streams/cluster-paths.ts';
import { type IncarnationEnd, runIncarnation } from '../../../src/streams/incarnation.ts';
import { createNodeStore, type NodeStore } from '../../../src/streams/node-store.ts';
import type { ShutdownTriggerInput } from '../../../src/streams/teardown.ts';

export const SESSION_TIMEOUT_MS = 2_000;

export interface QuorumNode {
  readonly name: string;
  readonly store: NodeStore;
  readonly session: ZooKeeperSession;
  readonly ended: Promise<IncarnationEnd>;
  readonly triggers: Subject<ShutdownTriggerInput>;
  readonly journalDir: string;
  /** Requests a stop and waits for the teardown to finish. */
  stop(): Promise<IncarnationEnd>;
  /** Closes the journal (the process owns it beyond the incarnation, as the daemon will). */
  closeJournal(): void;
}

/** Starts one node of `cluster` against `connectString`. */
export function startQuorumNode(name: string, cluster: string, connectString: string): QuorumNode {
  const journalDir = mkdtempSync(join(tmpdir(), `taskd-${name}-`));
  const journal = openNodeJournal({ dir: journalDir, node: name });
  const config = { ...defaultNodeConfig(name), health: { rise: 1, fall: 1 } };
  const store = createNodeStore({ appendSync: (event) => journal.appendSync(event) }, initialState(config));
  const triggers = new Subject<ShutdownTriggerInput>();
  const { session, ended } = runIncarnation({
    store,
    scheduler: asyncScheduler,
    createSession: createZooKeeperSession,
    zk: { connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, requestTimeoutMs: 1_500 },
    paths: clusterPaths(cluster),
    self: { node: name, address: `127.0.0.1:0`, priority: 100, capacity: 1, prefetch: 0 },
    stepTimeoutMs: 5_000,
    reviewIntervalMs: 200,
    triggers$: triggers,
  });
  return {
    name,
    store,
    session,
    ended,
    triggers,
    journalDir,
    stop: () => {
      triggers.next({ trigger: 'SIGTERM' });
      return ended;
    },
    closeJournal: () => journal.close(),
  };
}

/** The node's state rebuilt from its journal file alone, as `taskd replay` will. */
export async function replayJournal(node: QuorumNode): Promise<NodeState> {
  const events: NodeEvent[] = [];
  for await (const item of readJournal(node.journalDir)) {
    if (item.kind === 'entry') events.push(item.event as NodeEvent);
  }
  return fold(initialState(node.store.current().config), events);
}

/** The journal's events, in order. */
export async function journalEvents(node: QuorumNode): Promise<NodeEvent[]> {
  const events: NodeEvent[] = [];
  for await (const item of readJournal(node.journalDir))
    if (item.kind === 'entry') events.push(item.event as NodeEvent);
  return events;
}

/** The journal's event types, in order. */
export async function journalTypes(node: QuorumNode): Promise<string[]> {
  const types: string[] = [];
  for await (const item of readJournal(node.journalDir))
    if (item.kind === 'entry') types.push(item.event.type);
  return types;
}
