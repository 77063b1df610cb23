import { formatBytes, plural } from './units.ts';

export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  chunks: number;
  errors: number;
}

const WIDTH = 24;
const RENDER_EVERY_MS = 80;

/**
 * One line redrawn in place on a terminal: a bar by bytes, then files, bytes, chunks and
 * errors. Not drawn at all when the stream is not a terminal (logs and pipes get only the
 * summary).
 */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private lastRender = 0;
  private drawn = false;

  constructor(stream: NodeJS.WriteStream, enabled = Boolean(stream.isTTY)) {
    this.stream = stream;
    this.enabled = enabled;
  }

  update(state: ProgressState, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastRender < RENDER_EVERY_MS) return;
    this.lastRender = now;
    const share = state.bytesTotal > 0 ? state.bytesDone / state.bytesTotal : 1;
    const filled = Math.round(Math.min(1, share) * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const line =
      `${bar} ${state.filesDone}/${plural(state.filesTotal, 'file')} · ` +
      `${formatBytes(state.bytesDone)}/${formatBytes(state.bytesTotal)} · ` +
      `${plural(state.chunks, 'chunk')} · ${plural(state.errors, 'error')}`;
    this.stream.write(`\r\u001b[2K${line.slice(0, (this.stream.columns || 120) - 1)}`);
    this.drawn = true;
  }

  /** Writes a line above the bar (a notice) without garbling it. */
  log(text: string): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.stream.write(`${text}\n`);
    this.lastRender = 0;
  }

  /** Clears the bar so what follows starts on a clean line. */
  stop(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
