/**
 * Every finding of a replay, in bounded memory: the first `max` are kept whole (a post-mortem is
 * about the first things that went wrong), every one is counted by kind.
 */
import type { Finding, FindingSink } from './finding.ts';

export const DEFAULT_MAX_FINDINGS = 1_000;

export class Findings implements FindingSink {
  private readonly kept: Finding[] = [];
  private readonly counts = new Map<string, number>();
  private count = 0;

  constructor(private readonly max = DEFAULT_MAX_FINDINGS) {}

  report(finding: Finding): void {
    this.count += 1;
    this.counts.set(finding.kind, (this.counts.get(finding.kind) ?? 0) + 1);
    if (this.kept.length < this.max) this.kept.push(finding);
  }

  /** The kept findings, by time. */
  list(): Finding[] {
    return [...this.kept].sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
  }

  get total(): number {
    return this.count;
  }

  /** How many of each kind, kinds sorted. */
  byKind(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
