/**
 * Where an event sits, in words a reader can act on: `journal-n1.jsonl:42 (offset 5120)` for a
 * journal line, `tasks.log.jsonl dispatch@3 (position 12)` for a task-log event.
 */
import type { EventLocation } from '../../domain/event.ts';

/** A location as one short phrase. */
export function formatLocation(location: EventLocation | undefined): string {
  if (location === undefined) return 'unknown location';
  const source = location.source ?? '';
  if (location.stream !== undefined) {
    const revision = location.revision === undefined ? '' : `@${location.revision}`;
    const position = location.position === undefined ? '' : ` (position ${location.position})`;
    return `${source} ${location.stream}${revision}${position}`.trim();
  }
  const line = location.line === undefined ? '' : `:${location.line}`;
  const offset = location.offset === undefined ? '' : ` (offset ${location.offset})`;
  return `${source}${line}${offset}` || 'unknown location';
}
