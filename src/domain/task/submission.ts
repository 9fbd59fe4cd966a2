/**
 * Submitting a task: the command as the HTTP API receives it, its validation (every error names the
 * field at fault, for a 400), and the decision that turns it into a TaskSubmitted.
 */
import { z } from 'zod';
import type { EventMeta } from '../event.ts';
import { type TaskSubmitted, taskEvent } from './events.ts';
import { isJson } from './field-checks.ts';
import { type Validation, validateWith } from './field-errors.ts';
import { TaskDefaults, TaskLimits } from './policy.ts';
import { findByIdempotencyKey } from './queries.ts';
import { boundedJson } from './schemas.ts';
import { optional, type TasksState } from './state.ts';

export const SubmitTaskSchema = z.strictObject({
  type: z.string().max(TaskLimits.typeLength).regex(/\S/, { message: 'must not be empty' }),
  payload: boundedJson(TaskLimits.payloadBytes).default(null),
  idempotencyKey: z.string().min(1).max(TaskLimits.idempotencyKeyLength).optional(),
  maxAttempts: z.int().min(1).max(TaskLimits.maxAttempts).default(TaskDefaults.maxAttempts),
  backoff: z
    .strictObject({
      initialMs: z.int().min(0).max(TaskLimits.backoffInitialMs).default(TaskDefaults.backoff.initialMs),
      multiplier: z
        .number()
        .min(1)
        .max(TaskLimits.backoffMultiplier)
        .default(TaskDefaults.backoff.multiplier),
      maxMs: z.int().min(0).max(TaskLimits.backoffMaxMs).default(TaskDefaults.backoff.maxMs),
    })
    .refine((backoff) => backoff.maxMs >= backoff.initialMs, {
      path: ['maxMs'],
      message: 'must be at least initialMs',
    })
    .prefault({}),
  timeoutMs: z.int().min(1).max(TaskLimits.timeoutMs).optional(),
  retentionMs: z.int().min(0).max(TaskLimits.retentionMs).optional(),
});

/** A valid submission, defaults filled in. */
export type SubmitTask = z.output<typeof SubmitTaskSchema>;

/** Checks a request body; every error names its field. Never throws. */
export function validateSubmission(body: unknown): Validation<SubmitTask> {
  return plainSubmission(body) ?? validateWith(SubmitTaskSchema, body);
}

/**
 * The usual body, `{ type, payload? }`, checked by hand as SubmitTaskSchema would and given its
 * defaults, or undefined to let zod decide (and say why): a batch of a thousand submissions would
 * otherwise spend most of its time in zod. A test holds it to zod's answers.
 */
function plainSubmission(body: unknown): Validation<SubmitTask> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if (Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const keys = Object.keys(body);
  const { type, payload } = body as { type?: unknown; payload?: unknown };
  if (keys.length > 2 || (keys.length === 2 && !('payload' in body)) || !('type' in body)) return undefined;
  if (typeof type !== 'string' || type.length > TaskLimits.typeLength || !/\S/.test(type)) return undefined;
  if (payload === undefined || payload === null) {
    if ('payload' in body && payload === undefined) return undefined;
  } else if (!isJson(payload)) return undefined;
  const json = JSON.stringify(payload ?? null);
  if (Buffer.byteLength(json, 'utf8') > TaskLimits.payloadBytes) return undefined;
  const value: SubmitTask = {
    type,
    payload: (payload ?? null) as SubmitTask['payload'],
    maxAttempts: TaskDefaults.maxAttempts,
    backoff: { ...TaskDefaults.backoff },
  };
  return { ok: true, value };
}

/** Who submits: the node whose API received the request. */
export interface SubmitContext {
  /** A fresh id for the task (ids come in as data: the domain makes none). */
  readonly taskId: string;
  readonly now: number;
  readonly node: string;
  readonly incarnation: number;
}

export interface SubmissionDecision {
  /** The task that answers the request: the new one, or the first with the same idempotency key. */
  readonly taskId: string;
  readonly events: readonly TaskSubmitted[];
  readonly duplicate: boolean;
}

/**
 * A TaskSubmitted, or nothing when the key is already known. Two nodes may still append the same key
 * at once: the fold keeps the first (see evolve-submissions.ts) and `findByIdempotencyKey` answers.
 */
export function decideSubmission(
  command: SubmitTask,
  context: SubmitContext,
  state: TasksState,
): SubmissionDecision {
  if (command.idempotencyKey !== undefined) {
    const first = findByIdempotencyKey(state, command.idempotencyKey);
    if (first !== undefined) return { taskId: first.taskId, events: [], duplicate: true };
  }
  const meta: EventMeta = { node: context.node, incarnation: context.incarnation, at: context.now };
  const data = {
    taskId: context.taskId,
    type: command.type,
    payload: command.payload,
    maxAttempts: command.maxAttempts,
    backoff: command.backoff,
    ...optional('idempotencyKey', command.idempotencyKey),
    ...optional('timeoutMs', command.timeoutMs),
    ...optional('retentionMs', command.retentionMs),
  };
  return {
    taskId: context.taskId,
    events: [taskEvent<TaskSubmitted>('TaskSubmitted', data, meta)],
    duplicate: false,
  };
}
