/**
 * A stream's head znode: `{"v":1,"length":5}`, the number of events the stream holds. Its znode
 * version is what appends fence on: every append sets the data with the version it read, in the
 * same multi that creates the batch, so two appends can never both start from the same head.
 * (The data, not the version, gives the revision: the version counts appends, not events.)
 */
import { z } from 'zod';
import type { NodeData } from '../../zookeeper/index.ts';

const headSchema = z.object({ v: z.literal(1), length: z.number().int().positive() });

/** A head as read: its version, and its length unless the data is not ours (then undefined). */
export interface StreamHead {
  readonly version: number;
  readonly length: number | undefined;
}

/** A head whose length is known: read and understood, or just written. */
export interface KnownHead {
  readonly version: number;
  readonly length: number;
}

/** The head's data for a stream of `length` events. */
export function encodeHead(length: number): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, length }), 'utf8');
}

/** The head of a read znode (null when it does not exist); never throws. */
export function decodeHead(node: NodeData | null): StreamHead | null {
  if (node === null) return null;
  let length: number | undefined;
  try {
    const parsed = headSchema.safeParse(JSON.parse(node.data.toString('utf8')));
    length = parsed.success ? parsed.data.length : undefined;
  } catch {
    length = undefined;
  }
  return { version: node.stat.version, length };
}

/** Streams whose head is remembered; past it the memory starts over (a bound, not a tuning knob). */
const REMEMBERED_HEADS = 10_000;

/**
 * The heads this log last wrote or read, so that an append can go straight to its multi: a head
 * that is stale only costs one failed multi (the version check is what decides, never the cache),
 * after which the head is read again. For a single writer per stream (the dispatcher) an append is
 * then one round trip instead of two.
 */
export class HeadCache {
  private readonly heads = new Map<string, KnownHead | null>();

  /** The remembered head: null for "known absent", undefined for "unknown". */
  get(stream: string): KnownHead | null | undefined {
    return this.heads.get(stream);
  }

  remember(stream: string, head: KnownHead | null): void {
    if (this.heads.size >= REMEMBERED_HEADS && !this.heads.has(stream)) this.heads.clear();
    this.heads.set(stream, head);
  }

  forget(stream: string): void {
    this.heads.delete(stream);
  }
}
