/**
 * Turns replay steps into timeline entries: the event's node, type and category, its meaning in
 * plain words, and where it sits. Remembers a little per node (see node-narration.ts), so it must
 * see every step, also those the filters leave out of the timeline.
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { TimelineEntry } from '../report/report-schema.ts';
import { isoTime } from '../time/clock-format.ts';
import { categoryOf } from './event-categories.ts';
import { type NodeMemory, narrateNode, nodeMemory, rememberNode } from './node-narration.ts';
import { narrateTask } from './task-narration.ts';

export class Narrator {
  private readonly memories = new Map<string, NodeMemory>();

  /** The timeline entry of `step` (call before `remember`). */
  entry(step: ReplayStep): TimelineEntry {
    const { event } = step;
    const text = step.kind === 'node' ? narrateNode(step, this.memory(step.node)) : narrateTask(step);
    const taskId = taskIdOf(event.data);
    return {
      at: step.at,
      time: isoTime(step.at),
      node: step.node,
      source: step.kind === 'node' ? 'journal' : 'task-log',
      type: event.type,
      category: categoryOf(event.type),
      text,
      incarnation: event.meta.incarnation,
      ...(event.meta.epoch === undefined ? {} : { epoch: event.meta.epoch }),
      ...(taskId === undefined ? {} : { taskId }),
      anomalies: step.anomalies.map((anomaly) => anomaly.kind),
      location: step.location,
      data: event.data,
    };
  }

  /** Updates what later entries refer to; call for every step. */
  remember(step: ReplayStep): void {
    if (step.kind === 'node') rememberNode(step, this.memory(step.node));
  }

  private memory(node: string): NodeMemory {
    let memory = this.memories.get(node);
    if (memory === undefined) {
      memory = nodeMemory();
      this.memories.set(node, memory);
    }
    return memory;
  }
}

/** The task an event is about, if any. */
export function taskIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const taskId = (data as { taskId?: unknown }).taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}
