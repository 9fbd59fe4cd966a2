/**
 * The HTML output: ONE self-contained page (inline style, inline script, the data embedded as JSON),
 * so it opens offline and can be attached to an incident. The lanes are drawn by the script; the
 * data is gathered while replaying (swimlanes.ts), capped with a note on the page when it is large.
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { ReportTail, TimelineEntry } from '../report/report-schema.ts';
import { isoTime } from '../time/clock-format.ts';
import { HTML_SCRIPT } from './html-script.ts';
import { HTML_STYLE } from './html-style.ts';
import { formatLocation } from './location-format.ts';
import type { OutputSink } from './output-sink.ts';
import type { Renderer, ReplayHeader } from './renderer.ts';
import { MAX_EVENTS_PER_LANE, MAX_TASK_BARS, SwimlaneCollector } from './swimlanes.ts';

export class HtmlRenderer implements Renderer {
  private readonly lanes: SwimlaneCollector;
  private header: ReplayHeader = { sources: [], nodes: [] };

  constructor(
    private readonly out: OutputSink,
    showsNode: (node: string) => boolean,
  ) {
    this.lanes = new SwimlaneCollector(showsNode);
  }

  begin(header: ReplayHeader): undefined {
    this.header = header;
    return undefined;
  }

  step(step: ReplayStep, entry: TimelineEntry | undefined): undefined {
    this.lanes.observe(step, entry);
    return undefined;
  }

  skipped(): undefined {
    return undefined;
  }

  async end(tail: ReportTail): Promise<void> {
    const model = this.lanes.finish();
    const notes = [
      ...model.lanes.flatMap((lane) => [
        ...(lane.eventsDropped > 0
          ? [
              `${lane.node}: only the first ${MAX_EVENTS_PER_LANE} events are drawn (${lane.eventsDropped} more; filter with --since/--until/--kind)`,
            ]
          : []),
        ...(lane.bandsDropped > 0 ? [`${lane.node}: ${lane.bandsDropped} bands not drawn`] : []),
      ]),
      ...(model.tasksDropped > 0
        ? [`only the first ${MAX_TASK_BARS} task attempts are drawn (${model.tasksDropped} more)`]
        : []),
      ...(tail.summary.timelineCapped
        ? [
            `--limit cut the events drawn at ${tail.summary.timelineEntries}; bands and anomalies cover everything`,
          ]
        : []),
      ...(tail.summary.skipped > 0
        ? [`${tail.summary.skipped} unreadable records were skipped (see the text or JSON report)`]
        : []),
    ];
    const data = {
      start: model.start,
      end: model.end,
      lanes: model.lanes,
      tasks: model.tasks,
      notes,
      anomalyTotal: tail.summary.anomalies,
      anomalies: tail.anomalies.map((anomaly) => ({
        ...anomaly,
        evidence: anomaly.evidence.map((item) => ({ ...item, where: formatLocation(item.location) })),
      })),
    };
    await this.out.write(page(this.header, tail, data));
    await this.out.flush();
  }
}

function page(header: ReplayHeader, tail: ReportTail, data: unknown): string {
  const nodes = tail.nodes.map((node) => node.node).join(', ');
  const { first, last, events, anomalies } = tail.summary;
  const span = first === null || last === null ? '' : `${isoTime(first)} → ${isoTime(last)}`;
  const inputs = header.sources.map((source) => `${source.kind} ${source.path}`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>taskd replay: ${escapeHtml(nodes)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>taskd replay: ${escapeHtml(nodes || 'no journals')}</h1>
<p>${escapeHtml(span)} · ${events} events · ${anomalies} anomalies</p>
<p>${escapeHtml(inputs)}</p>
</header>
<div id="controls">
<button id="zoom-in" type="button">zoom in</button><button id="zoom-out" type="button">zoom out</button><button id="zoom-reset" type="button">fit</button>
<span class="legend"><span><i class="session-connected" style="background:#9ccc65"></i>session</span><span><i style="background:#7e57c2"></i>leader</span><span><i style="background:#ffca28"></i>VIP</span><span><i style="background:#64b5f6"></i>task attempt</span><span><i style="background:rgba(198,40,40,.4)"></i>anomaly</span></span>
</div>
<div id="notes"></div>
<div id="lanes"><noscript>This page draws its lanes with JavaScript.</noscript></div>
<div id="anomalies"></div>
<div id="tip"></div>
<script type="application/json" id="replay-data">${embedJson(data)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

/** JSON safe inside a script element: no "</script>", no "<!--". */
function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
