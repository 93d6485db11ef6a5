/** A plain progress bar on stderr (only when it is a terminal, a line per 10 % otherwise). */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private lastPct = -1;
  private readonly started = Date.now();
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const pct = this.total ? Math.min(100, Math.floor((this.done / this.total) * 100)) : 100;
    const rate = Math.round(this.done / Math.max(0.001, (Date.now() - this.started) / 1000));
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${this.done}/${this.total} (${rate}/s)`,
      );
    } else if (Math.floor(pct / 10) !== Math.floor(this.lastPct / 10)) {
      this.out.write(`${this.label} ${pct}% ${this.done}/${this.total} (${rate}/s)\n`);
    }
    this.lastPct = pct;
  }

  finish(): void {
    this.done = Math.max(this.done, this.total);
    this.draw();
    if (this.out.isTTY) this.out.write('\n');
  }
}
