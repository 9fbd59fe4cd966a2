/**
 * Which steps the timeline shows: --node, --task, --kind (a category or an event type), --since and
 * --until. Folds and detectors always see everything; only what is printed is filtered.
 */
import type { ReplayStep } from './folds/replay-step.ts';
import { categoryOf, isEventCategory } from './narrate/event-categories.ts';
import { taskIdOf } from './narrate/narrator.ts';

export interface TimelineFilterSpec {
  readonly nodes?: readonly string[];
  readonly tasks?: readonly string[];
  /** Categories ("teardown") or event types ("SessionLost", any case). */
  readonly kinds?: readonly string[];
  readonly since?: number;
  readonly until?: number;
}

export class TimelineFilter {
  private readonly nodes: ReadonlySet<string> | undefined;
  private readonly tasks: ReadonlySet<string> | undefined;
  private readonly categories: ReadonlySet<string> | undefined;
  private readonly types: ReadonlySet<string> | undefined;

  constructor(private readonly spec: TimelineFilterSpec) {
    this.nodes = nonEmptySet(spec.nodes);
    this.tasks = nonEmptySet(spec.tasks);
    const kinds = [...(nonEmptySet(spec.kinds) ?? [])].map((kind) => kind.toLowerCase());
    this.categories = nonEmptySet(kinds.filter((kind) => isEventCategory(kind)));
    this.types = nonEmptySet(kinds.filter((kind) => !isEventCategory(kind)));
  }

  /** Does the timeline show this step? */
  accepts(step: ReplayStep): boolean {
    const { since, until } = this.spec;
    if (since !== undefined && step.at < since) return false;
    if (until !== undefined && step.at > until) return false;
    if (
      this.nodes !== undefined &&
      !this.nodes.has(step.node) &&
      !this.nodes.has(nodeNamed(step.event.data))
    ) {
      return false;
    }
    if (this.tasks !== undefined && !this.tasks.has(taskIdOf(step.event.data) ?? '')) return false;
    return this.acceptsKind(step.event.type);
  }

  /** Does the filter keep a finding that involves these nodes and this task, at this time? */
  acceptsFinding(finding: {
    at: number;
    until?: number;
    nodes: readonly string[];
    taskId?: string;
  }): boolean {
    const { since, until } = this.spec;
    if (since !== undefined && (finding.until ?? finding.at) < since) return false;
    if (until !== undefined && finding.at > until) return false;
    if (this.nodes !== undefined && !finding.nodes.some((node) => this.nodes?.has(node))) return false;
    return this.tasks === undefined || (finding.taskId !== undefined && this.tasks.has(finding.taskId));
  }

  /** Is a node shown in per-node sections? */
  showsNode(node: string): boolean {
    return this.nodes === undefined || this.nodes.has(node);
  }

  /** Is a task shown in the state section? */
  showsTask(taskId: string): boolean {
    return this.tasks === undefined || this.tasks.has(taskId);
  }

  /** Does the filter narrow the timeline at all? */
  get narrows(): boolean {
    const { since, until } = this.spec;
    return (
      this.nodes !== undefined ||
      this.tasks !== undefined ||
      this.categories !== undefined ||
      this.types !== undefined ||
      since !== undefined ||
      until !== undefined
    );
  }

  private acceptsKind(type: string): boolean {
    if (this.categories === undefined && this.types === undefined) return true;
    return this.categories?.has(categoryOf(type)) === true || this.types?.has(type.toLowerCase()) === true;
  }
}

/** The node a task event is about (TaskAssigned's target, a runner report's node). */
function nodeNamed(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const node = (data as { node?: unknown }).node;
  return typeof node === 'string' ? node : '';
}

function nonEmptySet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  const set = new Set(
    (values ?? [])
      .flatMap((value) => value.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
  return set.size === 0 ? undefined : set;
}
