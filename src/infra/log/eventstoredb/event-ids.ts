/**
 * Event ids between the port (any string) and EventStoreDB (a UUID per event).
 *
 * A canonical lowercase UUID is used as is. Any other id is hashed into a name-based UUID (RFC 9562
 * version 5) and also kept in the stored envelope so that it reads back exactly. Hashing, not a random
 * UUID, keeps EventStoreDB's idempotent appends working: retrying an append whose reply was lost
 * sends the same UUIDs, and the server does not write the events twice.
 */
import { createHash, randomUUID } from 'node:crypto';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Fixed namespace for taskd's name-based event UUIDs: changing it would change every derived id. */
const TASKD_EVENT_NAMESPACE = Buffer.from('3d0c6b2e8f4a4f1b9c7e5a2d1b6f0e93', 'hex');

export interface EsdbEventId {
  /** The UUID EventStoreDB stores. */
  readonly uuid: string;
  /** The caller's id when it is not that UUID (kept in the envelope), else undefined. */
  readonly original: string | undefined;
}

/** The UUID to store for an event with this (optional) port id. */
export function toEsdbEventId(id: string | undefined): EsdbEventId {
  if (id === undefined) return { uuid: randomUUID(), original: undefined };
  if (CANONICAL_UUID.test(id)) return { uuid: id, original: undefined };
  return { uuid: nameBasedUuid(id), original: id };
}

/** RFC 9562 version-5 UUID of `name` in taskd's namespace. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1')
    .update(TASKD_EVENT_NAMESPACE)
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
