import { connect, type Socket } from 'node:net';

/**
 * Expires a client's session on demand, the way ZooKeeper's own tests do: a second connection
 * presents the same session id and password (the server drops the first client's connection), then
 * sends CloseSession. When the first client reconnects, the server answers that its session expired.
 *
 * node-zookeeper-client has no public way to reattach a session, so this speaks the two jute
 * messages itself. Resolves once the server has closed the session (or had already expired it).
 */
export async function expireSession(
  connectString: string,
  sessionId: Buffer,
  password: Buffer,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const servers = parseHosts(connectString);
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const failures: string[] = [];
  // The first client reconnects at once; if it wins the race, the server drops *our* connection
  // before the close is processed. Then try again (on the next server).
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const server = servers[attempt % servers.length]!;
    const outcome = await closeSessionOnce(server, sessionId, password, deadline - Date.now());
    if (outcome === 'closed' || outcome === 'already-expired') return;
    failures.push(`${server.host}:${server.port}: ${outcome}`);
  }
  throw new Error(
    `could not expire session 0x${sessionId.toString('hex')}: ${failures.slice(-5).join('; ')}`,
  );
}

type Outcome = 'closed' | 'already-expired' | string;

const CLOSE_SESSION_OPCODE = -11;
const CLOSE_XID = 1;

function closeSessionOnce(
  server: { host: string; port: number },
  sessionId: Buffer,
  password: Buffer,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket: Socket = connect(server);
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('no answer in time'), Math.max(timeoutMs, 1));
    let pending = Buffer.alloc(0);
    let connected = false;
    socket.on('connect', () =>
      socket.write(Buffer.concat([connectRequest(sessionId, password), closeRequest()])),
    );
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (pending.length < 4) return;
        const length = pending.readInt32BE(0);
        if (pending.length < 4 + length) return;
        const frame = pending.subarray(4, 4 + length);
        pending = pending.subarray(4 + length);
        if (!connected) {
          // ConnectResponse: protocolVersion int, timeOut int, sessionId long, passwd buffer.
          if (frame.readInt32BE(4) <= 0) return finish('already-expired');
          connected = true;
        } else if (frame.readInt32BE(0) === CLOSE_XID) {
          // ReplyHeader: xid int, zxid long, err int.
          const err = frame.readInt32BE(12);
          return finish(err === 0 ? 'closed' : `CloseSession failed with error ${err}`);
        }
      }
    });
    socket.on('error', (error) => finish(error.message));
    socket.on('close', () => finish('connection closed before the session was closed'));
  });
}

/** ConnectRequest: protocolVersion int, lastZxidSeen long, timeOut int, sessionId long, passwd buffer, readOnly bool. */
function connectRequest(sessionId: Buffer, password: Buffer): Buffer {
  const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + password.length + 1);
  let offset = body.writeInt32BE(0, 0);
  offset = body.writeBigInt64BE(0n, offset);
  offset = body.writeInt32BE(30_000, offset);
  offset += sessionId.copy(body, offset, 0, 8);
  offset = body.writeInt32BE(password.length, offset);
  offset += password.copy(body, offset);
  body.writeUInt8(0, offset);
  return framed(body);
}

/** RequestHeader of a CloseSession: xid int, type int. */
function closeRequest(): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(CLOSE_XID, 0);
  body.writeInt32BE(CLOSE_SESSION_OPCODE, 4);
  return framed(body);
}

function framed(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

/** "h1:p1,h2:p2/chroot" → hosts; the chroot does not matter to a session. */
function parseHosts(connectString: string): { host: string; port: number }[] {
  const hosts = connectString.split('/')[0]!.split(',');
  return hosts.map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host: host || '127.0.0.1', port: Number(port ?? 2181) };
  });
}
