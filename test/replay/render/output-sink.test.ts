import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OutputSink } from '../../../src/replay/render/output-sink.ts';

/** A stream whose buffer is "full" until drained by hand. */
class SlowStream extends EventEmitter {
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return false;
  }
}

describe('the output sink', () => {
  it('gathers small writes and asks the caller to wait when the stream is full', async () => {
    const stream = new SlowStream();
    const sink = new OutputSink(stream);
    expect(sink.write('small')).toBeUndefined();
    expect(stream.chunks).toEqual([]);
    const wait = sink.write('x'.repeat(70_000));
    expect(wait).toBeInstanceOf(Promise);
    expect(stream.chunks.map((chunk) => chunk.length)).toEqual([70_005]);
    let drained = false;
    void wait?.then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    stream.emit('drain');
    await wait;
    expect(drained).toBe(true);
  });

  it('writes what is left on flush', async () => {
    const chunks: string[] = [];
    const sink = new OutputSink({ write: (chunk) => chunks.push(chunk) > 0, once: () => undefined });
    sink.write('a');
    sink.write('b');
    await sink.flush();
    expect(chunks).toEqual(['ab']);
  });
});
