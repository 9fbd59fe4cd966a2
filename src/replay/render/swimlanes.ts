/**
 * The data of the HTML view, gathered while replaying in bounded memory: per node, bands of its
 * session status, its leadership terms and its VIP holding (from the fold's states), its timeline
 * events (capped per lane, with a note), and one bar per task attempt on the node it ran on.
 */
import { getTask, isActive, type Task } from '../../domain/task/index.ts';
import type { NodeStep, ReplayStep, TaskStep } from '../folds/replay-step.ts';
import type { TimelineEntry } from '../report/report-schema.ts';

export const MAX_EVENTS_PER_LANE = 4_000;
export const MAX_TASK_BARS = 5_000;
export const MAX_BANDS_PER_ROW = 10_000;

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface LaneEvent {
  readonly at: number;
  readonly type: string;
  readonly category: string;
  readonly text: string;
  readonly anomalies: readonly string[];
}

export interface Lane {
  readonly node: string;
  readonly session: Band[];
  readonly leader: Band[];
  readonly vip: Band[];
  readonly events: LaneEvent[];
  eventsDropped: number;
  bandsDropped: number;
}

export interface TaskBar {
  readonly taskId: string;
  readonly attempt: number;
  readonly node: string;
  readonly from: number;
  to: number;
  status: string;
}

type OpenBands = { [row in 'session' | 'leader' | 'vip']?: { label: string; from: number } };

export class SwimlaneCollector {
  private readonly lanes = new Map<string, Lane>();
  private readonly open = new Map<string, OpenBands>();
  private readonly bars: TaskBar[] = [];
  private readonly openBars = new Map<string, TaskBar>();
  private barsDropped = 0;
  private start: number | undefined;
  private end: number | undefined;

  constructor(private readonly showsNode: (node: string) => boolean) {}

  observe(step: ReplayStep, entry: TimelineEntry | undefined): void {
    this.start = Math.min(this.start ?? step.at, step.at);
    this.end = Math.max(this.end ?? step.at, step.at);
    if (step.kind === 'node') this.observeNode(step);
    else this.observeTask(step);
    const lane = this.lanes.get(step.node);
    if (entry === undefined || lane === undefined) return;
    if (lane.events.length >= MAX_EVENTS_PER_LANE) {
      lane.eventsDropped += 1;
      return;
    }
    const { at, type, category, text, anomalies } = entry;
    lane.events.push({ at, type, category, text, anomalies });
  }

  /** The model, with every open band and bar closed at the end of the inputs. */
  finish(): { start: number; end: number; lanes: Lane[]; tasks: TaskBar[]; tasksDropped: number } {
    const end = this.end ?? 0;
    for (const [node, bands] of this.open) {
      const lane = this.lanes.get(node) as Lane;
      for (const row of ['session', 'leader', 'vip'] as const) close(lane, lane[row], bands[row], end);
    }
    for (const bar of this.openBars.values()) bar.to = end;
    const lanes = [...this.lanes.values()].sort((a, b) => a.node.localeCompare(b.node));
    return { start: this.start ?? 0, end, lanes, tasks: this.bars, tasksDropped: this.barsDropped };
  }

  private observeNode(step: NodeStep): void {
    if (!this.showsNode(step.node)) return;
    const lane = this.lane(step.node);
    const bands = this.open.get(step.node) as OpenBands;
    const { after } = step;
    const leader = after.role.status === 'leader' ? `leader, epoch ${after.role.epoch}` : undefined;
    move(lane, bands, 'session', after.session.status === 'idle' ? undefined : after.session.status, step.at);
    move(lane, bands, 'leader', leader, step.at);
    move(lane, bands, 'vip', after.vip.status === 'held' ? 'VIP held' : undefined, step.at);
  }

  private observeTask(step: TaskStep): void {
    const taskId = (step.event.data as { taskId?: unknown }).taskId;
    if (typeof taskId !== 'string') return;
    const before = activeAttempt(getTask(step.before, taskId));
    const after = getTask(step.after, taskId);
    const now = activeAttempt(after);
    if (before !== undefined && (now === undefined || now.attempt !== before.attempt)) {
      const bar = this.openBars.get(taskId);
      if (bar !== undefined) {
        bar.to = step.at;
        bar.status = after?.status ?? 'retired';
        this.openBars.delete(taskId);
      }
    }
    if (now !== undefined && (before === undefined || now.attempt !== before.attempt)) {
      if (this.bars.length >= MAX_TASK_BARS) {
        this.barsDropped += 1;
        return;
      }
      const bar: TaskBar = {
        taskId,
        attempt: now.attempt,
        node: now.node,
        from: step.at,
        to: step.at,
        status: 'open',
      };
      this.bars.push(bar);
      this.openBars.set(taskId, bar);
    } else if (now !== undefined) {
      const bar = this.openBars.get(taskId);
      if (bar !== undefined) bar.status = after?.status ?? bar.status;
    }
  }

  private lane(node: string): Lane {
    let lane = this.lanes.get(node);
    if (lane === undefined) {
      lane = { node, session: [], leader: [], vip: [], events: [], eventsDropped: 0, bandsDropped: 0 };
      this.lanes.set(node, lane);
      this.open.set(node, {});
    }
    return lane;
  }
}

type Row = 'session' | 'leader' | 'vip';

/** Ends the row's open band when its label changes, and opens the next one. */
function move(lane: Lane, bands: OpenBands, row: Row, label: string | undefined, at: number): void {
  const current = bands[row];
  if (current?.label === label) return;
  close(lane, lane[row], current, at);
  if (label === undefined) delete bands[row];
  else bands[row] = { label, from: at };
}

function close(lane: Lane, row: Band[], band: { label: string; from: number } | undefined, at: number): void {
  if (band === undefined) return;
  if (row.length >= MAX_BANDS_PER_ROW) lane.bandsDropped += 1;
  else row.push({ from: band.from, to: at, label: band.label });
}

function activeAttempt(task: Task | undefined): { attempt: number; node: string } | undefined {
  if (task === undefined || !isActive(task)) return undefined;
  return { attempt: task.assignment.attempt, node: task.assignment.node };
}
