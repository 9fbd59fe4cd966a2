/**
 * Peers are written `host:port` (`[fd00::1]:7000` for IPv6). Parsed once, when a probe is built, so a
 * malformed peer is a configuration error at start, not a failed check every interval.
 */
import { ErrorCodes, TaskdError } from '../../errors.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
  /** As configured, for details: `10.0.0.2:7000`. */
  readonly label: string;
}

const BRACKETED = /^\[([^\]]+)\]:(\d{1,5})$/;
const PLAIN = /^([^:[\]\s]+):(\d{1,5})$/;

/** Parses `host:port` or `[v6]:port`; throws CONFIG_INVALID naming the peer otherwise. */
export function parseHostPort(peer: string): HostPort {
  const match = BRACKETED.exec(peer) ?? PLAIN.exec(peer);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 1 && port <= 65_535)) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, `peer "${peer}" is not host:port ([v6]:port for IPv6)`, {
      peer,
    });
  }
  return { host: match[1] as string, port, label: peer };
}
