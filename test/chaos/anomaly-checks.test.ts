/**
 * The oracle's judgement of replay's anomalies against the schedule, on hand-made reports: a death
 * the damaged journal explains leaves a later kill's allowance alone; the VIP on two nodes passes
 * while one was paused or had been killed and not yet started again, and fails otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { AnomalyReport, ReplayReport } from '../../src/replay/index.ts';
import { checkAnomalies } from './anomaly-checks.ts';
import { SUSPICION_WINDOW_MS } from './chaos-settings.ts';
import { type FaultRecord, openRecord } from './fault-kinds.ts';
import { Verdict } from './verdict.ts';

const anomaly = (kind: string, nodes: string[], at: number, until?: number): AnomalyReport => ({
  kind,
  severity: 'error',
  source: 'node-fold',
  at,
  time: new Date(at).toISOString(),
  ...(until === undefined ? {} : { until }),
  nodes,
  message: kind,
  evidence: [],
});

const judged = (anomalies: AnomalyReport[], records: FaultRecord[]): Verdict => {
  const verdict = new Verdict();
  const summary = { anomalies: anomalies.length, anomaliesShown: anomalies.length };
  checkAnomalies(verdict, { anomalies, summary } as unknown as ReplayReport, records);
  return verdict;
};

const killed = (node: string, startedAt: number, settledAt: number): FaultRecord => {
  const record = openRecord({ kind: 'kill-leader', restartAfterMs: 1_000 }, node);
  return { ...record, startedAt, endedAt: settledAt - 500, settledAt, killed: [node] };
};

const damaged = (node: string, restartedAt: number): FaultRecord => {
  const record = openRecord({ kind: 'damage-journal', target: 'runner' }, node);
  record.expectations.push({
    kind: 'journal-damage',
    node,
    file: 'j',
    zeroedLine: 2,
    cutLine: 3,
    restartedAt,
  });
  return record;
};

describe('judging replay anomalies against the schedule', () => {
  it('counts a kill once even when the damaged journal explains an earlier death', () => {
    const records = [damaged('n2', 1_000), killed('n2', 5_000, 8_000)];
    const verdict = judged(
      [
        anomaly('process-died-without-teardown', ['n2'], 900),
        anomaly('process-died-without-teardown', ['n2'], 7_000),
      ],
      records,
    );
    expect(verdict.violations).toEqual([]);
  });

  it('fails a death without teardown that no fault explains', () => {
    const verdict = judged([anomaly('process-died-without-teardown', ['n1'], 7_000)], []);
    expect(verdict.violations.map((v) => v.check)).toEqual(['replay: process-died-without-teardown']);
  });

  it('passes the VIP on two nodes while the killed holder had not started again', () => {
    const verdict = judged(
      [anomaly('vip-on-two-nodes', ['n1', 'n2'], 6_000, 9_000)],
      [killed('n1', 5_000, 9_000)],
    );
    expect(verdict.violations).toEqual([]);
  });

  it('passes the VIP on two nodes while one of them was paused', () => {
    const record = openRecord({ kind: 'pause-leader', extraMs: 500 }, 'n1');
    record.paused.push({ node: 'n1', from: 5_000, to: 8_000 });
    const verdict = judged(
      [anomaly('vip-on-two-nodes', ['n1', 'n2'], 7_000, 8_000 + SUSPICION_WINDOW_MS)],
      [record],
    );
    expect(verdict.violations).toEqual([]);
  });

  it('fails the VIP on two nodes long after the killed node settled, or with no fault at all', () => {
    const late = judged(
      [anomaly('vip-on-two-nodes', ['n1', 'n2'], 6_000, 9_000 + SUSPICION_WINDOW_MS + 1)],
      [killed('n1', 5_000, 9_000)],
    );
    expect(late.violations.map((v) => v.check)).toEqual(['replay: vip-on-two-nodes']);
    const unexplained = judged([anomaly('vip-on-two-nodes', ['n1', 'n2'], 6_000, 7_000)], []);
    expect(unexplained.violations.map((v) => v.check)).toEqual(['replay: vip-on-two-nodes']);
  });
});
