/**
 * The text output: a header, the timeline streamed line by line as it is replayed (a day line when
 * the date changes; skipped records inline, where they were met), then the sections known only at
 * the end (see text-sections.ts).
 *
 *   17:51:08.123  node-19-19  TeardownStepCompleted  teardown step zk-close completed (38 ms)
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { ReportTail, SkippedRecord, TimelineEntry } from '../report/report-schema.ts';
import { clockTime, dayOf } from '../time/clock-format.ts';
import { formatLocation } from './location-format.ts';
import type { OutputSink } from './output-sink.ts';
import type { Palette } from './palette.ts';
import type { Renderer, ReplayHeader } from './renderer.ts';
import { textSections } from './text-sections.ts';

const TYPE_WIDTH = 22;
const MAX_NODE_WIDTH = 24;
const MAX_PADDED = 1_024;

export class TextRenderer implements Renderer {
  private nodeWidth = 8;
  private day: string | undefined;
  /** Node names and event types padded to their column, once each rather than once per line. */
  private readonly nodes = new Map<string, string>();
  private readonly types = new Map<string, string>();

  constructor(
    private readonly out: OutputSink,
    private readonly colours: Palette,
    private readonly showTimeline: boolean,
  ) {}

  begin(header: ReplayHeader): Promise<void> | undefined {
    this.nodeWidth = Math.min(
      MAX_NODE_WIDTH,
      Math.max(this.nodeWidth, ...header.nodes.map((node) => node.length)),
    );
    const lines = header.sources.map((source) => `  ${source.kind.padEnd(8)} ${source.path}`);
    return this.out.write(`${this.colours.bold('taskd replay')} of\n${lines.join('\n')}\n\n`);
  }

  step(_step: ReplayStep, entry: TimelineEntry | undefined): Promise<void> | undefined {
    if (entry === undefined || !this.showTimeline) return undefined;
    const { colours } = this;
    const marks =
      entry.anomalies.length === 0 ? '' : entry.anomalies.map((kind) => colours.error(` ⚠ ${kind}`)).join('');
    const node = padded(this.nodes, entry.node, this.nodeWidth);
    const type = padded(this.types, entry.type, TYPE_WIDTH);
    const line = `${this.dayLine(entry.at)}${colours.dim(clockTime(entry.at))}  ${node}  ${colours.category(entry.category, type)} ${entry.text}${marks}\n`;
    return this.out.write(line);
  }

  skipped(record: SkippedRecord): Promise<void> | undefined {
    if (!this.showTimeline) return undefined;
    const indent = ' '.repeat(12 + 2 + this.nodeWidth + 2);
    return this.out.write(
      `${indent}${this.colours.warning(`skipped ${formatLocation(record.location)}: ${record.kind}: ${record.message}`)}\n`,
    );
  }

  async end(tail: ReportTail): Promise<void> {
    await this.out.write(textSections(tail, this.colours));
    await this.out.flush();
  }

  private dayLine(at: number): string {
    const day = dayOf(at);
    if (day === this.day) return '';
    this.day = day;
    return `${this.colours.bold(`── ${day} (UTC) ──`)}\n`;
  }
}

/** `text` padded to `width`, remembered in `cache` (a few node names and event types). */
function padded(cache: Map<string, string>, text: string, width: number): string {
  let result = cache.get(text);
  if (result === undefined) {
    result = text.padEnd(width);
    if (cache.size < MAX_PADDED) cache.set(text, result);
  }
  return result;
}
