/** Maps string offsets to 1-based line and column numbers. Built lazily, once per file. */
export class LineIndex {
  #starts: number[] | undefined;
  constructor(private readonly text: string) {}

  /** The 1-based line and column of a UTF-16 offset into the text. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.#starts ??= computeStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

function computeStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
