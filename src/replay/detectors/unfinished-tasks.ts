/**
 * Tasks the log leaves behind, judged once every input is read:
 * - stranded: still assigned or running on a node that was gone (by its journal, or missing from
 *   the latest member view) for longer than the grace, and never interrupted or requeued;
 * - lost: submitted at least the grace before the log ends and neither finished nor retired.
 * Graces keep a replay of a live log from calling work in progress lost.
 */
import { isActive, isUnfinished, type Task, tasksWhere } from '../../domain/task/index.ts';
import type { ReplayStep } from '../folds/replay-step.ts';
import { clockTime } from '../time/clock-format.ts';
import { formatDuration } from '../time/durations.ts';
import type { Detector, DetectorSettings, ReplayEnd } from './detector.ts';
import type { FindingSink } from './finding.ts';
import { NodePresence } from './node-presence.ts';
import type { TaskEvidence } from './task-evidence.ts';

export class UnfinishedTasksDetector implements Detector {
  private readonly presence = new NodePresence();

  constructor(
    private readonly sink: FindingSink,
    private readonly tasks: TaskEvidence,
    private readonly settings: Pick<DetectorSettings, 'strandedGraceMs' | 'lostGraceMs'>,
  ) {}

  observe(step: ReplayStep): void {
    this.presence.observe(step);
  }

  finish(end: ReplayEnd): void {
    if (end.taskLogEnd === undefined) return; // without a task log there are no tasks to judge
    const stranded = new Set<string>();
    for (const task of tasksWhere(end.tasks, isActive)) {
      if (this.reportStranded(task, end)) stranded.add(task.taskId);
    }
    const logEnd = end.taskLogEnd;
    for (const task of tasksWhere(end.tasks, isUnfinished)) {
      if (stranded.has(task.taskId) || logEnd - task.submittedAt < this.settings.lostGraceMs) continue;
      const submitted = this.tasks.submitted(task.taskId);
      this.sink.report({
        kind: 'task-lost',
        severity: 'warning',
        source: 'replay',
        at: task.submittedAt,
        until: logEnd,
        nodes: task.assignment === undefined ? [] : [task.assignment.node],
        taskId: task.taskId,
        message: `task ${task.taskId} (${task.type}) submitted at ${clockTime(task.submittedAt)} is still ${describeStatus(task)} when the log ends ${formatDuration(logEnd - task.submittedAt)} later: never finished nor retired`,
        evidence: submitted === undefined ? [] : [submitted],
      });
    }
  }

  private reportStranded(task: Task, end: ReplayEnd): boolean {
    const assignment = task.assignment;
    if (assignment === undefined) return false;
    const gone = this.presence.goneFor(
      assignment.node,
      assignment.incarnation,
      end.nodes.get(assignment.node),
    );
    if (gone === undefined || end.at - gone.at < this.settings.strandedGraceMs) return false;
    const assigned = this.tasks.assigned(task.taskId);
    const already = gone.at <= assignment.assignedAt ? ' (it was already gone when assigned)' : '';
    this.sink.report({
      kind: 'task-stranded',
      severity: 'error',
      source: 'replay',
      at: Math.max(gone.at, assignment.assignedAt),
      until: end.at,
      nodes: [assignment.node],
      taskId: task.taskId,
      message: `task ${task.taskId} attempt ${assignment.attempt} is ${task.status} on ${assignment.node}, which is gone since ${clockTime(gone.at)} (${gone.why})${already}, and it was never interrupted or requeued`,
      evidence: [...(assigned === undefined ? [] : [assigned]), { ...gone.evidence, note: gone.why }],
    });
    return true;
  }
}

function describeStatus(task: Task): string {
  const attempts = `attempt ${task.attempt} of ${task.maxAttempts}`;
  switch (task.status) {
    case 'assigned':
    case 'running':
      return `${task.status} on ${task.assignment.node} (${attempts})`;
    case 'interrupted':
      return `interrupted (${task.reason}) and never requeued (${attempts})`;
    case 'awaiting_retry':
      return `waiting for a retry that never came (${attempts})`;
    default:
      return `${task.status} (${attempts})`;
  }
}
