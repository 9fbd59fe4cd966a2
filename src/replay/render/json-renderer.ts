/**
 * The JSON output: one document (report-schema.ts), written as it goes. The timeline array comes
 * first and is streamed entry by entry (one per line); the rest follows when the inputs end.
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import { REPORT_VERSION, type ReportTail, type TimelineEntry } from '../report/report-schema.ts';
import type { OutputSink } from './output-sink.ts';
import type { Renderer } from './renderer.ts';

export class JsonRenderer implements Renderer {
  private first = true;

  constructor(private readonly out: OutputSink) {}

  begin(): Promise<void> | undefined {
    return this.out.write(`{"version":${REPORT_VERSION},\n"timeline":[`);
  }

  step(_step: ReplayStep, entry: TimelineEntry | undefined): Promise<void> | undefined {
    if (entry === undefined) return undefined;
    const separator = this.first ? '\n' : ',\n';
    this.first = false;
    return this.out.write(`${separator}${JSON.stringify(entry)}`);
  }

  skipped(): undefined {
    return undefined; // reported under inputs[].skipped
  }

  async end(tail: ReportTail): Promise<void> {
    const { inputs, nodes, skew, anomalies, summary, state } = tail;
    const rest = { inputs, nodes, skew, anomalies, summary, ...(state === undefined ? {} : { state }) };
    const fields = Object.entries(rest).map(
      ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`,
    );
    await this.out.write(`${this.first ? '' : '\n'}],\n${fields.join(',\n')}}\n`);
    await this.out.flush();
  }
}
