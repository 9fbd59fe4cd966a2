/**
 * One TCP connect as an observable: a single reachability value, then complete. Unsubscribing (the
 * probe's timeout does) destroys the socket, so no half-open connection outlives the probe round.
 */
import { connect } from 'node:net';
import { Observable } from 'rxjs';
import type { HostPort } from './host-port.ts';

export type PeerReach =
  | { readonly peer: string; readonly ok: true }
  | { readonly peer: string; readonly ok: false; readonly reason: string };

/** Connects to `peer`; emits whether it answered, and why not. It may never emit: the caller bounds it. */
export type TcpConnect = (peer: HostPort) => Observable<PeerReach>;

/** The real connect, over node:net. */
export const tcpConnect$: TcpConnect = (peer) =>
  new Observable<PeerReach>((subscriber) => {
    const socket = connect({ host: peer.host, port: peer.port });
    socket.once('connect', () => {
      subscriber.next({ peer: peer.label, ok: true });
      subscriber.complete();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      subscriber.next({ peer: peer.label, ok: false, reason: error.code ?? error.message });
      subscriber.complete();
    });
    return () => socket.destroy();
  });
