/**
 * Compaction snapshots: the events a caller keeps from before the compaction point, as read back
 * (stream, revision and position included), stored in chunks under one snapshot znode:
 *
 *   snapshots/snap-<sequence>                 {"v":1,"upTo":12999999,"events":40}
 *   snapshots/snap-<sequence>/chunk-0000      {"v":1,"events":[<LoggedEvent>, …]}
 *
 * and the pointer znode `snapshot`, which names the current one:
 *
 *   {"v":1,"snapshot":"snap-0000000003","upTo":12999999,"cutSequence":12,"chunks":2}
 *
 * Everything at or below `upTo` (= the end of batch `cutSequence`) is read from the snapshot;
 * batches above `cutSequence` are read from the events. Empty pointer data means no snapshot yet.
 */
import { z } from 'zod';
import type { NodeData } from '../../zookeeper/index.ts';
import type { LoggedEvent } from '../port.ts';

/** Largest chunk's data: under jute.maxbuffer with room for the request around it. */
export const MAX_CHUNK_BYTES = 900_000;

const loggedEventSchema = z.object({
  id: z.string().min(1),
  stream: z.string().min(1),
  revision: z.number().int().nonnegative(),
  position: z.number().int().positive(),
  type: z.string(),
  version: z.number(),
  data: z.unknown(),
  meta: z.looseObject({ node: z.string(), incarnation: z.number(), at: z.number() }),
});

const chunkSchema = z.object({ v: z.literal(1), events: z.array(loggedEventSchema) });

const pointerSchema = z.object({
  v: z.literal(1),
  snapshot: z.string().regex(/^snap-\d{10}$/),
  upTo: z.number().int().positive(),
  cutSequence: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});

/** Which snapshot is current and what it covers. */
export type SnapshotRef = z.infer<typeof pointerSchema>;

/** The pointer as read: its znode version (-1: absent) and the snapshot, if there is a valid one. */
export interface SnapshotPointer {
  readonly version: number;
  readonly ref: SnapshotRef | undefined;
  /** Set when the data is neither empty nor a pointer. */
  readonly problem?: string;
}

/** The pointer's data naming `ref`. */
export function encodePointer(ref: SnapshotRef): Buffer {
  return Buffer.from(JSON.stringify(ref), 'utf8');
}

/** The pointer of a read znode; never throws. */
export function decodePointer(node: NodeData | null): SnapshotPointer {
  if (node === null) return { version: -1, ref: undefined };
  const { version } = node.stat;
  if (node.data.length === 0) return { version, ref: undefined };
  const parsed = pointerSchema.safeParse(parseJson(node.data));
  if (parsed.success) return { version, ref: parsed.data };
  return { version, ref: undefined, problem: 'the snapshot pointer is not JSON of the expected shape' };
}

/** The snapshot znode's own data (for people reading the tree). */
export function encodeSnapshotHeader(upTo: number, events: number): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, upTo, events }), 'utf8');
}

/** The chunks' data for `events` (in position order), each at most MAX_CHUNK_BYTES when it can be. */
export function encodeChunks(events: readonly LoggedEvent[]): Buffer[] {
  const chunks: Buffer[] = [];
  let current: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    chunks.push(Buffer.from(`{"v":1,"events":[${current.join(',')}]}`, 'utf8'));
    current = [];
    bytes = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = Buffer.byteLength(json, 'utf8') + 1;
    if (current.length > 0 && bytes + size > MAX_CHUNK_BYTES - 32) flush();
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) flush();
  return chunks;
}

/** A chunk's events, or why it cannot be read; never throws. */
export function decodeChunk(
  data: Buffer,
): { readonly ok: true; readonly events: LoggedEvent[] } | { readonly ok: false; readonly message: string } {
  const parsed = chunkSchema.safeParse(parseJson(data));
  if (parsed.success) return { ok: true, events: parsed.data.events };
  return { ok: false, message: 'the snapshot chunk is not JSON of the expected shape' };
}

/** Checks a caller's snapshot event has the shape of a logged event. */
export function isLoggedEvent(value: unknown): value is LoggedEvent {
  return loggedEventSchema.safeParse(value).success;
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}
