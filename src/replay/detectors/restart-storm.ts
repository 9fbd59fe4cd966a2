/**
 * Restart storms (seed 001): at least N restarts within a window, on one node or across the cluster
 * (three nodes exiting in turn every ~7 s while leadership ping-pongs). A restart is a scheduled
 * in-process restart (RestartScheduled) or a new process on a journal that had one before
 * (ProcessStarted; not when it only resumes a restart decision still owed). Consecutive storms
 * closer than the window are one episode, reported once when it ends; the leaders that took turns
 * during a cluster storm are named.
 */

import type { NodeState } from '../../domain/node/index.ts';
import type { NodeStep, ReplayStep } from '../folds/replay-step.ts';
import { formatDuration } from '../time/durations.ts';
import type { Detector, DetectorSettings, ReplayEnd } from './detector.ts';
import { capEvidence, type Evidence, evidenceOf, type FindingSink } from './finding.ts';

const MAX_EVIDENCE = 24;
const MAX_LEADERS_NAMED = 12;

interface Episode {
  readonly start: number;
  last: number;
  count: number;
  readonly nodes: Set<string>;
  readonly evidence: Evidence[];
  readonly leaders: string[];
}

class StormWindow {
  private readonly recent: Evidence[] = [];
  episode: Episode | undefined;

  constructor(
    private readonly settings: Pick<DetectorSettings, 'stormCount' | 'stormWindowMs'>,
    private readonly close: (episode: Episode) => void,
  ) {}

  add(restart: Evidence): void {
    const { stormCount, stormWindowMs } = this.settings;
    if (this.episode !== undefined && restart.at - this.episode.last > stormWindowMs) this.flush();
    this.recent.push(restart);
    while (this.recent.length > 0 && restart.at - (this.recent[0] as Evidence).at > stormWindowMs)
      this.recent.shift();
    if (this.episode !== undefined) {
      this.extend(this.episode, restart);
    } else if (this.recent.length >= stormCount) {
      const first = this.recent[0] as Evidence;
      this.episode = {
        start: first.at,
        last: first.at,
        count: 0,
        nodes: new Set(),
        evidence: [],
        leaders: [],
      };
      for (const earlier of this.recent) this.extend(this.episode, earlier);
    }
    if (this.recent.length > stormCount) this.recent.shift(); // only the last N matter for the next start
  }

  /** Ends the episode if the window has passed since its last restart. */
  flushBefore(at: number): void {
    if (this.episode !== undefined && at - this.episode.last > this.settings.stormWindowMs) this.flush();
  }

  flush(): void {
    if (this.episode !== undefined) this.close(this.episode);
    this.episode = undefined;
    this.recent.length = 0;
  }

  private extend(episode: Episode, restart: Evidence): void {
    episode.last = restart.at;
    episode.count += 1;
    episode.nodes.add(restart.node);
    if (episode.evidence.length < MAX_EVIDENCE * 4) episode.evidence.push(restart);
  }
}

export class RestartStormDetector implements Detector {
  private readonly perNode = new Map<string, StormWindow>();
  private readonly started = new Set<string>();
  /** Leadership changes within the last window: a storm opens only at its Nth restart. */
  private readonly recentLeaders: { readonly node: string; readonly at: number }[] = [];
  private readonly cluster: StormWindow;

  constructor(
    private readonly sink: FindingSink,
    private readonly settings: DetectorSettings,
  ) {
    this.cluster = new StormWindow(settings, (episode) => {
      if (episode.nodes.size > 1) this.reportEpisode(episode, 'cluster');
    });
  }

  observe(step: ReplayStep): void {
    if (step.kind !== 'node') return;
    this.cluster.flushBefore(step.at);
    const { before, after } = step;
    if (after.role.status === 'leader' && before.role.status !== 'leader') {
      this.recentLeaders.push({ node: step.node, at: step.at });
      if (this.recentLeaders.length > MAX_LEADERS_NAMED) this.recentLeaders.shift();
      const leaders = this.cluster.episode?.leaders;
      if (leaders !== undefined && leaders.length <= MAX_LEADERS_NAMED) leaders.push(step.node);
    }
    const window = this.settings.stormWindowMs;
    while ((this.recentLeaders[0]?.at ?? step.at) < step.at - window) this.recentLeaders.shift();
    const restart = this.restartOf(step);
    if (restart === undefined) return;
    this.windowOf(step.node).add(restart);
    const wasOpen = this.cluster.episode !== undefined;
    this.cluster.add(restart);
    const opened = this.cluster.episode;
    if (!wasOpen && opened !== undefined) {
      opened.leaders.push(
        ...this.recentLeaders.filter((leader) => leader.at >= opened.start).map((leader) => leader.node),
      );
    }
  }

  finish(_end: ReplayEnd): void {
    for (const window of this.perNode.values()) window.flush();
    this.cluster.flush();
  }

  /** The restart this step shows, if any. */
  private restartOf(step: NodeStep): Evidence | undefined {
    const { before, after } = step;
    if (step.event.type === 'ProcessStarted' && step.valid) {
      const first = !this.started.has(step.node);
      this.started.add(step.node);
      // A process that resumes an owed restart decision is counted by its RestartScheduled.
      if (first || after.lifecycle.status !== 'new') return undefined;
      return evidenceOf(step, `new process after ${describeEnd(before)}`);
    }
    if (after.lifecycle.status === 'restart-scheduled' && before.lifecycle.status !== 'restart-scheduled') {
      return evidenceOf(step, 'in-process restart scheduled');
    }
    return undefined;
  }

  private windowOf(node: string): StormWindow {
    let window = this.perNode.get(node);
    if (window === undefined) {
      window = new StormWindow(this.settings, (episode) => this.reportEpisode(episode, node));
      this.perNode.set(node, window);
    }
    return window;
  }

  private reportEpisode(episode: Episode, scope: string): void {
    const { stormCount, stormWindowMs } = this.settings;
    const nodes = [...episode.nodes].sort();
    const where = scope === 'cluster' ? `across ${nodes.join(', ')}` : `on ${scope}`;
    const span = formatDuration(episode.last - episode.start);
    const named = episode.leaders.slice(0, MAX_LEADERS_NAMED);
    const more = episode.leaders.length > named.length ? ' → …' : '';
    const leaders = named.length > 1 ? `; leadership went ${named.join(' → ')}${more}` : '';
    this.sink.report({
      kind: scope === 'cluster' ? 'restart-storm-cluster' : 'restart-storm',
      severity: 'error',
      source: 'replay',
      at: episode.start,
      until: episode.last,
      nodes,
      message: `restart storm ${where}: ${episode.count} restarts in ${span} (threshold ${stormCount} in ${formatDuration(stormWindowMs)})${leaders}`,
      evidence: capEvidence(episode.evidence, MAX_EVIDENCE),
    });
  }
}

function describeEnd(state: NodeState): string {
  const lifecycle = state.lifecycle;
  return lifecycle.status === 'stopped'
    ? `a stop (${lifecycle.trigger})`
    : `the last one died while ${lifecycle.status}`;
}
