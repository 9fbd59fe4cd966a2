import {
  defaultNodeConfig,
  initialState,
  type NodeEvent,
  type NodeState,
  nodeEvent,
} from '../../src/domain/node/index.ts';
import { createNodeStore, type NodeStore } from '../../src/streams/node-store.ts';

/** A store over an in-memory journal (unit tests only), and that journal. */
export function memoryStore(initial: NodeState = initialState(defaultNodeConfig('n1'))): {
  store: NodeStore;
  journal: NodeEvent[];
} {
  const journal: NodeEvent[] = [];
  const store = createNodeStore({ appendSync: (event) => journal.push(event) }, initial);
  return { store, journal };
}

const meta = (at: number) => ({ node: 'n1', incarnation: 1, at });

/** A node that started its services and holds a connected session with this timeout. */
export function runningStore(negotiatedTimeoutMs = 1_000) {
  const fixture = memoryStore();
  fixture.store.record([
    nodeEvent('ServicesStarted', { incarnation: 1 }, meta(0)),
    nodeEvent('SessionConnecting', { connectString: 'zk:2181' }, meta(0)),
    nodeEvent('SessionConnected', { sessionId: '01', negotiatedTimeoutMs, server: 'zk:2181' }, meta(0)),
  ]);
  fixture.journal.length = 0;
  return fixture;
}
