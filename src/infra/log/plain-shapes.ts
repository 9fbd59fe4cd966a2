/**
 * Quick structural checks shared by the file and zookeeper logs' fast decode paths: a value they do
 * not clearly accept goes through the zod schema instead, so error messages stay the schema's.
 */

/** A plain object (not an array, not a class instance). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A number that JSON can carry. */
export function isFiniteNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Event meta of exactly the stored shape: node, incarnation, at, and epoch/causationId when present. */
export function isPlainEventMeta(meta: Record<string, unknown>): boolean {
  const { node, incarnation, epoch, causationId, at } = meta;
  return (
    typeof node === 'string' &&
    isFiniteNumber(incarnation) &&
    isFiniteNumber(at) &&
    (epoch === undefined ? !('epoch' in meta) : isFiniteNumber(epoch)) &&
    (causationId === undefined ? !('causationId' in meta) : typeof causationId === 'string')
  );
}
