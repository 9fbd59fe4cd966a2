/**
 * Keeps the last `limit` bytes of a command's combined output: when a command talks too much, its
 * final lines (where the error usually is) are what a journal needs.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  /** The kept output, prefixed by how much was dropped when anything was. */
  text(): string {
    const kept = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped === 0 ? kept : `[… ${this.dropped} earlier bytes dropped]\n${kept}`;
  }
}
