/**
 * What `runReplay` takes, as plain data (the command fills it from flags; tests and tools build it
 * directly), and its validation: anything wrong is a ReplayInputError (exit 2) naming the option.
 */
import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from './detectors/detector.ts';
import { isEventCategory, knownEventTypes } from './narrate/event-categories.ts';
import type { TextStream } from './render/output-sink.ts';
import { ReplayInputError } from './replay-input-error.ts';
import { parseTimeSpec, type TimeSpec } from './time/time-spec.ts';

export const REPLAY_FORMATS = ['text', 'json', 'html'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

export interface ReplayOptions {
  /** Journal files, folders of journals (a data directory), bundles (.tar.gz). */
  readonly inputs: readonly string[];
  /** The task log: a file path, zk://host:port,…/<cluster> or esdb://…. */
  readonly log?: string;
  /** Default 'text'. */
  readonly format?: ReplayFormat;
  /** Write the report to this file instead of stdout. */
  readonly output?: string;
  readonly nodes?: readonly string[];
  readonly tasks?: readonly string[];
  /** Categories (session, leadership, vip, teardown, …) or event types. */
  readonly kinds?: readonly string[];
  readonly since?: string;
  readonly until?: string;
  /** Show the cluster's state at this time. */
  readonly at?: string;
  /** Most timeline entries to print (the rest is still replayed and checked). */
  readonly limit?: number;
  /** False: no timeline, only the end sections. Default true. */
  readonly timeline?: boolean;
  /** Exit 1 when anomalies are found. */
  readonly failOnAnomaly?: boolean;
  readonly detectors?: Partial<DetectorSettings>;
  /** "Now" for times like "-10m" (tests); default Date.now(). */
  readonly now?: number;
  /** Override colour (default: stdout is a terminal and NO_COLOR is unset). */
  readonly color?: boolean;
  /** Override the progress line (default: stderr is a terminal). */
  readonly progress?: boolean;
}

export interface ReplayIo {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  readonly env?: NodeJS.ProcessEnv;
}

export interface CheckedOptions {
  readonly format: ReplayFormat;
  readonly since?: TimeSpec;
  readonly until?: TimeSpec;
  readonly at?: TimeSpec;
  readonly settings: DetectorSettings;
}

/** Validates what cannot be checked by types; throws ReplayInputError. */
export function checkOptions(options: ReplayOptions): CheckedOptions {
  const format = options.format ?? 'text';
  if (!(REPLAY_FORMATS as readonly string[]).includes(format)) {
    throw new ReplayInputError(`--format must be one of ${REPLAY_FORMATS.join(', ')}, not "${format}"`);
  }
  const known = new Set(knownEventTypes().map((type) => type.toLowerCase()));
  for (const kind of (options.kinds ?? []).flatMap((value) => value.split(',')).map((v) => v.trim())) {
    if (kind !== '' && !isEventCategory(kind.toLowerCase()) && !known.has(kind.toLowerCase())) {
      throw new ReplayInputError(
        `--kind "${kind}" is neither a category (session, membership, leadership, vip, health, teardown, restart, process, submission, dispatch, runner) nor an event type`,
      );
    }
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw new ReplayInputError(`--limit must be a whole number >= 0, not ${options.limit}`);
  }
  const settings = { ...DEFAULT_DETECTOR_SETTINGS, ...options.detectors };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value < 0)
      throw new ReplayInputError(`${name} must be a number >= 0, not ${value}`);
  }
  if (settings.stormCount < 2) throw new ReplayInputError('a restart storm needs a count of at least 2');
  const now = options.now ?? Date.now();
  const time = (flag: string, text: string | undefined): TimeSpec | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseTimeSpec(text, now);
    if (!parsed.ok) throw new ReplayInputError(`--${flag}: ${parsed.message}`);
    return parsed.spec;
  };
  const since = time('since', options.since);
  const until = time('until', options.until);
  const at = time('at', options.at);
  return {
    format,
    settings,
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(at === undefined ? {} : { at }),
  };
}
