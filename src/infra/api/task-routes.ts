/**
 * Task routes. Bodies: `{ task, created }` for one submission (201 when created, 200 when its
 * idempotency key matched an earlier task: `created: false` and the earlier task), `{ results: [{ task,
 * created }] }` for a batch (201 when any was created, else 200), `{ task }` for a read or a cancel
 * request (202), `{ tasks }` for a list (oldest submission first).
 */
import type { FastifyInstance } from 'fastify';
import { validateCancelRequest } from '../../domain/task/cancel.ts';
import type { Task } from '../../domain/task/state.ts';
import { InvalidRequest, type SubmitOutcome, type TaskService } from '../../streams/task-service.ts';
import { ApiProblem, invalidRequest, notFound } from './problem.ts';
import { asBatchFields, parseBatch, parseListQuery } from './task-requests.ts';

export interface TaskRoutesDeps {
  readonly service: TaskService;
  readonly batchLimit: number;
}

type ById = { Params: { id: string } };

/** Registers the /v1/tasks routes. */
export function registerTaskRoutes(app: FastifyInstance, { service, batchLimit }: TaskRoutesDeps): void {
  app.post('/v1/tasks', async (request, reply) => {
    const outcome = await service.submit(request.body);
    return reply
      .code(outcome.created ? 201 : 200)
      .header('location', taskPath(outcome.task.taskId))
      .send(outcomeBody(outcome));
  });

  // `::` is fastify's escape for a literal colon: the route is POST /v1/tasks:batch.
  app.post('/v1/tasks::batch', async (request, reply) => {
    const items = parseBatch(request.body, batchLimit);
    const outcomes = await service.submitBatch(items).catch((error: unknown) => {
      throw error instanceof InvalidRequest ? invalidRequest(asBatchFields(error.errors)) : error;
    });
    const created = outcomes.some((o) => o.created);
    return reply.code(created ? 201 : 200).send({ results: outcomes.map(outcomeBody) });
  });

  app.get<ById>('/v1/tasks/:id', async (request) => ({ task: knownTask(service, request.params.id) }));

  app.get('/v1/tasks', async (request) => ({ tasks: service.list(parseListQuery(request.query)) }));

  app.post<ById>('/v1/tasks/:id/cancel', async (request, reply) => {
    const checked = validateCancelRequest(request.body);
    if (!checked.ok) throw invalidRequest(checked.errors);
    const { id } = request.params;
    const outcome = await service.cancel(id, checked.value.reason);
    switch (outcome.kind) {
      case 'requested':
        return reply.code(202).send({ task: outcome.task });
      case 'unknown-task':
        throw unknownTask(id);
      case 'already-finished': {
        const message = `task ${outcome.task.taskId} already finished (${outcome.task.status})`;
        throw new ApiProblem(409, 'already_finished', message, [{ field: 'id', message }], {
          task: outcome.task,
        });
      }
    }
  });
}

function knownTask(service: TaskService, id: string): Task {
  const task = service.get(id);
  if (task === undefined) throw unknownTask(id);
  return task;
}

function unknownTask(id: string): ApiProblem {
  return notFound('id', `no task ${JSON.stringify(id)}`);
}

function outcomeBody(outcome: SubmitOutcome): { task: Task; created: boolean } {
  return { task: outcome.task, created: outcome.created };
}

function taskPath(id: string): string {
  return `/v1/tasks/${encodeURIComponent(id)}`;
}
