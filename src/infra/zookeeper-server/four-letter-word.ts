import { connect } from 'node:net';
import { ErrorCodes, TaskdError } from '../../errors.ts';

/** What `srvr` reports; null when the server does not answer or is not serving (no quorum). */
export type ZooKeeperMode = 'standalone' | 'leader' | 'follower' | 'observer';

/**
 * Sends a four-letter word (`ruok`, `srvr`, `cons`, `mntr`, ...) and returns the whole answer.
 * Rejects with ZK_TIMEOUT when no full answer comes within `timeoutMs` (a paused server accepts
 * the connection but never answers) and with ZK_CONNECTION_LOSS when the connection fails.
 */
export function fourLetterWord(
  host: string,
  port: number,
  command: string,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new TaskdError(
          ErrorCodes.ZK_TIMEOUT,
          `no answer to '${command}' from ${host}:${port} in ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    socket.on('connect', () => socket.end(command));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new TaskdError(
          ErrorCodes.ZK_CONNECTION_LOSS,
          `'${command}' to ${host}:${port} failed: ${error.message}`,
          {},
          {
            cause: error,
          },
        ),
      );
    });
  });
}

/** Reads the `Mode:` line of a `srvr` answer. */
export function modeOf(srvrAnswer: string): ZooKeeperMode | null {
  const mode = /^Mode: (\w+)/m.exec(srvrAnswer)?.[1];
  return mode === 'standalone' || mode === 'leader' || mode === 'follower' || mode === 'observer'
    ? mode
    : null;
}
