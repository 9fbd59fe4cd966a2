/** taskctl nodes, drain, undrain. */
import type { Command } from 'commander';
import type { ClusterView } from '../../streams/task-service.ts';
import { formatCluster } from './cluster-format.ts';
import { type CommandContext, print } from './context.ts';

/** Adds the node commands to `program`. */
export function registerNodeCommands(program: Command, context: () => CommandContext): void {
  program
    .command('nodes')
    .description('show the cluster: leader, VIP, degraded reasons, members')
    .action(async () => {
      const ctx = context();
      const view = await ctx.client.request<ClusterView>('GET', '/v1/cluster');
      print(ctx, view, () => formatCluster(view));
    });

  const drain = (draining: boolean) => async (node: string) => {
    const ctx = context();
    const path = `/v1/nodes/${encodeURIComponent(node)}/drain`;
    const answer = await ctx.client.request<{ node: string; draining: boolean }>(
      draining ? 'POST' : 'DELETE',
      path,
    );
    print(ctx, answer, () =>
      draining
        ? `${answer.node} is draining: it takes no new tasks\n`
        : `${answer.node} is no longer draining\n`,
    );
  };
  program.command('drain <node>').description('stop assigning new tasks to a node').action(drain(true));
  program.command('undrain <node>').description('assign tasks to a drained node again').action(drain(false));
}
