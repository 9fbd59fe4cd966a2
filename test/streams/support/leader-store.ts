/** A node store (in-memory journal, unit level) that leads `epoch` with one member, itself. */
import { defaultNodeConfig, initialState, nodeEvent } from '../../../src/domain/node/index.ts';
import { createNodeStore, type NodeStore } from '../../../src/streams/node-store.ts';
import { healthyMember } from './one-node.ts';

export function leaderStore(node: string, epoch: number, capacity: number): NodeStore {
  const store = createNodeStore({ appendSync: () => undefined }, initialState(defaultNodeConfig(node)));
  const meta = (at: number) => ({ node, incarnation: 1, at });
  store.record([
    nodeEvent('ServicesStarted', { incarnation: 1 }, meta(1)),
    nodeEvent('SessionConnecting', { connectString: 'zk' }, meta(1)),
    nodeEvent('SessionConnected', { sessionId: '1', negotiatedTimeoutMs: 2000, server: 'zk' }, meta(1)),
    nodeEvent('ElectionJoinRequested', { from: 'outside' }, meta(1)),
    nodeEvent('ElectionJoined', { sequence: epoch - 1 }, meta(1)),
    nodeEvent('LeadershipAcquired', { epoch }, meta(1)),
    nodeEvent('MembersObserved', { members: [healthyMember(node, capacity)] }, meta(1)),
  ]);
  return store;
}
