/**
 * Where each live task was submitted and last assigned, so findings about a task can point at the
 * events that prove them. Forgotten when the task retires: memory follows the fold's live tasks.
 */
import { getTask } from '../../domain/task/index.ts';
import type { ReplayStep } from '../folds/replay-step.ts';
import { type Evidence, evidenceOf } from './finding.ts';

interface TaskEvidenceEntry {
  submitted?: Evidence;
  assigned?: Evidence;
}

export class TaskEvidence {
  private readonly tasks = new Map<string, TaskEvidenceEntry>();

  /** Call for every step, before detectors that read this index. */
  observe(step: ReplayStep): void {
    if (step.kind !== 'task' || step.anomalies.length > 0) return;
    const { event } = step;
    const taskId = (event.data as { taskId?: unknown }).taskId;
    if (typeof taskId !== 'string') return;
    if (event.type === 'TaskSubmitted') {
      if (getTask(step.after, taskId)?.taskId === taskId) this.entry(taskId).submitted = evidenceOf(step);
    } else if (event.type === 'TaskAssigned') {
      this.entry(taskId).assigned = evidenceOf(step);
    } else if (event.type === 'TaskRetired') {
      this.tasks.delete(taskId);
    }
  }

  submitted(taskId: string): Evidence | undefined {
    return this.tasks.get(taskId)?.submitted;
  }

  assigned(taskId: string): Evidence | undefined {
    return this.tasks.get(taskId)?.assigned;
  }

  private entry(taskId: string): TaskEvidenceEntry {
    let entry = this.tasks.get(taskId);
    if (entry === undefined) {
      entry = {};
      this.tasks.set(taskId, entry);
    }
    return entry;
  }
}
