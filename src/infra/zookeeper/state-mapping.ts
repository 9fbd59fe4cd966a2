/**
 * From the library's numeric connection states to the session states callers see, and which
 * changes are worth publishing. Pure.
 *
 * Read-only: CONNECTED_READ_ONLY maps to 'connected-read-only', but node-zookeeper-client 1.1.3 never
 * asks for a read-only connection (its connect request has no readOnly flag), so a server that lost
 * its quorum refuses the client instead and the session stays 'disconnected'/'connecting'.
 */
import { CM_STATE } from './connection-manager.ts';
import type { SessionStateName } from './types.ts';

/** The session state for a library state; null for states callers never see (CLOSING). */
export function sessionStateNameOf(libraryState: number): SessionStateName | null {
  switch (libraryState) {
    case CM_STATE.DISCONNECTED:
      return 'disconnected';
    case CM_STATE.CONNECTING:
      return 'connecting';
    case CM_STATE.CONNECTED:
      return 'connected';
    case CM_STATE.CONNECTED_READ_ONLY:
      return 'connected-read-only';
    case CM_STATE.CLOSED:
      return 'closed';
    case CM_STATE.SESSION_EXPIRED:
      return 'expired';
    case CM_STATE.AUTHENTICATION_FAILED:
      return 'auth-failed';
    default:
      return null;
  }
}

/** After these the session is dead and publishes nothing more. */
export function isTerminal(state: SessionStateName): boolean {
  return state === 'expired' || state === 'auth-failed' || state === 'closed';
}

/**
 * Should `next` be published after `last`? While the server is unreachable the library cycles
 * disconnected → connecting → disconnected … once per attempt; an outage is published as one
 * 'disconnected' (when a connection is lost) and one 'connecting' (the first attempt after it).
 * Attempts before the first connection stay 'connecting'.
 */
export function shouldPublish(next: SessionStateName, last: SessionStateName): boolean {
  if (isTerminal(last)) return false;
  switch (next) {
    case 'disconnected':
      return last === 'connected' || last === 'connected-read-only';
    case 'connecting':
      return last === 'disconnected';
    case 'connected':
    case 'connected-read-only':
      return next !== last;
    case 'expired':
    case 'auth-failed':
    case 'closed':
      return true;
    default: {
      const exhaustive: never = next;
      return exhaustive;
    }
  }
}
