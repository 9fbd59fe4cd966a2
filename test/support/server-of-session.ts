import type { ZooKeeperCluster, ZooKeeperServer } from '../../src/infra/zookeeper-server/index.ts';
import { fourLetterWord } from '../../src/infra/zookeeper-server/index.ts';

/** The server a session is connected to now, read from each server's `cons`; undefined if none. */
export async function serverOfSession(
  cluster: ZooKeeperCluster,
  sessionId: Buffer,
): Promise<ZooKeeperServer | undefined> {
  const sid = `sid=0x${BigInt(`0x${sessionId.toString('hex')}`).toString(16)}`;
  const answers = await Promise.all(
    cluster.servers.map((server) =>
      fourLetterWord('127.0.0.1', server.clientPort, 'cons', { timeoutMs: 1_000 }).catch(() => ''),
    ),
  );
  return cluster.servers.find((_, i) => new RegExp(`${sid}[,)]`).test(answers[i] ?? ''));
}
