/**
 * The cluster at one moment (--at): each node's state is its fold up to its last event at or before
 * that time, the task state the log's fold up to there. States are the folds' own immutable values,
 * so keeping one costs a reference, not a copy. Each input stops at its first event past the moment
 * (it keeps its own order, even if a clock stepped back).
 */
import { clusterStatus, type NodeState } from '../domain/node/index.ts';
import {
  countByStatus,
  initialState as initialTasksState,
  type Task,
  type TasksState,
  tasksInOrder,
} from '../domain/task/index.ts';
import type { ReplayStep } from './folds/replay-step.ts';
import type { StateReport, TaskStateReport } from './report/report-schema.ts';
import { isoTime } from './time/clock-format.ts';
import type { TimelineFilter } from './timeline-filter.ts';

const MAX_TASKS_REPORTED = 10_000;

export class StateAt {
  private readonly nodes = new Map<string, NodeState>();
  private readonly frozen = new Set<string>();
  private tasks: TasksState | undefined;
  private tasksFrozen = false;

  constructor(readonly at: number) {}

  observe(step: ReplayStep): void {
    if (step.kind === 'node') {
      if (this.frozen.has(step.node)) return;
      if (step.at <= this.at) {
        this.nodes.set(step.node, step.after);
        return;
      }
      this.frozen.add(step.node);
      if (!this.nodes.has(step.node)) this.nodes.set(step.node, step.before);
      return;
    }
    if (this.tasksFrozen) return;
    if (step.at <= this.at) this.tasks = step.after;
    else {
      this.tasksFrozen = true;
      this.tasks ??= step.before;
    }
  }

  /** The report of that moment, limited to what the filter shows. */
  report(filter: TimelineFilter, hasTaskLog: boolean): StateReport {
    const states = [...this.nodes.values()].sort((a, b) => a.config.node.localeCompare(b.config.node));
    const leaders = states.flatMap((state) =>
      state.role.status === 'leader' ? [{ node: state.config.node, epoch: state.role.epoch }] : [],
    );
    const leaderState = states.find((state) => state.config.node === leaders[0]?.node);
    const views = leaderState === undefined ? states : [leaderState];
    const members = [...new Set(views.flatMap((state) => Object.keys(state.members)))].sort();
    const tasks = this.tasks;
    const shown =
      tasks === undefined ? [] : tasksInOrder(tasks).filter((task) => filter.showsTask(task.taskId));
    return {
      at: this.at,
      time: isoTime(this.at),
      cluster: {
        leaders,
        vipHolders: states.filter((state) => state.vip.status === 'held').map((state) => state.config.node),
        members,
        taskLog: !hasTaskLog ? null : { epoch: tasks?.epoch ?? 0, leader: tasks?.leader?.node ?? null },
      },
      nodes: states.filter((state) => filter.showsNode(state.config.node)).map(clusterStatus),
      tasks: shown.slice(0, MAX_TASKS_REPORTED).map(taskReport),
      tasksTotal: shown.length,
      taskCounts: !hasTaskLog ? null : countByStatus(tasks ?? initialTasksState()),
    };
  }
}

function taskReport(task: Task): TaskStateReport {
  const assignment = task.assignment;
  return {
    taskId: task.taskId,
    type: task.type,
    status: task.status,
    attempt: task.attempt,
    maxAttempts: task.maxAttempts,
    submittedAt: task.submittedAt,
    ...(assignment === undefined
      ? {}
      : { node: assignment.node, incarnation: assignment.incarnation, epoch: assignment.epoch }),
  };
}
