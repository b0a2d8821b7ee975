import type { RunEvent } from './api.ts';

/**
 * What `flowline run` shows while it works: on a TTY, one live line per node with a progress
 * bar, redrawn in place; elsewhere (CI logs, pipes), one plain line as each node finishes.
 */
export class ProgressDisplay {
  private order: string[] = [];
  private rows = new Map<string, { status: string; fraction: number; ms?: number; note?: string }>();
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly tty = Boolean(out.isTTY),
  ) {}

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.order = event.nodes;
        for (const id of event.nodes) this.rows.set(id, { status: 'queued', fraction: 0 });
        if (this.tty) this.timer = setInterval(() => this.draw(), 100);
        break;
      case 'node:start':
        this.set(event.nodeId, { status: 'running', fraction: 0, note: event.reason });
        break;
      case 'node:progress':
        this.set(event.nodeId, { status: 'running', fraction: event.fraction, note: event.message });
        break;
      case 'node:cached':
        this.set(event.nodeId, { status: 'cached', fraction: 1, ms: event.durationMs }, true);
        break;
      case 'node:done':
        this.set(event.nodeId, { status: 'done', fraction: 1, ms: event.durationMs }, true);
        break;
      case 'node:error':
        this.set(event.nodeId, { status: 'error', fraction: 0, note: event.error.message }, true);
        break;
      case 'run:end':
        for (const n of event.summary.nodes) {
          if (n.status === 'skipped' || n.status === 'cancelled') this.set(n.id, { status: n.status, fraction: 0, note: n.reason }, true);
        }
        if (this.timer) clearInterval(this.timer);
        this.draw();
        break;
      default:
        break;
    }
  }

  private set(id: string, row: { status: string; fraction: number; ms?: number; note?: string }, final = false): void {
    this.rows.set(id, row);
    if (!this.tty && final) this.out.write(`${this.line(id)}\n`);
  }

  private line(id: string): string {
    const r = this.rows.get(id)!;
    const width = 20;
    const filled = Math.round(r.fraction * width);
    const bar = r.status === 'cached' ? '·'.repeat(width) : '█'.repeat(filled) + '░'.repeat(width - filled);
    const time = r.ms !== undefined ? ` ${formatMs(r.ms)}` : '';
    const pct = r.status === 'running' ? ` ${Math.round(r.fraction * 100)}%` : '';
    const note = r.note && r.status !== 'done' && r.status !== 'cached' ? `  ${r.note.split('\n')[0].slice(0, 100)}` : '';
    return `${id.padEnd(18)} ${this.tty ? bar + ' ' : ''}${r.status}${pct}${time}${note}`;
  }

  private draw(): void {
    if (!this.tty) return;
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const id of this.order) this.out.write(`\x1b[2K${this.line(id)}\n`);
    this.drawn = this.order.length;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
