/**
 * zod schemas for every task event's data and for the shared meta: the boundary where bytes from a
 * log become typed events. `satisfies` ties each schema to the hand-written type in events.ts.
 */
import { z } from 'zod';
import type { EventMeta } from '../event.ts';
import type {
  BackoffPolicy,
  EpochStartedData,
  JsonValue,
  TaskAssignedData,
  TaskAttemptsExhaustedData,
  TaskCancelledData,
  TaskCancelRequestedData,
  TaskError,
  TaskEventType,
  TaskFailedData,
  TaskInterruptedData,
  TaskProgressedData,
  TaskRequeuedData,
  TaskRetiredData,
  TaskStartedData,
  TaskSubmittedData,
  TaskSucceededData,
  TaskTimedOutData,
} from './events.ts';
import { TaskLimits } from './policy.ts';

const id = z.string().min(1).max(TaskLimits.idLength);
const count = z.int().nonnegative();
const time = z.number();
const attempt = z.int().min(1);
const text = (max: number) => z.string().max(max);

/** JSON no larger than `bytes` once serialized. */
export function boundedJson(bytes: number): z.ZodType<JsonValue> {
  return z
    .json()
    .refine((value) => jsonSize(value) <= bytes, { message: `larger than ${bytes} bytes as JSON` });
}

function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export const EventMetaSchema = z.object({
  node: id,
  incarnation: count,
  epoch: count.optional(),
  causationId: z.string().max(TaskLimits.idLength).optional(),
  at: time,
}) satisfies z.ZodType<EventMeta>;

export const BackoffSchema = z.object({
  initialMs: count,
  multiplier: z.number().min(1),
  maxMs: count,
}) satisfies z.ZodType<BackoffPolicy>;

export const TaskErrorSchema = z.object({
  message: text(TaskLimits.messageLength),
  code: text(TaskLimits.typeLength).optional(),
}) satisfies z.ZodType<TaskError>;

const dispatchRef = { taskId: id, attempt, epoch: count };
const runnerRef = { taskId: id, attempt, epoch: count, node: id, incarnation: count };

const schemas = {
  TaskSubmitted: z.object({
    taskId: id,
    type: z.string().min(1).max(TaskLimits.typeLength),
    payload: z.json(),
    idempotencyKey: z.string().min(1).max(TaskLimits.idempotencyKeyLength).optional(),
    maxAttempts: attempt,
    backoff: BackoffSchema,
    timeoutMs: count.optional(),
    retentionMs: count.optional(),
  }) satisfies z.ZodType<TaskSubmittedData>,
  TaskCancelRequested: z.object({
    taskId: id,
    reason: text(TaskLimits.reasonLength).optional(),
  }) satisfies z.ZodType<TaskCancelRequestedData>,
  EpochStarted: z.object({
    epoch: count,
    leader: id,
    incarnation: count,
  }) satisfies z.ZodType<EpochStartedData>,
  TaskAssigned: z.object({
    ...dispatchRef,
    node: id,
    incarnation: count,
    deadline: time.optional(),
  }) satisfies z.ZodType<TaskAssignedData>,
  TaskInterrupted: z.object({
    ...dispatchRef,
    reason: text(TaskLimits.reasonLength),
  }) satisfies z.ZodType<TaskInterruptedData>,
  TaskRequeued: z.object({ ...dispatchRef, notBefore: time }) satisfies z.ZodType<TaskRequeuedData>,
  TaskTimedOut: z.object(dispatchRef) satisfies z.ZodType<TaskTimedOutData>,
  TaskCancelled: z.object({
    ...dispatchRef,
    reason: text(TaskLimits.reasonLength).optional(),
  }) satisfies z.ZodType<TaskCancelledData>,
  TaskAttemptsExhausted: z.object({
    ...dispatchRef,
    reason: text(TaskLimits.reasonLength),
  }) satisfies z.ZodType<TaskAttemptsExhaustedData>,
  TaskRetired: z.object({ taskId: id, epoch: count }) satisfies z.ZodType<TaskRetiredData>,
  TaskStarted: z.object(runnerRef) satisfies z.ZodType<TaskStartedData>,
  TaskProgressed: z.object({
    ...runnerRef,
    progress: z.number().min(0).max(1),
    message: text(TaskLimits.messageLength).optional(),
  }) satisfies z.ZodType<TaskProgressedData>,
  TaskSucceeded: z.object({
    ...runnerRef,
    result: z.json().optional(),
  }) satisfies z.ZodType<TaskSucceededData>,
  TaskFailed: z.object({
    ...runnerRef,
    error: TaskErrorSchema,
    retryable: z.boolean(),
  }) satisfies z.ZodType<TaskFailedData>,
} as const satisfies Record<TaskEventType, z.ZodType>;

/** The data schema of each event type (version 1). */
export const TaskEventDataSchemas: Readonly<Record<TaskEventType, z.ZodType>> = schemas;

/** Is `type` the name of a task event? */
export function isTaskEventType(type: string): type is TaskEventType {
  return Object.hasOwn(schemas, type);
}
