/**
 * The cluster as this node sees it, and drain requests. Any node's API may drain any node: the
 * request is written to that node's member znode, and the leader stops assigning to it.
 */
import type { FastifyInstance } from 'fastify';
import type { TaskService } from '../../streams/task-service.ts';
import { notFound } from './problem.ts';
import { parseEmptyBody } from './task-requests.ts';

type ByNode = { Params: { id: string } };

/** Registers /v1/cluster and /v1/nodes/:id/drain. */
export function registerClusterRoutes(app: FastifyInstance, service: TaskService): void {
  app.get('/v1/cluster', async () => service.cluster());

  const drain = (draining: boolean) => async (request: { params: { id: string }; body: unknown }) => {
    parseEmptyBody(request.body);
    const node = request.params.id;
    // A node the view does not know is a 404 before anything is written; a member that vanishes
    // between this check and the write comes back from the service as ZK_NO_NODE, also a 404.
    if (!service.cluster().members.some((m) => m.node === node)) {
      throw notFound('id', `no member node ${JSON.stringify(node)}`);
    }
    await service.setDraining(node, draining);
    return { node, draining };
  };
  app.post<ByNode>('/v1/nodes/:id/drain', drain(true));
  app.delete<ByNode>('/v1/nodes/:id/drain', drain(false));
}
