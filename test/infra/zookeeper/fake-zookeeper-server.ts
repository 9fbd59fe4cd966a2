/**
 * A tiny TCP server on loopback that speaks just enough of ZooKeeper's wire protocol to accept a
 * session, then does what a test scripts: send a malformed frame, answer a request with nonsense.
 * Only for protocol-error tests: a real server never misbehaves on demand.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** How one connection behaves; `index` counts connections from 0. */
export interface ConnectionScript {
  /** Accept the connection but never answer the handshake (like a paused server). */
  readonly silent?: boolean;
  /** Raw bytes sent right after the connect response. */
  readonly afterConnect?: Buffer;
  /** The raw reply to a request (null: no reply). Pings get a well-formed reply by default. */
  readonly onRequest?: (xid: number, type: number) => Buffer | null;
}

export interface FakeZooKeeper {
  readonly connectString: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const PING_OPCODE = 11;
export const FAKE_SESSION_ID = Buffer.from('0102030405060708', 'hex');

/** A length-prefixed frame. */
export function frame(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

/** ReplyHeader: xid int, zxid long, err int (with no payload). */
export function replyHeader(xid: number, err: number): Buffer {
  const body = Buffer.alloc(16);
  body.writeInt32BE(xid, 0);
  body.writeBigInt64BE(1n, 4);
  body.writeInt32BE(err, 12);
  return frame(body);
}

/** ConnectResponse: protocolVersion int, timeOut int, sessionId long, passwd buffer. */
function connectResponse(timeoutMs: number): Buffer {
  const body = Buffer.alloc(4 + 4 + 8 + 4 + 16);
  body.writeInt32BE(0, 0);
  body.writeInt32BE(timeoutMs, 4);
  FAKE_SESSION_ID.copy(body, 8);
  body.writeInt32BE(16, 16);
  return frame(body);
}

/** Starts the fake server on 127.0.0.1 with a random port. */
export async function startFakeZooKeeper(
  script: (index: number) => ConnectionScript,
  options: { sessionTimeoutMs?: number } = {},
): Promise<FakeZooKeeper> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    const behaviour = script(accepted++);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let handshakeDone = false;
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const body = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + body.length);
        if (behaviour.silent) return;
        if (!handshakeDone) {
          handshakeDone = true;
          socket.write(connectResponse(options.sessionTimeoutMs ?? 2_000));
          if (behaviour.afterConnect) socket.write(behaviour.afterConnect);
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        const reply = behaviour.onRequest?.(xid, type) ?? (type === PING_OPCODE ? replyHeader(xid, 0) : null);
        if (reply) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake ZooKeeper has no TCP address');
  return {
    connectString: `127.0.0.1:${address.port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
