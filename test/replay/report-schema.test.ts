/**
 * The JSON document's shape is a contract with tools: these are its keys, at every level that
 * carries data. Adding a key is fine (add it here); renaming or removing one bumps `version`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/replay/index.ts';
import { T, writeCluster } from './cluster-scenario.ts';
import { replayJson, type TempDir, tempDir, writeJournal } from './replay-fixture.ts';
import { SEED_000_NODE, seed000Journal } from './seed-journals.ts';

let dir: TempDir;
let report: ReplayReport;
beforeAll(async () => {
  dir = await tempDir();
  const paths = await writeCluster(dir.path);
  await writeJournal(paths.journals, SEED_000_NODE, seed000Journal());
  report = (await replayJson({ inputs: [paths.journals], log: paths.taskLog, at: String(T + 4_000) })).report;
});
afterAll(() => dir.remove());

const keys = (value: unknown) => Object.keys(value as object).sort();

describe('the JSON report schema', () => {
  it('has the documented top-level keys and version 1', () => {
    expect(report.version).toBe(1);
    expect(keys(report)).toEqual([
      'anomalies',
      'inputs',
      'nodes',
      'skew',
      'state',
      'summary',
      'timeline',
      'version',
    ]);
  });

  it('keeps the keys of every part stable', () => {
    expect(keys(report.timeline.find((entry) => entry.type === 'TaskAssigned'))).toEqual([
      'anomalies',
      'at',
      'category',
      'data',
      'epoch',
      'incarnation',
      'location',
      'node',
      'source',
      'taskId',
      'text',
      'time',
      'type',
    ]);
    expect(keys(report.inputs[0])).toEqual([
      'events',
      'kind',
      'nodes',
      'notes',
      'path',
      'skipped',
      'skippedCount',
    ]);
    expect(keys(report.nodes[0])).toEqual([
      'config',
      'events',
      'first',
      'foldAnomalies',
      'last',
      'node',
      'status',
    ]);
    expect(keys(report.nodes[0]?.status)).toEqual([
      'degraded',
      'epoch',
      'health',
      'incarnation',
      'leader',
      'lifecycle',
      'node',
      'role',
      'session',
      'vipHolder',
    ]);
    expect(keys(report.skew)).toEqual(['maxSpreadMs', 'medianSpreadMs', 'method', 'nodes', 'observations']);
    expect(keys(report.skew.nodes[0])).toEqual(['node', 'offsetMs', 'samples']);
    expect(keys(report.anomalies.find((anomaly) => anomaly.until !== undefined))).toEqual([
      'at',
      'evidence',
      'kind',
      'message',
      'nodes',
      'severity',
      'source',
      'time',
      'until',
    ]);
    const noted = report.anomalies
      .flatMap((anomaly) => anomaly.evidence)
      .find((item) => item.note !== undefined);
    expect(keys(noted)).toEqual(['at', 'location', 'node', 'note', 'time', 'type']);
    expect(keys(report.anomalies[0]?.evidence[0]?.location)).toEqual(['line', 'offset', 'source']);
    expect(keys(report.summary)).toEqual([
      'anomalies',
      'anomaliesByKind',
      'anomaliesShown',
      'events',
      'first',
      'journalEvents',
      'last',
      'skipped',
      'taskEvents',
      'timelineCapped',
      'timelineEntries',
    ]);
    expect(keys(report.state)).toEqual([
      'at',
      'cluster',
      'nodes',
      'taskCounts',
      'tasks',
      'tasksTotal',
      'time',
    ]);
    expect(keys(report.state?.cluster)).toEqual(['leaders', 'members', 'taskLog', 'vipHolders']);
    expect(keys(report.state?.tasks[0])).toEqual([
      'attempt',
      'epoch',
      'incarnation',
      'maxAttempts',
      'node',
      'status',
      'submittedAt',
      'taskId',
      'type',
    ]);
  });
});
