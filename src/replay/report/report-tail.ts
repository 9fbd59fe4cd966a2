/**
 * Everything of the report but the timeline, built once the inputs end: inputs with what was
 * skipped, nodes, clock skew, the anomalies the filters keep, the summary, and the --at state.
 */
import { clusterStatus, type NodeState } from '../../domain/node/index.ts';
import type { ClockSkew } from '../clock-skew.ts';
import type { Evidence, Finding } from '../detectors/finding.ts';
import type { Findings } from '../detectors/findings.ts';
import type { ReplayInputs } from '../inputs/input-model.ts';
import type { StateAt } from '../state-at.ts';
import { isoTime } from '../time/clock-format.ts';
import type { TimelineFilter } from '../timeline-filter.ts';
import type { PassStats } from './pass-stats.ts';
import type { AnomalyReport, EvidenceReport, ReportTail } from './report-schema.ts';

export interface TailParts {
  readonly inputs: ReplayInputs;
  readonly stats: PassStats;
  readonly findings: Findings;
  readonly filter: TimelineFilter;
  readonly skew: ClockSkew;
  readonly nodes: ReadonlyMap<string, NodeState>;
  readonly stateAt: StateAt | undefined;
  readonly hasTaskLog: boolean;
}

/** The report's tail. */
export function buildTail(parts: TailParts): ReportTail {
  const { inputs, stats, findings, filter, nodes } = parts;
  const anomalies = findings
    .list()
    .filter((finding) => filter.acceptsFinding(finding))
    .map(anomalyReport);
  const fromBundle = new Set(
    inputs.chains.filter((chain) => chain.config !== undefined).map((chain) => chain.node),
  );
  const nodeNames = [...nodes.keys()].sort();
  return {
    inputs: inputs.sources.map((source, i) => {
      const input = stats.perInput[i];
      return {
        kind: source.kind,
        path: source.path,
        ...(source.taskdVersion === undefined ? {} : { taskdVersion: source.taskdVersion }),
        nodes: [...(input?.nodes ?? [])].sort(),
        events: input?.events ?? 0,
        skipped: input?.skipped ?? [],
        skippedCount: input?.skippedCount ?? 0,
        notes: source.notes,
      };
    }),
    nodes: nodeNames
      .filter((node) => filter.showsNode(node))
      .map((node) => {
        const state = nodes.get(node) as NodeState;
        const counted = stats.perNode.get(node);
        return {
          node,
          config: fromBundle.has(node) ? 'bundle' : 'default',
          events: counted?.events ?? 0,
          first: counted?.first ?? null,
          last: counted?.last ?? null,
          status: clusterStatus(state),
          foldAnomalies: state.anomalyCount,
        };
      }),
    skew: parts.skew.result(nodeNames),
    anomalies,
    summary: {
      events: stats.journalEvents + stats.taskEvents,
      journalEvents: stats.journalEvents,
      taskEvents: stats.taskEvents,
      first: stats.first ?? null,
      last: stats.last ?? null,
      timelineEntries: stats.timelineEntries,
      timelineCapped: stats.timelineCapped,
      anomalies: filter.narrows ? anomalies.length : findings.total,
      anomaliesShown: anomalies.length,
      anomaliesByKind: filter.narrows ? countKinds(anomalies) : findings.byKind(),
      skipped: stats.skippedTotal,
    },
    ...(parts.stateAt === undefined ? {} : { state: parts.stateAt.report(filter, parts.hasTaskLog) }),
  };
}

function anomalyReport(finding: Finding): AnomalyReport {
  return {
    kind: finding.kind,
    severity: finding.severity,
    source: finding.source,
    at: finding.at,
    time: isoTime(finding.at),
    ...(finding.until === undefined ? {} : { until: finding.until }),
    nodes: finding.nodes,
    ...(finding.taskId === undefined ? {} : { taskId: finding.taskId }),
    message: finding.message,
    evidence: finding.evidence.map(evidenceReport),
  };
}

function evidenceReport(evidence: Evidence): EvidenceReport {
  return {
    node: evidence.node,
    type: evidence.type,
    at: evidence.at,
    time: isoTime(evidence.at),
    location: evidence.location,
    ...(evidence.note === undefined ? {} : { note: evidence.note }),
  };
}

function countKinds(anomalies: readonly AnomalyReport[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const anomaly of [...anomalies].sort((a, b) => a.kind.localeCompare(b.kind))) {
    counts[anomaly.kind] = (counts[anomaly.kind] ?? 0) + 1;
  }
  return counts;
}
