/**
 * Reading a journal line back into a typed node event. Never throws: anything it cannot read is an
 * Anomaly naming where it sits and which field is wrong.
 */
import type { z } from 'zod';
import type { EventLocation } from '../event.ts';
import type { NodeAnomaly, NodeAnomalyKind } from './anomaly.ts';
import type { NodeEvent } from './events.ts';
import { dataReaders, isPlainData, isPlainMeta, readMeta, UNSURE } from './parse-fast.ts';
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
  return parse(raw, location, true);
}

/** `parseNodeEvent` by the zod schemas alone: what its fast path has to agree with, to the message. */
export function parseNodeEventBySchema(raw: unknown, location: EventLocation): ParsedNodeEvent {
  return parse(raw, location, false);
}

/**
 * Does `parseNodeEvent` read `raw` on its fast path (so `raw` is a valid node event)? Its checks,
 * without building the event it would read: what `evolve` asks of every event it folds. False only
 * means "ask parseNodeEvent".
 */
export function isPlainNodeEvent(raw: unknown): boolean {
  if (!isRecord(raw)) return false;
  const { type, version } = raw;
  if (typeof type !== 'string' || !isNodeEventType(type) || version !== SUPPORTED_NODE_EVENT_VERSION) {
    return false;
  }
  return isPlainMeta(raw.meta) && isPlainData(type, raw.data);
}

function parse(raw: unknown, location: EventLocation, quick: boolean): ParsedNodeEvent {
  if (!isRecord(raw)) {
    return failed(location, 'malformed-event', `event: expected an object, got ${describe(raw)}`);
  }
  const { type, version } = raw;
  if (typeof type !== 'string') {
    return failed(location, 'malformed-event', `type: expected a string, got ${describe(type)}`);
  }
  if (!isNodeEventType(type)) {
    return failed(location, 'unknown-event-type', `type: unknown node event "${type}"`, type);
  }
  if (version !== SUPPORTED_NODE_EVENT_VERSION) {
    const message = `version: ${type} v${describe(version)} is not supported`;
    return failed(location, 'unsupported-event-version', message, type);
  }
  // Most events plainly fit their schema: read them without zod, which is only asked when in doubt.
  const quickMeta = quick ? readMeta(raw.meta) : UNSURE;
  const quickData = quickMeta === UNSURE ? UNSURE : dataReaders[type](raw.data);
  if (quickMeta !== UNSURE && quickData !== UNSURE) {
    const event = { type, version: SUPPORTED_NODE_EVENT_VERSION, data: quickData, meta: quickMeta };
    return { ok: true, event: event as NodeEvent };
  }
  const meta = eventMetaSchema.safeParse(raw.meta);
  if (!meta.success)
    return failed(location, 'malformed-event', `${type}: ${issuesOf(meta.error, 'meta')}`, type);
  const data = nodeEventDataSchemas[type].safeParse(raw.data);
  if (!data.success)
    return failed(location, 'malformed-event', `${type}: ${issuesOf(data.error, 'data')}`, type);
  const event = { type, version: SUPPORTED_NODE_EVENT_VERSION, data: data.data, meta: meta.data };
  return { ok: true, event: event as NodeEvent };
}

/** The anomaly of an event that cannot be read (a plain function: a closure per call cost more than the check). */
function failed(
  location: EventLocation,
  kind: NodeAnomalyKind,
  message: string,
  eventType?: string,
): ParsedNodeEvent {
  return {
    ok: false,
    anomaly: eventType === undefined ? { kind, message, location } : { kind, message, location, eventType },
  };
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
