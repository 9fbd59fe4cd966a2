/**
 * Clock skew between nodes, estimated from what ZooKeeper shows every node at (nearly) the same
 * real time: a new leader and epoch (LeaderObserved), a change of membership (MembersObserved, by
 * member and incarnation). For each such change, each node's local time of its first sighting is
 * compared with the median of all sightings; a node's offset is the median of those differences.
 * Watch delivery adds a few ms per sighting, so offsets below that are noise.
 */
import type { NodeStep, ReplayStep } from './folds/replay-step.ts';

/** Sightings of one change farther apart than this are taken as separate changes. */
const SIGHTING_WINDOW_MS = 60_000;
const MAX_SAMPLES = 1_000;

export interface NodeSkew {
  readonly node: string;
  /** Local clock minus the cluster median, in ms; null without a shared sighting. */
  readonly offsetMs: number | null;
  readonly samples: number;
}

export interface SkewEstimate {
  readonly method: string;
  /** Shared changes seen by at least two nodes. */
  readonly observations: number;
  /** Largest spread of one change's sightings (max local time − min local time). */
  readonly maxSpreadMs: number | null;
  readonly medianSpreadMs: number | null;
  readonly nodes: readonly NodeSkew[];
}

interface Sighting {
  readonly first: number;
  readonly seen: Map<string, number>;
}

export class ClockSkew {
  private readonly open = new Map<string, Sighting>();
  private readonly offsets = new Map<string, Samples>();
  private readonly spreads = new Samples();
  private maxSpread: number | null = null;
  private observations = 0;
  private readonly membersKeys = new WeakMap<object, string>();
  /** `first` of the oldest open sighting: until it is out of the window, nothing expires. */
  private oldestFirst = 0;

  observe(step: ReplayStep): void {
    if (step.kind !== 'node' || !step.valid) return;
    this.expire(step.at);
    const key = this.changeKey(step);
    if (key === undefined) return;
    let sighting = this.open.get(key);
    if (sighting === undefined) {
      sighting = { first: step.at, seen: new Map() };
      if (this.open.size === 0) this.oldestFirst = step.at;
      this.open.set(key, sighting);
    }
    if (!sighting.seen.has(step.node)) sighting.seen.set(step.node, step.at);
  }

  /** The estimate for `nodes` (every node with a journal). */
  result(nodes: readonly string[]): SkewEstimate {
    this.expire(Number.POSITIVE_INFINITY);
    return {
      method: 'first local sighting of shared ZooKeeper changes (leader/epoch, membership) vs their median',
      observations: this.observations,
      maxSpreadMs: this.maxSpread,
      medianSpreadMs: this.spreads.median(),
      nodes: [...nodes].sort().map((node) => {
        const samples = this.offsets.get(node);
        return { node, offsetMs: samples?.median() ?? null, samples: samples?.count ?? 0 };
      }),
    };
  }

  /** What `step` shows of a shared change, as a key; undefined when it shows none. */
  private changeKey(step: NodeStep): string | undefined {
    const { event } = step;
    if (event.type === 'LeaderObserved')
      return `leader ${event.data.leader ?? '-'} ${event.data.epoch ?? '-'}`;
    if (event.type !== 'MembersObserved') return undefined;
    // Journals repeat member views, and repeated ones are one shared (frozen) object when read:
    // worth remembering rather than sorting again.
    const { members } = event.data;
    let key = this.membersKeys.get(members);
    if (key === undefined) {
      key = `members ${members
        .map((member) => `${member.node}#${member.incarnation}`)
        .sort()
        .join(' ')}`;
      this.membersKeys.set(members, key);
    }
    return key;
  }

  private expire(now: number): void {
    if (this.open.size === 0 || now - this.oldestFirst <= SIGHTING_WINDOW_MS) return;
    for (const [key, sighting] of this.open) {
      if (now - sighting.first <= SIGHTING_WINDOW_MS) {
        this.oldestFirst = sighting.first; // insertion order is time order
        return;
      }
      this.open.delete(key);
      this.settle(sighting);
    }
  }

  private settle(sighting: Sighting): void {
    if (sighting.seen.size < 2) return;
    const times = [...sighting.seen.values()];
    const middle = median(times);
    const spread = Math.max(...times) - Math.min(...times);
    this.observations += 1;
    this.spreads.add(spread);
    this.maxSpread = Math.max(this.maxSpread ?? spread, spread);
    for (const [node, at] of sighting.seen) {
      let samples = this.offsets.get(node);
      if (samples === undefined) {
        samples = new Samples();
        this.offsets.set(node, samples);
      }
      samples.add(at - middle);
    }
  }
}

/** A bounded sample: the first MAX_SAMPLES, then every value replaces one in turn. */
class Samples {
  private readonly values: number[] = [];
  count = 0;

  add(value: number): void {
    if (this.values.length < MAX_SAMPLES) this.values.push(value);
    else this.values[this.count % MAX_SAMPLES] = value;
    this.count += 1;
  }

  median(): number | null {
    return this.values.length === 0 ? null : Math.round(median(this.values));
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
