/**
 * Where a report is written, with backpressure: text is gathered into chunks of BUFFER_CHARS and
 * written; when the stream says its buffer is full, the caller waits for 'drain' before going on,
 * so a million-line timeline piped into `less` never piles up in memory.
 */

/** The part of a Writable (process.stdout, a file stream, a test's collector) replay uses. */
export interface TextStream {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
}

const BUFFER_CHARS = 64 * 1024;

export class OutputSink {
  private buffer = '';
  private draining: Promise<void> | undefined;

  constructor(private readonly stream: TextStream) {}

  /** Queues `text`; returns a promise to await only when the stream needs to drain first. */
  write(text: string): Promise<void> | undefined {
    this.buffer += text;
    if (this.buffer.length < BUFFER_CHARS) return this.draining;
    return this.push();
  }

  /** Writes what is buffered and waits until the stream has taken it. */
  async flush(): Promise<void> {
    await this.push();
    await this.draining;
  }

  private push(): Promise<void> | undefined {
    if (this.buffer === '') return this.draining;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk) && this.draining === undefined) {
      this.draining = new Promise((resolve) => {
        this.stream.once('drain', () => {
          this.draining = undefined;
          resolve();
        });
      });
    }
    return this.draining;
  }
}
