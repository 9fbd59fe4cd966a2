/**
 * Intervals per node (leading, holding a VIP) and the pairs of them that overlap. An overlap is
 * reported when one side of it ends, or at the end of the inputs, if it lasted longer than the
 * tolerance. Memory: one open interval per node and one open pair per overlapping two.
 */
import { formatDuration } from '../time/durations.ts';
import type { Evidence, FindingSink } from './finding.ts';

interface Open {
  readonly since: number;
  /** Its note labels the node in the message ("epoch 7"). */
  readonly evidence: Evidence;
}

interface Pair {
  readonly since: number;
  readonly first: string;
  readonly second: string;
  readonly evidence: readonly Evidence[];
}

export interface OverlapKind {
  readonly kind: string;
  /** "led", "held the VIP 10.0.0.9/24": completes "<a> and <b> both …". */
  readonly verb: string;
  readonly toleranceMs: number;
}

export class OverlapTracker {
  private readonly open = new Map<string, Open>();
  private readonly pairs = new Map<string, Pair>();

  constructor(
    private readonly what: OverlapKind,
    private readonly sink: FindingSink,
  ) {}

  /** Is `node`'s interval open? */
  isOpen(node: string): boolean {
    return this.open.has(node);
  }

  /** `node`'s interval starts (a second start while open is ignored: the fold reports that). */
  start(node: string, at: number, evidence: Evidence): void {
    if (this.open.has(node)) return;
    for (const [other, interval] of this.open) {
      const [first, second] = other < node ? [other, node] : [node, other];
      this.pairs.set(`${first}\u0000${second}`, {
        since: at,
        first,
        second,
        evidence: [interval.evidence, evidence],
      });
    }
    this.open.set(node, { since: at, evidence });
  }

  /** `node`'s interval ends; overlaps it was part of are settled. */
  end(node: string, at: number, evidence: Evidence): void {
    if (!this.open.has(node)) return;
    for (const [key, pair] of this.pairs) {
      if (pair.first !== node && pair.second !== node) continue;
      this.pairs.delete(key);
      this.settle(pair, at, [...pair.evidence, evidence], false);
    }
    this.open.delete(node);
  }

  /** Settles the overlaps still open when the inputs end. */
  finish(at: number): void {
    for (const pair of this.pairs.values()) this.settle(pair, at, pair.evidence, true);
    this.pairs.clear();
  }

  private settle(pair: Pair, until: number, evidence: readonly Evidence[], atEnd: boolean): void {
    const lasted = until - pair.since;
    if (lasted <= this.what.toleranceMs) return;
    const label = (node: string) => `${node}${this.labelOf(node, pair)}`;
    const tail = atEnd ? ', still so when the inputs end' : '';
    this.sink.report({
      kind: this.what.kind,
      severity: 'error',
      source: 'replay',
      at: pair.since,
      until,
      nodes: [pair.first, pair.second],
      message: `${label(pair.first)} and ${label(pair.second)} both ${this.what.verb} for ${formatDuration(lasted)} by their own journals${tail}`,
      evidence,
    });
  }

  private labelOf(node: string, pair: Pair): string {
    const evidence = pair.evidence.find((item) => item.node === node);
    const note = evidence?.note;
    return note === undefined ? '' : ` (${note})`;
  }
}
