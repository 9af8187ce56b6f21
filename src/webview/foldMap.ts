/**
 * Folding in the JSON viewer: which lines are hidden, as rows ↔ lines. A collapsed container hides the lines
 * after its opening line up to and including its closing line. The collapsed containers are kept by their
 * opening line; the ones that are not inside another collapsed one (the effective ranges) are a sorted list
 * with prefix sums of the lines they hide, so row → line and line → row are binary searches. Pure.
 */

export class FoldMap {
  /** Every collapsed container: opening line → closing line (inner ones stay collapsed inside an outer one). */
  private readonly collapsed = new Map<number, number>();
  /** The effective ranges, sorted by opening line, none inside another. */
  private opens: number[] = [];
  private closes: number[] = [];
  /** hidden[j]: lines hidden by the effective ranges before j (hidden[opens.length] is the total). */
  private hidden: number[] = [0];

  constructor(private lines = 0) {}

  /** The number of lines (a new body). Forgets every fold. */
  reset(lines: number): void {
    this.lines = lines;
    this.collapsed.clear();
    this.rebuild();
  }

  get lineCount(): number {
    return this.lines;
  }

  get rowCount(): number {
    return this.lines - this.hidden[this.hidden.length - 1];
  }

  isCollapsed(open: number): boolean {
    return this.collapsed.has(open);
  }

  /** The effective collapsed ranges (tests). */
  get ranges(): Array<[number, number]> {
    return this.opens.map((o, j) => [o, this.closes[j]]);
  }

  collapse(open: number, close: number): void {
    if (close <= open || open < 0 || close >= this.lines) return;
    this.collapsed.set(open, close);
    this.rebuild();
  }

  /** Collapses many at once ([open, close] pairs flattened). */
  collapseMany(pairs: readonly number[]): void {
    for (let k = 0; k + 1 < pairs.length; k += 2) if (pairs[k + 1] > pairs[k] && pairs[k] >= 0 && pairs[k + 1] < this.lines) this.collapsed.set(pairs[k], pairs[k + 1]);
    this.rebuild();
  }

  expand(open: number): void {
    if (this.collapsed.delete(open)) this.rebuild();
  }

  toggle(open: number, close: number): void {
    if (this.collapsed.has(open)) this.expand(open);
    else this.collapse(open, close);
  }

  expandAll(): void {
    this.collapsed.clear();
    this.rebuild();
  }

  /** Expands every collapsed container that hides `line` (a search match). True when something changed. */
  reveal(line: number): boolean {
    let changed = false;
    for (const [o, c] of this.collapsed) {
      if (o < line && line <= c) {
        this.collapsed.delete(o);
        changed = true;
      }
    }
    if (changed) this.rebuild();
    return changed;
  }

  private rebuild(): void {
    const sorted = [...this.collapsed].sort((a, b) => a[0] - b[0]);
    this.opens = [];
    this.closes = [];
    this.hidden = [0];
    let end = -1;
    for (const [o, c] of sorted) {
      if (o <= end) continue; // inside an effective range
      this.opens.push(o);
      this.closes.push(c);
      this.hidden.push(this.hidden[this.hidden.length - 1] + (c - o));
      end = c;
    }
  }

  /** The number of effective ranges whose opening line is < line. */
  private before(line: number): number {
    let lo = 0;
    let hi = this.opens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.opens[mid] < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether a collapsed container hides this line. */
  isHidden(line: number): boolean {
    const j = this.before(line);
    return j > 0 && line <= this.closes[j - 1];
  }

  /** The row that shows a line (a hidden line: the row of the container that hides it). */
  lineToRow(line: number): number {
    const j = this.before(line);
    if (j > 0 && line <= this.closes[j - 1]) return this.opens[j - 1] - this.hidden[j - 1];
    return line - this.hidden[j];
  }

  /** The line a row shows. */
  rowToLine(row: number): number {
    // The last effective range whose opening row is <= row.
    let lo = 0;
    let hi = this.opens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.opens[mid] - this.hidden[mid] <= row) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.opens[lo - 1] - this.hidden[lo - 1] === row) return this.opens[lo - 1];
    return row + this.hidden[lo];
  }
}
