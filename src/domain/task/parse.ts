/**
 * From whatever a log hands back to a typed task event, or to an Anomaly that says what is wrong and
 * where. Never throws: a bad record is reported and the fold goes on with the next one.
 */
import { z } from 'zod';
import type { Anomaly, EventLocation } from '../event.ts';
import { TaskAnomalies } from './anomalies.ts';
import { checkedShape } from './event-shapes.ts';
import { TASK_EVENT_VERSION, type TaskEvent } from './events.ts';
import { EventMetaSchema, isTaskEventType, TaskEventDataSchemas } from './schemas.ts';

export type ParsedTaskEvent =
  | { readonly ok: true; readonly event: TaskEvent }
  | { readonly ok: false; readonly anomaly: Anomaly };

const EnvelopeSchema = z.object({
  type: z.string(),
  version: z.unknown(),
  data: z.unknown(),
  meta: z.unknown(),
});

/** Validates a raw record (type, version, data, meta) read at `location`. */
export function parseTaskEvent(raw: unknown, location: EventLocation): ParsedTaskEvent {
  // The common case by hand (see event-shapes.ts); zod decides everything else and says why.
  const fast = fastPath(raw, location);
  if (fast !== undefined) return fast;
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return rejected(
      TaskAnomalies.malformedEvent,
      `not a task event: ${describeIssues(envelope.error)}`,
      location,
    );
  }
  const { type, version, data, meta } = envelope.data;
  if (!isTaskEventType(type)) {
    return rejected(TaskAnomalies.unknownEventType, `unknown event type "${type}"`, location, type);
  }
  if (version !== TASK_EVENT_VERSION) {
    return rejected(
      TaskAnomalies.unknownEventVersion,
      `${type}: unknown version ${JSON.stringify(version) ?? 'undefined'} (this build reads ${TASK_EVENT_VERSION})`,
      location,
      type,
    );
  }
  const parsedMeta = EventMetaSchema.safeParse(meta);
  if (!parsedMeta.success) {
    return rejected(
      TaskAnomalies.malformedEvent,
      `${type}: ${describeIssues(parsedMeta.error, 'meta')}`,
      location,
      type,
    );
  }
  const parsedData = TaskEventDataSchemas[type].safeParse(data);
  if (!parsedData.success) {
    return rejected(
      TaskAnomalies.malformedEvent,
      `${type}: ${describeIssues(parsedData.error, 'data')}`,
      location,
      type,
    );
  }
  const event = { type, version, data: parsedData.data, meta: parsedMeta.data, location } as TaskEvent;
  return { ok: true, event };
}

function fastPath(raw: unknown, location: EventLocation): ParsedTaskEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, version, data, meta } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || !isTaskEventType(type) || version !== TASK_EVENT_VERSION) return undefined;
  const checked = checkedShape(type, data, meta);
  if (checked === undefined) return undefined;
  const event = { type, version, data: checked.data, meta: checked.meta, location } as TaskEvent;
  return { ok: true, event };
}

function rejected(
  kind: string,
  message: string,
  location: EventLocation,
  eventType?: string,
): ParsedTaskEvent {
  return {
    ok: false,
    anomaly: { kind, message, location, ...(eventType === undefined ? {} : { eventType }) },
  };
}

/** "data.attempt: Too small: expected number to be >=1; data.node: …" */
export function describeIssues(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [...(prefix === undefined ? [] : [prefix]), ...issue.path.map(String)].join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
