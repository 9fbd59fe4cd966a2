/**
 * `taskd replay`: resolve the inputs, resolve times relative to them, replay once into the chosen
 * format, and say how it went as an exit code: 0 done, 1 anomalies found (only with
 * --fail-on-anomaly), 2 bad usage or input that cannot be read at all. Unreadable records inside
 * readable inputs are not errors: they are reported with where they sit, and the rest replays.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { inputBounds } from './inputs/input-bounds.ts';
import type { ReplayInputs } from './inputs/input-model.ts';
import { resolveInputs } from './inputs/resolve-inputs.ts';
import { createProgress } from './progress.ts';
import { HtmlRenderer } from './render/html-renderer.ts';
import { JsonRenderer } from './render/json-renderer.ts';
import { OutputSink, type TextStream } from './render/output-sink.ts';
import { palette, wantsColour } from './render/palette.ts';
import type { Renderer } from './render/renderer.ts';
import { TextRenderer } from './render/text-renderer.ts';
import { isReplayInputError } from './replay-input-error.ts';
import { type CheckedOptions, checkOptions, type ReplayIo, type ReplayOptions } from './replay-options.ts';
import { replayPass } from './replay-pass.ts';
import { isAnchored, resolveTime } from './time/time-spec.ts';
import { TimelineFilter } from './timeline-filter.ts';

export const ReplayExit = { OK: 0, ANOMALIES: 1, USAGE: 2 } as const;

/** Runs a replay; resolves with the exit code. Never rejects for bad input (it says why on stderr). */
export async function runReplay(options: ReplayOptions, io: ReplayIo): Promise<number> {
  let inputs: ReplayInputs | undefined;
  let file: WriteStream | undefined;
  try {
    const checked = checkOptions(options);
    inputs = await resolveInputs({
      paths: options.inputs,
      ...(options.log === undefined ? {} : { taskLog: options.log }),
    });
    const times = await resolveTimes(checked, inputs);
    const filter = new TimelineFilter({
      ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
      ...(options.tasks === undefined ? {} : { tasks: options.tasks }),
      ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
      ...times.window,
    });
    file = options.output === undefined ? undefined : createWriteStream(options.output, { mode: 0o600 });
    if (file !== undefined) await once(file, 'open');
    const stream: TextStream = file ?? io.stdout;
    const out = new OutputSink(stream);
    const colour = options.color ?? (file === undefined && wantsColour(io.stdout, io.env ?? process.env));
    const renderer = rendererFor(checked, out, colour, filter, options.timeline ?? true);
    const onTerminal = options.progress ?? io.stderr.isTTY === true;
    const progress = createProgress(
      { write: (chunk) => io.stderr.write(chunk), isTTY: onTerminal },
      inputs.journalBytes,
    );
    const { tail } = await replayPass({
      inputs,
      settings: checked.settings,
      filter,
      ...(times.at === undefined ? {} : { at: times.at }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      timeline: options.timeline ?? true,
      renderer,
      progress,
    });
    if (file !== undefined) {
      file.end();
      await once(file, 'finish');
    }
    return options.failOnAnomaly === true && tail.summary.anomalies > 0
      ? ReplayExit.ANOMALIES
      : ReplayExit.OK;
  } catch (error) {
    file?.destroy();
    io.stderr.write(`taskd replay: ${isReplayInputError(error) ? error.message : describeFailure(error)}\n`);
    return ReplayExit.USAGE;
  } finally {
    await inputs?.close();
  }
}

async function resolveTimes(
  checked: CheckedOptions,
  inputs: ReplayInputs,
): Promise<{ window: { since?: number; until?: number }; at?: number }> {
  const { since, until, at } = checked;
  const anchored = isAnchored(since) || isAnchored(until) || isAnchored(at);
  const bounds = anchored ? await inputBounds(inputs) : { start: 0, end: 0 };
  const resolved = {
    ...(since === undefined ? {} : { since: resolveTime(since, bounds) }),
    ...(until === undefined ? {} : { until: resolveTime(until, bounds) }),
  };
  return { window: resolved, ...(at === undefined ? {} : { at: resolveTime(at, bounds) }) };
}

function rendererFor(
  checked: CheckedOptions,
  out: OutputSink,
  colour: boolean,
  filter: TimelineFilter,
  timeline: boolean,
): Renderer {
  switch (checked.format) {
    case 'text':
      return new TextRenderer(out, palette(colour), timeline);
    case 'json':
      return new JsonRenderer(out);
    case 'html':
      return new HtmlRenderer(out, (node) => filter.showsNode(node));
  }
}

/** A failure reading an input (a log that cannot be opened, an I/O error) in one line. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
