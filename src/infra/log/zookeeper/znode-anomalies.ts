/**
 * What the log found under its root and could not use (a foreign znode, a batch that does not parse,
 * a head or snapshot with junk data), as Anomalies naming the znode. Each znode is reported once per
 * kind per log: a subscription re-lists the events after every change, and the same junk must not
 * flood anomalies$.
 */
import { ReplaySubject } from 'rxjs';
import type { Anomaly } from '../../../domain/event.ts';
import { positionOf } from './positions.ts';

/** Anomalies kept for late subscribers, as the file log does. */
const REPLAYED = 1000;
/** Distinct znodes remembered; past it, reports may repeat (a bound on memory, not a promise). */
const REMEMBERED = 10_000;

export type ZnodeAnomalyKind =
  | 'foreign-znode'
  | 'unparseable-batch'
  | 'unparseable-stream-head'
  | 'unparseable-snapshot'
  | 'vanished-batch';

export interface ZnodeAnomaly {
  readonly kind: ZnodeAnomalyKind;
  readonly path: string;
  readonly message: string;
  /** The batch sequence, when the znode's name has one. */
  readonly sequence?: number;
  readonly stream?: string;
}

export class ZnodeAnomalies {
  private readonly subject = new ReplaySubject<Anomaly>(REPLAYED);
  private readonly seen = new Set<string>();
  readonly anomalies$ = this.subject.asObservable();

  /** Reports `anomaly` unless this znode was already reported for this kind. */
  report(anomaly: ZnodeAnomaly): void {
    const key = `${anomaly.kind} ${anomaly.path}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= REMEMBERED) this.seen.clear();
    this.seen.add(key);
    const where = anomaly.sequence === undefined ? '' : ` (sequence ${anomaly.sequence})`;
    this.subject.next({
      kind: anomaly.kind,
      message: `${anomaly.path}${where}: ${anomaly.message}`,
      location: {
        source: anomaly.path,
        ...(anomaly.stream === undefined ? {} : { stream: anomaly.stream }),
        ...(anomaly.sequence === undefined ? {} : { position: positionOf(anomaly.sequence, 0) }),
      },
    });
  }

  complete(): void {
    this.subject.complete();
  }
}
