/**
 * The journals bench/replay.ts replays: three nodes, realistic but cheap to write. Health checks,
 * member views with changing load, a leader change and a suspended-then-reconnected session now and
 * then, all folding cleanly. Lines are written with the journal's own checksummed encoding.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent } from '../src/domain/event.ts';
import { encodeChecksummedLine } from '../src/infra/log/file/checksummed-line.ts';

const NODES = ['bench-1', 'bench-2', 'bench-3'] as const;
const START = Date.UTC(2024, 0, 1);
const STEP_MS = 10;

/** One node's events, `count` of them, in journal order. */
function* nodeEvents(node: string, count: number, offset: number): Generator<DomainEvent> {
  let incarnation = 0;
  let at = START + offset;
  let emitted = 0;
  const event = (type: string, data: unknown): DomainEvent => {
    at += STEP_MS;
    emitted += 1;
    return { type, version: 1, data, meta: { node, incarnation, at } };
  };
  yield event('ProcessStarted', { pid: 4242, version: 'bench' });
  incarnation = 1;
  yield event('ServicesStarted', { incarnation });
  yield event('SessionConnecting', { connectString: 'zk1:2181,zk2:2181,zk3:2181' });
  yield event('SessionConnected', { sessionId: `0x${node}`, negotiatedTimeoutMs: 6_000, server: 'zk1:2181' });
  yield event('ElectionJoinRequested', { from: 'outside' });
  yield event('ElectionJoined', { sequence: NODES.indexOf(node as (typeof NODES)[number]) + 1 });
  let epoch = 0;
  for (let round = 0; emitted < count; round++) {
    if (round % 50 === 0) {
      epoch += 1;
      yield event('LeaderObserved', { leader: NODES[epoch % NODES.length], epoch });
    }
    if (round % 200 === 199) {
      yield event('SessionSuspended', { suspicionMs: 3_600, deadline: at + 3_600 });
      yield event('SessionConnected', {
        sessionId: `0x${node}`,
        negotiatedTimeoutMs: 6_000,
        server: 'zk2:2181',
      });
      // A reconnect clears the session's watches' views until they fire again.
    }
    const members = NODES.map((member, i) => ({
      node: member,
      incarnation: 1,
      address: `${member}:7070`,
      priority: i,
      health: 'healthy',
      draining: false,
      capacity: 4,
      load: (round + i) % 5,
    }));
    yield event('MembersObserved', { members });
    for (let i = 0; i < 8 && emitted < count; i++) {
      yield event('HealthChecked', { probe: 'secondary-network', ok: true, detail: 'peers reachable' });
    }
  }
}

/** Writes `total` events, spread over the three nodes' journals, into `dir`. */
export async function writeJournals(dir: string, total: number): Promise<void> {
  const perNode = Math.ceil(total / NODES.length);
  for (const [i, node] of NODES.entries()) {
    const out = createWriteStream(join(dir, `journal-${node}.jsonl`));
    let seq = 0;
    let chunk: Buffer[] = [];
    for (const event of nodeEvents(node, perNode, i * 3)) {
      seq += 1;
      chunk.push(encodeChecksummedLine({ seq, ...event }));
      if (chunk.length >= 4_096) {
        if (!out.write(Buffer.concat(chunk))) await once(out, 'drain');
        chunk = [];
      }
    }
    out.end(Buffer.concat(chunk));
    await once(out, 'finish');
  }
}
