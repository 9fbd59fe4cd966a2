/**
 * The end of the text output: summary, what was skipped and noted, clock skew, anomalies with the
 * events that prove them, and the state at --at.
 */
import type { AnomalyReport, ReportTail, SkewReport, StateReport } from '../report/report-schema.ts';
import { clockTime, isoTime } from '../time/clock-format.ts';
import { formatLocation } from './location-format.ts';
import type { Palette } from './palette.ts';

const MAX_TASK_LINES = 50;

/** Every end section, as one string. */
export function textSections(tail: ReportTail, colours: Palette): string {
  return [summary(tail), skipped(tail), skew(tail.skew), anomalies(tail, colours), state(tail.state)]
    .filter((section) => section !== '')
    .map((section) => `\n${section}`)
    .join('');
}

function summary(tail: ReportTail): string {
  const { summary: s, nodes } = tail;
  const span = s.first === null || s.last === null ? '' : ` from ${isoTime(s.first)} to ${isoTime(s.last)}`;
  const capped = s.timelineCapped ? ` (timeline cut at ${s.timelineEntries} lines by --limit)` : '';
  return [
    '── summary ──',
    `${count(s.events)} events (${count(s.journalEvents)} from journals, ${count(s.taskEvents)} from the task log)${span}`,
    `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${nodes.map((node) => `${node.node} (${node.status.lifecycle}, ${node.status.role})`).join(', ') || 'none'}`,
    `${count(s.timelineEntries)} timeline lines${capped}; ${count(s.skipped)} records skipped; ${count(s.anomalies)} anomalies`,
    '',
  ].join('\n');
}

function skipped(tail: ReportTail): string {
  const lines = tail.inputs.flatMap((input) => [
    ...input.skipped.map(
      (record) => `  ${formatLocation(record.location)}: ${record.kind}: ${record.message}`,
    ),
    ...(input.skippedCount > input.skipped.length
      ? [`  … and ${input.skippedCount - input.skipped.length} more in ${input.path}`]
      : []),
    ...input.notes.map((note) => `  note (${input.path}): ${note}`),
  ]);
  return lines.length === 0 ? '' : `── skipped and noted ──\n${lines.join('\n')}\n`;
}

function skew(report: SkewReport): string {
  if (report.observations === 0) {
    return '── clock skew ──\n  not estimated: no ZooKeeper change was seen by two nodes\n';
  }
  const lines = report.nodes.map((node) => {
    const offset = node.offsetMs === null ? 'unknown' : `${node.offsetMs >= 0 ? '+' : ''}${node.offsetMs} ms`;
    return `  ${node.node}  ${offset}  (${node.samples} samples)`;
  });
  return [
    `── clock skew (${report.observations} shared ZooKeeper changes; largest spread ${report.maxSpreadMs} ms, median ${report.medianSpreadMs} ms) ──`,
    ...lines,
    '',
  ].join('\n');
}

function anomalies(tail: ReportTail, colours: Palette): string {
  const { anomalies: list, summary: s } = tail;
  if (s.anomalies === 0) return '── anomalies ──\n  none found\n';
  const kinds = Object.entries(s.anomaliesByKind)
    .map(([kind, n]) => `${kind} ×${n}`)
    .join(', ');
  const more = s.anomaliesShown < s.anomalies ? `; the first ${s.anomaliesShown} are listed` : '';
  const lines = list.map((anomaly) => anomalyLines(anomaly, colours));
  return `── anomalies (${s.anomalies}: ${kinds}${more}) ──\n${lines.join('')}`;
}

function anomalyLines(anomaly: AnomalyReport, colours: Palette): string {
  const mark = anomaly.severity === 'error' ? colours.error('✖ error  ') : colours.warning('▲ warning');
  const where = [anomaly.nodes.join(', '), anomaly.taskId === undefined ? '' : `task ${anomaly.taskId}`]
    .filter((part) => part !== '')
    .join(' · ');
  const evidence = anomaly.evidence.map((item) => {
    const note = item.note === undefined ? '' : `  ${colours.dim(item.note)}`;
    return `      ← ${clockTime(item.at)} ${item.node} ${item.type}  ${formatLocation(item.location)}${note}\n`;
  });
  return `  ${mark} ${clockTime(anomaly.at)}  ${colours.bold(anomaly.kind)}  ${where}\n      ${anomaly.message}\n${evidence.join('')}`;
}

function state(report: StateReport | undefined): string {
  if (report === undefined) return '';
  const { cluster } = report;
  const leaders =
    cluster.leaders.map((leader) => `${leader.node} (epoch ${leader.epoch})`).join(' and ') || 'none';
  const lines = [
    `── state at ${report.time} ──`,
    `  leader: ${leaders}   VIP: ${cluster.vipHolders.join(', ') || 'nobody'}   members: ${cluster.members.join(', ') || 'none'}`,
  ];
  if (cluster.taskLog !== null) {
    lines.push(
      `  task log: epoch ${cluster.taskLog.epoch}${cluster.taskLog.leader === null ? '' : ` (${cluster.taskLog.leader})`}`,
    );
  }
  for (const node of report.nodes) {
    const sees = node.leader === null ? 'no leader' : `leader ${node.leader}/${node.epoch ?? '?'}`;
    const vip = node.vipHolder === null ? '' : ', holds the VIP';
    const degraded = node.degraded.length === 0 ? '' : `, degraded: ${node.degraded.join(', ')}`;
    lines.push(
      `  ${node.node}: ${node.lifecycle}, incarnation ${node.incarnation}, session ${node.session}, ${node.role}, ${node.health}, sees ${sees}${vip}${degraded}`,
    );
  }
  if (report.taskCounts !== null) {
    const counts = Object.entries(report.taskCounts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`);
    lines.push(`  tasks: ${counts.join(', ') || 'none'}`);
    for (const task of report.tasks.slice(0, MAX_TASK_LINES)) {
      const where =
        task.node === undefined
          ? ''
          : ` on ${task.node} (incarnation ${task.incarnation}, epoch ${task.epoch})`;
      lines.push(`    ${task.taskId}  ${task.status}  attempt ${task.attempt}/${task.maxAttempts}${where}`);
    }
    if (report.tasksTotal > MAX_TASK_LINES)
      lines.push(`    … ${report.tasksTotal - MAX_TASK_LINES} more (use --task or --format json)`);
  }
  return `${lines.join('\n')}\n`;
}

function count(n: number): string {
  return n.toLocaleString('en');
}
