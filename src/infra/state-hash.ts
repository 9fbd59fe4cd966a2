/**
 * The hash of a state, as StateCheckpoint journals it and replay checks it: sha256 of the canonical
 * JSON (keys sorted at every level), first 16 hex digits.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/node/snapshot.ts';

/** A short, stable hash of any plain state. */
export function stateHash(state: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalJson(state)))
    .digest('hex')
    .slice(0, 16);
}
