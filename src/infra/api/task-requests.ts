/**
 * The parts of task requests the API checks itself: the list query, the batch envelope, the drain
 * body. Task bodies are the service's to validate (the domain's SubmitTaskSchema). Unknown query
 * parameters and fields are refused, so that a typo (`?status=`) is a 400, not a silently wider answer.
 */
import { z } from 'zod';
import { validateWith } from '../../domain/task/field-errors.ts';
import { TaskLimits } from '../../domain/task/policy.ts';
import { TASK_STATUSES, type TaskStatus } from '../../domain/task/state.ts';
import type { TaskListQuery } from '../../streams/task-service.ts';
import { ApiProblem, invalidRequest } from './problem.ts';

/** A list without `limit` returns at most this many tasks; `limit` may ask for up to LIST_LIMIT_MAX. */
export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1_000;

const ListQuerySchema = z.strictObject({
  state: z
    .enum(TASK_STATUSES as [TaskStatus, ...TaskStatus[]], {
      message: `must be one of ${TASK_STATUSES.join(', ')}`,
    })
    .optional(),
  node: z.string().min(1).max(TaskLimits.idLength).optional(),
  limit: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(1).max(LIST_LIMIT_MAX))
    .optional(),
});

/** The list query from `GET /v1/tasks?state=&node=&limit=`; throws a 400 naming the parameter. */
export function parseListQuery(query: unknown): TaskListQuery {
  const checked = validateWith(ListQuerySchema, { ...(query as object) });
  if (!checked.ok) throw invalidRequest(checked.errors);
  const { state, node, limit } = checked.value;
  return { limit: limit ?? LIST_LIMIT_DEFAULT, ...(state && { state }), ...(node && { node }) };
}

/** The items of a `POST /v1/tasks:batch` body; the items themselves are the service's to check. */
export function parseBatch(body: unknown, batchLimit: number): readonly unknown[] {
  const checked = validateWith(z.strictObject({ tasks: z.array(z.unknown()).min(1) }), body);
  if (!checked.ok) throw invalidRequest(checked.errors);
  const { tasks } = checked.value;
  if (tasks.length > batchLimit) {
    const message = `at most ${batchLimit} tasks per batch (got ${tasks.length})`;
    throw new ApiProblem(413, 'payload_too_large', message, [{ field: 'tasks', message }]);
  }
  return tasks;
}

/**
 * The service names a batch item's field `items.<i>.<field>`; the client sent it as `tasks.<i>.<field>`,
 * and a 400 must name the field as the client wrote it.
 */
export function asBatchFields<E extends { readonly field: string }>(errors: readonly E[]): E[] {
  return errors.map((e) => ({ ...e, field: e.field.replace(/^items(?=\.|$)/, 'tasks') }));
}

/** Drain requests take no fields: an absent body or `{}`. */
export function parseEmptyBody(body: unknown): void {
  if (body === undefined || body === null) return;
  const checked = validateWith(z.strictObject({}), body);
  if (!checked.ok) throw invalidRequest(checked.errors);
}
