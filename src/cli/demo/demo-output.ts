/**
 * Where the demo writes. On a terminal the status (a few short lines) is redrawn in place and
 * ordinary lines are printed above it; elsewhere (a pipe, a file, CI) every line is printed once,
 * and the status as one line only when it differs from the last one, so the output reads as a log.
 */

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const CLEAR_LINE = '\r\x1b[2K';
const UP_AND_CLEAR = '\x1b[1A\x1b[2K';

/** Prints lines and a live status, stamped with the time since the demo started. */
export class DemoOutput {
  readonly live: boolean;
  /** The status block as drawn on the terminal now (empty when none is). */
  private drawn: string[] = [];
  private lastStatus = '';

  constructor(
    private readonly out: OutputStream,
    private readonly startedAt: number,
  ) {
    this.live = out.isTTY === true;
  }

  /** Seconds since the start, as "[ 12.3s]". */
  stamp(now = Date.now()): string {
    return `[${((now - this.startedAt) / 1000).toFixed(1).padStart(5)}s]`;
  }

  /** A line of its own (the status, when drawn, moves below it). */
  line(text = ''): void {
    const drawn = this.drawn;
    this.clearStatus();
    this.out.write(`${text}\n`);
    this.drawStatus(drawn);
  }

  /** A step's title, after a blank line. */
  step(n: number, text: string): void {
    this.endStatus();
    this.line();
    this.event(`step ${n}/6: ${text}`);
  }

  /** A line under the last stamped one, aligned with its text. */
  detail(text: string): void {
    this.line(`${this.indent()}${text}`);
  }

  /** A stamped line. */
  event(text: string): void {
    this.line(`${this.stamp()} ${text}`);
  }

  /** The status: redrawn as lines on a terminal, printed as one line when it changed elsewhere. */
  status(parts: readonly string[]): void {
    const text = parts.join(' | ');
    const changed = text !== this.lastStatus;
    this.lastStatus = text;
    if (this.live) {
      const lines = parts.map((part, i) => `${i === 0 ? `${this.stamp()} ` : this.indent()}${part}`);
      this.clearStatus();
      this.drawStatus(lines);
    } else if (changed) {
      this.out.write(`${this.stamp()} ${text}\n`);
    }
  }

  /** Leaves the last status in place and stops drawing it. */
  endStatus(): void {
    if (this.drawn.length > 0) this.out.write('\n');
    this.drawn = [];
    this.lastStatus = '';
  }

  private indent(): string {
    return ' '.repeat(this.stamp().length + 1);
  }

  /** Erases the drawn block; the cursor ends at the start of its first line. */
  private clearStatus(): void {
    if (this.drawn.length === 0) return;
    this.out.write(CLEAR_LINE + UP_AND_CLEAR.repeat(this.drawn.length - 1));
    this.drawn = [];
  }

  private drawStatus(lines: readonly string[]): void {
    if (!this.live || lines.length === 0) return;
    // A terminal that reports no size (columns 0 or undefined) gets a usual width.
    const columns = this.out.columns !== undefined && this.out.columns >= 40 ? this.out.columns : 100;
    const fit = (line: string) => (line.length < columns ? line : `${line.slice(0, columns - 2)}…`);
    this.drawn = lines.map(fit);
    this.out.write(this.drawn.join('\n'));
  }
}
