/**
 * A one-line progress bar on stderr: phase, bar, share, count, rate and time left.
 * On a terminal it redraws in place (at most 5 times a second); otherwise it
 * prints one line every 10 seconds, so logs of long runs stay readable.
 */
export interface Progress {
  /** add done units */
  tick(n: number): void;
  /** finish the phase: prints the final line with the mean rate */
  done(note?: string): void;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

export function progress(
  phase: string,
  total: number,
  opts: { unit?: string; alreadyDone?: number; quiet?: boolean; out?: NodeJS.WriteStream } = {},
): Progress {
  const out = opts.out ?? process.stderr;
  const tty = Boolean(out.isTTY);
  const unit = opts.unit ?? 'rows';
  const started = performance.now();
  const base = opts.alreadyDone ?? 0;
  let done = base;
  let lastDraw = 0;
  // the rate over the last ~20 s, so time left follows the current speed
  const window: { t: number; n: number }[] = [{ t: started, n: done }];

  const render = (final: boolean): string => {
    const now = performance.now();
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const full = Math.round(share * width);
    const bar = '█'.repeat(full) + '░'.repeat(width - full);
    const elapsed = (now - started) / 1000;
    const first = window[0]!;
    const recent = (done - first.n) / Math.max(0.001, (now - first.t) / 1000);
    const mean = (done - base) / Math.max(0.001, elapsed);
    const rate = final ? mean : recent;
    const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const tail = final ? `in ${fmtDuration(elapsed)}` : `elapsed ${fmtDuration(elapsed)}  left ${fmtDuration(left)}`;
    return `${phase.padEnd(12)} ${bar} ${(share * 100).toFixed(1).padStart(5)}%  ${fmtInt(done)}/${fmtInt(total)} ${unit}  ${fmtInt(rate)}/s  ${tail}`;
  };

  const draw = (force: boolean): void => {
    if (opts.quiet) return;
    const now = performance.now();
    if (!force && now - lastDraw < (tty ? 200 : 10_000)) return;
    lastDraw = now;
    if (tty) out.write(`\r${render(false)}\x1b[K`);
    else out.write(`${render(false)}\n`);
  };

  return {
    tick(n) {
      done += n;
      const now = performance.now();
      window.push({ t: now, n: done });
      while (window.length > 2 && now - window[0]!.t > 20_000) window.shift();
      draw(false);
    },
    done(note) {
      if (opts.quiet) return;
      out.write(`${tty ? '\r' : ''}${render(true)}${note ? `  ${note}` : ''}${tty ? '\x1b[K' : ''}\n`);
    },
  };
}
