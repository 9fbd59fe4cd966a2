/**
 * The secondary network as the seed's chunk server judged it: valid while at least one peer answers a
 * TCP connect, invalid only when EVERY peer is unreachable (seed 002). With no peers (a single node)
 * there is nobody to lose, so it is valid. One round per interval; a slow round is never overlapped.
 */
import {
  asyncScheduler,
  exhaustMap,
  forkJoin,
  map,
  type Observable,
  of,
  type SchedulerLike,
  timeout,
  timer,
} from 'rxjs';
import type { HealthCheck } from './health-check.ts';
import { type HostPort, parseHostPort } from './host-port.ts';
import { type PeerReach, type TcpConnect, tcpConnect$ } from './tcp-connect.ts';

export interface PeerProbeOptions {
  /** `host:port` of the other nodes' endpoints on the secondary network. */
  readonly peers: readonly string[];
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** The probe's name in HealthChecked; default `peers`. */
  readonly probe?: string;
}

export interface PeerProbeDeps {
  readonly scheduler?: SchedulerLike;
  /** Default: a real TCP connect. */
  readonly connect?: TcpConnect;
}

/** Emits one HealthCheck per interval (the first at once) until unsubscribed. */
export function peerProbe$(options: PeerProbeOptions, deps: PeerProbeDeps = {}): Observable<HealthCheck> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const connect = deps.connect ?? tcpConnect$;
  const probe = options.probe ?? 'peers';
  const peers = options.peers.map(parseHostPort);
  const round$: Observable<HealthCheck> =
    peers.length === 0
      ? of({ probe, ok: true, detail: 'no peers configured (single node): valid' })
      : forkJoin(peers.map((peer) => connect(peer).pipe(within(peer, options.timeoutMs, scheduler)))).pipe(
          map((reaches) => judge(probe, reaches)),
        );
  return timer(0, options.intervalMs, scheduler).pipe(exhaustMap(() => round$));
}

/** A peer that has not answered within `timeoutMs` is unreachable (its connect is torn down). */
function within(peer: HostPort, timeoutMs: number, scheduler: SchedulerLike) {
  return timeout<PeerReach, Observable<PeerReach>>({
    first: timeoutMs,
    with: () => of({ peer: peer.label, ok: false, reason: `no answer within ${timeoutMs} ms` }),
    scheduler,
  });
}

function judge(probe: string, reaches: readonly PeerReach[]): HealthCheck {
  const reachable = reaches.filter((reach) => reach.ok).length;
  const unreachable = reaches.flatMap((reach) => (reach.ok ? [] : [`${reach.peer} (${reach.reason})`]));
  const count = `${reachable}/${reaches.length} peers reachable`;
  if (reachable === 0)
    return { probe, ok: false, detail: `${count}: every peer is unreachable: ${unreachable.join(', ')}` };
  const rest = unreachable.length === 0 ? '' : `; unreachable: ${unreachable.join(', ')}`;
  return { probe, ok: true, detail: `${count}${rest}` };
}
