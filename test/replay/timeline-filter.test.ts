import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterPaths, T, writeCluster } from './cluster-scenario.ts';
import { replay, replayJson, type TempDir, tempDir } from './replay-fixture.ts';

let dir: TempDir;
let paths: ClusterPaths;
beforeAll(async () => {
  dir = await tempDir();
  paths = await writeCluster(dir.path);
});
afterAll(() => dir.remove());

const timelineOf = async (options: Record<string, unknown>) =>
  (await replayJson({ inputs: [paths.journals], log: paths.taskLog, ...options })).report.timeline;

describe('timeline filters', () => {
  it('--node keeps that node’s events and the task events about it', async () => {
    const timeline = await timelineOf({ nodes: ['n2'] });
    expect(new Set(timeline.map((entry) => entry.node))).toEqual(new Set(['n1', 'n2']));
    for (const entry of timeline.filter((item) => item.node === 'n1')) {
      expect(entry).toMatchObject({ type: 'TaskAssigned', data: { node: 'n2' } });
    }
  });

  it('--task keeps only that task’s events', async () => {
    const timeline = await timelineOf({ tasks: ['a'] });
    expect(timeline.map((entry) => entry.type)).toEqual([
      'TaskSubmitted',
      'TaskAssigned',
      'TaskStarted',
      'TaskSucceeded',
    ]);
    expect(timeline.every((entry) => entry.taskId === 'a')).toBe(true);
  });

  it('--kind takes categories and event types, in any case', async () => {
    const timeline = await timelineOf({ kinds: ['vip,LEADERSHIPACQUIRED'] });
    expect(timeline.map((entry) => `${entry.node} ${entry.type}`)).toEqual([
      'n1 LeadershipAcquired',
      'n1 VipAcquired',
    ]);
  });

  it('--since and --until bound the timeline, absolute or relative to the inputs', async () => {
    const timeline = await timelineOf({ since: new Date(T + 2_000).toISOString(), until: 'start+3s' });
    expect(timeline.map((entry) => entry.at)).toEqual([T + 2_000, T + 2_100, T + 2_200, T + 3_000]);
    const tail = await timelineOf({ since: 'end-1s' });
    expect(tail.map((entry) => `${entry.node} ${entry.type}`)).toEqual([
      'n1 HealthChecked',
      'n2 HealthChecked',
    ]);
  });

  it('takes times relative to now', async () => {
    const timeline = await timelineOf({ since: '-10s', now: T + 60_005 });
    expect(timeline).toHaveLength(2);
  });

  it('--limit cuts the timeline and says so, while everything is still checked', async () => {
    const { report } = await replayJson({ inputs: [paths.journals], log: paths.taskLog, limit: 3 });
    expect(report.timeline).toHaveLength(3);
    expect(report.summary).toMatchObject({
      timelineEntries: 3,
      timelineCapped: true,
      events: report.summary.journalEvents + 8,
    });
  });

  it('refuses a kind that is neither a category nor an event type, and a time it cannot read', async () => {
    const kind = await replay({ inputs: [paths.journals], kinds: ['leaders'] });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('--kind "leaders" is neither a category');
    const time = await replay({ inputs: [paths.journals], since: 'yesterday-ish' });
    expect(time.code).toBe(2);
    expect(time.stderr).toContain('--since: cannot read the time "yesterday-ish"');
  });
});
