import { describe, expect, it } from 'vitest';
import { formatFields, formatTable } from '../../../src/cli/taskctl/table.ts';

describe('formatTable', () => {
  it('pads each column to its widest cell, two spaces apart, with no trailing spaces', () => {
    expect(
      formatTable(
        ['ID', 'STATUS', 'NODE'],
        [
          ['task-10', 'pending', '-'],
          ['t1', 'running', 'node-a'],
        ],
      ),
    ).toBe('ID       STATUS   NODE\n' + 'task-10  pending  -\n' + 't1       running  node-a\n');
  });

  it('prints the headers alone when there are no rows', () => {
    expect(formatTable(['A', 'B'], [])).toBe('A  B\n');
  });
});

describe('formatFields', () => {
  it('aligns the values and leaves out absent ones', () => {
    expect(
      formatFields([
        ['id', 't1'],
        ['node', undefined],
        ['submitted', 'now'],
      ]),
    ).toBe('id:         t1\n' + 'submitted:  now\n');
  });
});
