/**
 * Reading a journal line back into a typed node event. Never throws: anything it cannot read is an
 * Anomaly naming where it sits and which field is wrong.
 */
import type { z } from 'zod';
import type { EventLocation } from '../event.ts';
import type { NodeAnomaly, NodeAnomalyKind } from './anomaly.ts';
import type { NodeEvent } from './events.ts';
import {
  eventMetaSchema,
  isNodeEventType,
  nodeEventDataSchemas,
  SUPPORTED_NODE_EVENT_VERSION,
} from './schemas.ts';

export type ParsedNodeEvent =
  | { readonly ok: true; readonly event: NodeEvent }
  | { readonly ok: false; readonly anomaly: NodeAnomaly };

/** A typed node event from untrusted input, or the anomaly that says why not. */
export function parseNodeEvent(raw: unknown, location: EventLocation): ParsedNodeEvent {
  const fail = (kind: NodeAnomalyKind, message: string, eventType?: string): ParsedNodeEvent => ({
    ok: false,
    anomaly: { kind, message, location, ...(eventType === undefined ? {} : { eventType }) },
  });
  if (!isRecord(raw)) return fail('malformed-event', `event: expected an object, got ${describe(raw)}`);
  const { type, version } = raw;
  if (typeof type !== 'string')
    return fail('malformed-event', `type: expected a string, got ${describe(type)}`);
  if (!isNodeEventType(type)) return fail('unknown-event-type', `type: unknown node event "${type}"`, type);
  if (version !== SUPPORTED_NODE_EVENT_VERSION) {
    return fail('unsupported-event-version', `version: ${type} v${describe(version)} is not supported`, type);
  }
  const meta = eventMetaSchema.safeParse(raw.meta);
  if (!meta.success) return fail('malformed-event', `${type}: ${issuesOf(meta.error, 'meta')}`, type);
  const data = nodeEventDataSchemas[type].safeParse(raw.data);
  if (!data.success) return fail('malformed-event', `${type}: ${issuesOf(data.error, 'data')}`, type);
  const event = { type, version: SUPPORTED_NODE_EVENT_VERSION, data: data.data, meta: meta.data };
  return { ok: true, event: event as NodeEvent };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issuesOf(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
