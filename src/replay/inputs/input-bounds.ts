/**
 * The first and last event times of the inputs, for times given as "start+90s" or "end-5m". A pass
 * of its own (reading, not folding), made only when such a time was given.
 */
import type { ReplayInputs } from './input-model.ts';

/** The earliest and latest `meta.at` of every entry; both 0 when there is none. */
export async function inputBounds(inputs: ReplayInputs): Promise<{ start: number; end: number }> {
  let start: number | undefined;
  let end: number | undefined;
  for await (const batch of inputs.batches()) {
    for (const item of batch.items) {
      if (item.kind === 'anomaly') continue;
      const at = item.event.meta.at;
      start = Math.min(start ?? at, at);
      end = Math.max(end ?? at, at);
    }
  }
  return { start: start ?? 0, end: end ?? 0 };
}
