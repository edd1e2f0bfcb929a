import type { CliIo } from './io.js';

/**
 * A one-line progress bar on stderr: `proving [#########.........]  45%  fri  2.1 s`. It is
 * drawn only on a terminal (a log file or a pipe would fill with carriage returns) and is
 * erased when done, so the lines after it start clean.
 */
export class ProgressBar {
  private readonly start: number;
  private last = '';
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly enabled: boolean,
  ) {
    this.start = io.now();
  }

  /** Shows that `phase` is running with `fraction` (0..1) of the whole work done. */
  update(phase: string, fraction: number): void {
    if (!this.enabled) return;
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const width = Math.max(10, Math.min(40, (this.io.columns || 80) - 40));
    const filled = Math.round(f * width);
    const elapsed = ((this.io.now() - this.start) / 1000).toFixed(1);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${phase}  ${elapsed} s`;
    if (line === this.last) return;
    this.last = line;
    this.drawn = true;
    // \r and "erase line": redraw in place, shorter lines leave no tail behind.
    this.io.stderr(`\r\x1b[2K${line}`);
  }

  /** Erases the bar. */
  done(): void {
    if (!this.drawn) return;
    this.io.stderr('\r\x1b[2K');
    this.drawn = false;
  }
}
