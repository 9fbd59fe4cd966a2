/**
 * The ZooKeeper session as the node sees it: connecting → connected ⇄ suspended → lost → closed.
 * A disconnect starts a local suspicion deadline (a fraction of the negotiated timeout); a reconnect
 * with the same session before it returns to connected and changes nothing else (seed 001, second
 * case); once the deadline passes the node treats the session as lost, before the server expires it.
 */
import { assertNever } from '../event.ts';
import { rejected } from './anomaly.ts';
import type { SessionEvent, SessionLossReason, SessionLost } from './events.ts';
import { recordEvent } from './meta.ts';
import { type NodeState, nextState, type SessionState } from './state.ts';

/** What the ZooKeeper adapter reports, before it becomes a journal event. */
export type SessionSignal =
  | { readonly kind: 'connecting'; readonly connectString: string }
  | {
      readonly kind: 'connected';
      readonly sessionId: string;
      readonly negotiatedTimeoutMs: number;
      readonly server: string;
    }
  | { readonly kind: 'disconnected'; readonly lastHeardAt?: number }
  | { readonly kind: 'lost'; readonly reason: Exclude<SessionLossReason, 'suspicion-timeout'> }
  | { readonly kind: 'closed' };

/** The journal events for an adapter signal; a disconnect carries the suspicion deadline. */
export function decideSessionSignal(
  input: { readonly now: number; readonly signal: SessionSignal },
  state: NodeState,
): readonly SessionEvent[] {
  const { now, signal } = input;
  switch (signal.kind) {
    case 'connecting':
      return [recordEvent(state, now, 'SessionConnecting', { connectString: signal.connectString })];
    case 'connected': {
      const { sessionId, negotiatedTimeoutMs, server } = signal;
      return [recordEvent(state, now, 'SessionConnected', { sessionId, negotiatedTimeoutMs, server })];
    }
    case 'disconnected': {
      // Without an established session there is nothing to suspect; a repeated disconnect must not
      // push the first deadline back.
      if (state.session.status !== 'connected') return [];
      const suspicionMs = Math.round(
        state.config.session.suspicionFraction * state.session.negotiatedTimeoutMs,
      );
      // The server counts its timeout from the last time it heard from this node, which is no
      // earlier than this node last heard from it: the deadline runs from that reply, not from the
      // moment the silence was noticed, so the node fences itself before anyone can take over.
      const heard = signal.lastHeardAt;
      if (heard === undefined || heard >= now) {
        return [recordEvent(state, now, 'SessionSuspended', { suspicionMs, deadline: now + suspicionMs })];
      }
      const deadline = heard + suspicionMs;
      return [recordEvent(state, now, 'SessionSuspended', { suspicionMs, deadline, lastHeardAt: heard })];
    }
    case 'lost':
      return [recordEvent(state, now, 'SessionLost', { reason: signal.reason })];
    case 'closed':
      return [recordEvent(state, now, 'SessionClosed', {})];
    default:
      return assertNever(signal);
  }
}

/** SessionLost{suspicion-timeout} once the suspicion deadline has passed while still suspended. */
export function decideSessionTimer(
  input: { readonly now: number },
  state: NodeState,
): readonly SessionLost[] {
  if (state.session.status !== 'suspended' || input.now < state.session.deadline) return [];
  return [recordEvent(state, input.now, 'SessionLost', { reason: 'suspicion-timeout' })];
}

/** Is the session usable right now (not suspended, lost or closed)? */
export function isSessionConnected(state: NodeState): boolean {
  return state.session.status === 'connected';
}

/** Folds a session event. */
export function evolveSession(state: NodeState, event: SessionEvent): NodeState {
  const session = state.session;
  if (session.status === 'closed') {
    return event.type === 'SessionClosed'
      ? rejected(state, event, 'session-closed-twice', 'the ZooKeeper session was already closed')
      : rejected(state, event, 'session-event-after-close', `${event.type} after the session was closed`);
  }
  const at = event.meta.at;
  switch (event.type) {
    case 'SessionConnecting':
      if (session.status === 'idle')
        return withSession(state, { status: 'connecting', ...event.data, since: at });
      if (session.status === 'connecting') {
        if (session.connectString === event.data.connectString) return state;
        return withSession(state, { ...session, connectString: event.data.connectString });
      }
      if (session.status === 'suspended') return state; // the client trying another ensemble member
      if (session.status === 'connected') {
        return rejected(
          state,
          event,
          'connecting-while-connected',
          'connecting reported without a disconnect',
        );
      }
      return rejected(state, event, 'session-event-after-loss', 'connecting after the session was lost');
    case 'SessionConnected': {
      const live = { status: 'connected', ...event.data, since: at } as const;
      if (session.status === 'idle' || session.status === 'connecting') return withSession(state, live);
      if (session.status === 'lost') {
        return rejected(state, event, 'session-event-after-loss', 'connected after the session was lost');
      }
      if (session.sessionId !== event.data.sessionId) {
        const message = `session ${session.sessionId} replaced by ${event.data.sessionId} without a loss`;
        return rejected(state, event, 'session-replaced', message);
      }
      if (session.status === 'connected' && sameLive(session, event.data)) return state;
      return withSession(state, live);
    }
    case 'SessionSuspended':
      if (session.status !== 'connected') return state; // nothing to suspect, or already suspected
      return withSession(state, { ...session, status: 'suspended', deadline: event.data.deadline });
    case 'SessionLost':
      if (session.status === 'lost') return state;
      return endSession(state, {
        status: 'lost',
        reason: event.data.reason,
        sessionId: 'sessionId' in session ? session.sessionId : null,
        at,
      });
    case 'SessionClosed': {
      const closed = endSession(state, { status: 'closed', at });
      if (state.lifecycle.status !== 'running') return closed;
      return rejected(
        closed,
        event,
        'session-closed-outside-teardown',
        'the session was closed outside a teardown',
      );
    }
    default:
      return assertNever(event);
  }
}

function withSession(state: NodeState, session: SessionState): NodeState {
  return nextState(state, { session });
}

/** Without a session, the node is out of the election and its watches' views are void. */
function endSession(state: NodeState, session: SessionState): NodeState {
  return nextState(state, {
    session,
    role: { status: 'outside' },
    leader: { node: null, epoch: null },
    members: {},
    fitPeersSince: null,
  });
}

function sameLive(
  a: { readonly negotiatedTimeoutMs: number; readonly server: string },
  b: { readonly negotiatedTimeoutMs: number; readonly server: string },
): boolean {
  return a.negotiatedTimeoutMs === b.negotiatedTimeoutMs && a.server === b.server;
}
