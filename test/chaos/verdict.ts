/** What a chaos run found: broken invariants (each named by its check) and notes worth reading. */

export interface Violation {
  readonly check: string;
  readonly detail: string;
}

export class Verdict {
  readonly violations: Violation[] = [];
  readonly notes: string[] = [];

  /** Records a broken invariant. */
  fail(check: string, detail: string): void {
    this.violations.push({ check, detail });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  get passed(): boolean {
    return this.violations.length === 0;
  }

  /** The verdict as printed lines. */
  lines(): string[] {
    const head = this.passed ? 'PASS' : `FAIL (${this.violations.length} violations)`;
    return [
      head,
      ...this.violations.map((v) => `  ✗ ${v.check}: ${v.detail}`),
      ...this.notes.map((n) => `  · ${n}`),
    ];
  }
}
