/**
 * The meta a node stamps on the events it records now: its id, its incarnation and, while it leads,
 * its epoch.
 */
import type { EventMeta } from '../event.ts';
import { type NodeEventData, type NodeEventOf, type NodeEventType, nodeEvent } from './events.ts';
import type { NodeState } from './state.ts';

/** Meta for an event this node records at `now`. */
export function metaFor(state: NodeState, now: number): EventMeta {
  const base = { node: state.config.node, incarnation: state.incarnation, at: now };
  return state.role.status === 'leader' ? { ...base, epoch: state.role.epoch } : base;
}

/** An event this node records at `now`, in its current incarnation. */
export function recordEvent<T extends NodeEventType>(
  state: NodeState,
  now: number,
  type: T,
  data: NodeEventData<T>,
): NodeEventOf<T> {
  return nodeEvent(type, data, metaFor(state, now));
}
