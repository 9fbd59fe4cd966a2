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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_KINDS: readonly string[] = Object.freeze([]);

export class Narrator {
  private readonly memories = new Map<string, NodeMemory>();

  /** The timeline entry of `step` (call before `remember`). */
  entry(step: ReplayStep): TimelineEntry {
    const { event } = step;
    const text = step.kind === 'node' ? narrateNode(step, this.memory(step.node)) : narrateTask(step);
    const taskId = taskIdOf(event.data);
    // Built field by field rather than with spreads (a million entries): the same keys, in the same order.
    const entry: Mutable<TimelineEntry> = {
      at: step.at,
      time: isoTime(step.at),
      node: step.node,
      source: step.kind === 'node' ? 'journal' : 'task-log',
      type: event.type,
      category: categoryOf(event.type),
      text,
      incarnation: event.meta.incarnation,
    } as Mutable<TimelineEntry>;
    if (event.meta.epoch !== undefined) entry.epoch = event.meta.epoch;
    if (taskId !== undefined) entry.taskId = taskId;
    entry.anomalies = step.anomalies.length === 0 ? NO_KINDS : step.anomalies.map((anomaly) => anomaly.kind);
    entry.location = step.location;
    entry.data = event.data;
    return entry;
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
