/**
 * Where the demo writes. On a terminal the status line is redrawn in place and ordinary lines are
 * printed above it; elsewhere (a pipe, a file, CI) every line is printed once, and a status line only
 * when it differs from the last one, so the output reads as a log.
 */

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Prints lines and a live status line, stamped with the time since the demo started. */
export class DemoOutput {
  readonly live: boolean;
  private statusShown = '';
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

  /** A line of its own (the status line, when drawn, moves below it). */
  line(text = ''): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
    this.drawStatus();
  }

  /** A step's title, after a blank line. */
  step(n: number, text: string): void {
    this.endStatus();
    this.line();
    this.event(`step ${n}/6: ${text}`);
  }

  /** A line under the last stamped one, aligned with its text. */
  detail(text: string): void {
    this.line(`${' '.repeat(this.stamp().length + 1)}${text}`);
  }

  /** A stamped line. */
  event(text: string): void {
    this.line(`${this.stamp()} ${text}`);
  }

  /** The status line: redrawn on a terminal, printed when it changed elsewhere. */
  status(text: string): void {
    if (text === this.lastStatus) {
      if (this.live) this.redraw(text);
      return;
    }
    this.lastStatus = text;
    if (this.live) this.redraw(text);
    else this.out.write(`${this.stamp()} ${text}\n`);
  }

  /** Leaves the last status line in place and stops drawing it. */
  endStatus(): void {
    if (this.live && this.statusShown !== '') this.out.write('\n');
    this.statusShown = '';
    this.lastStatus = '';
  }

  private redraw(text: string): void {
    this.statusShown = `${this.stamp()} ${text}`;
    this.clearStatus();
    this.drawStatus();
  }

  private clearStatus(): void {
    if (this.live && this.statusShown !== '') this.out.write('\r\x1b[2K');
  }

  private drawStatus(): void {
    if (!this.live || this.statusShown === '') return;
    // A terminal that reports no size (columns 0 or undefined) gets a usual width.
    const columns = this.out.columns !== undefined && this.out.columns >= 40 ? this.out.columns : 120;
    const width = columns - 1;
    const text =
      this.statusShown.length > width ? `${this.statusShown.slice(0, width - 1)}…` : this.statusShown;
    this.out.write(text);
  }
}
