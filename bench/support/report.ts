/**
 * The one table `npm run bench` prints: a row per figure, with the reference it is compared to, the
 * ratio, and the aim it is held to. Every section returns rows and the raw figures behind them.
 */

export interface Row {
  /** What is measured, and how ("throughput, 3 nodes, zookeeper log"). */
  readonly measure: string;
  /** taskd's figure, formatted with its unit; "not measured" when it could not be. */
  readonly taskd: string;
  /** What it is compared to, formatted ("BullMQ 3×4: 5,432/s"); empty when nothing is. */
  readonly reference?: string;
  /** taskd / reference (or the figure over the bound it is held to). */
  readonly ratio?: number;
  /** The aim from the issue, as text ("≥ 1"). */
  readonly aim?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export interface Section {
  readonly name: string;
  readonly rows: readonly Row[];
  /** The figures behind the rows, for bench/results/latest.json. */
  readonly raw: unknown;
}

/** 12,345 */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');
/** 12.3 ms */
export const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
/** 123.4 MB */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Renders the rows as one markdown table, each section's rows together. */
export function renderTable(sections: readonly Section[]): string {
  const header = ['measure', 'taskd', 'reference', 'ratio', 'aim', 'met'];
  const cells = sections.flatMap((section) =>
    section.rows.map((row) => [
      row.measure,
      row.taskd,
      row.reference ?? '',
      row.ratio === undefined ? '' : row.ratio.toFixed(2),
      row.aim ?? '',
      row.met === undefined ? '' : row.met ? 'yes' : 'NO',
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => (i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const notes = sections
    .flatMap((section) => section.rows)
    .filter((row) => row.note !== undefined)
    .map((row) => `- ${row.measure}: ${row.note}`);
  return [line(header), rule, ...cells.map(line), '', ...notes].join('\n');
}
