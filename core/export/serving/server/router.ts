/**
 * Champion / challenger routing. Assignment is deterministic, so a split is exact and replayable:
 * - with a request key (a header), the key's FNV-1a hash picks the model, so a caller always lands
 *   on the same one (sticky);
 * - without one, a counter spreads the challenger's share evenly: out of every 100/p requests,
 *   exactly one (for p = 10: requests 10, 20, 30, ... of this process).
 * ab and canary route alike; canary also falls back to the champion when the challenger fails.
 * shadow sends every request to both and answers with the champion.
 */
import type { RoutingMode } from './manifest.ts';

export interface Route<M> {
  answer: M;
  /** Scores the same rows after the answer, for comparison only (shadow mode). */
  shadow?: M;
  /** Answers instead when `answer` fails (canary mode). */
  fallback?: M;
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Router<M> {
  private count = 0;
  private readonly basisPoints: number;

  constructor(
    readonly mode: RoutingMode,
    percent: number,
    private readonly champion: M,
    private readonly challenger: M | undefined,
  ) {
    this.basisPoints = Math.round(percent * 100);
  }

  /** Does this request go to the challenger? (ab and canary) */
  toChallenger(key: string | undefined): boolean {
    if (key !== undefined && key !== '') return fnv1a(key) % 10_000 < this.basisPoints;
    const n = this.count++;
    return Math.floor(((n + 1) * this.basisPoints) / 10_000) > Math.floor((n * this.basisPoints) / 10_000);
  }

  pick(key: string | undefined): Route<M> {
    const challenger = this.challenger;
    if (!challenger || this.mode === 'single') return { answer: this.champion };
    if (this.mode === 'shadow') return { answer: this.champion, shadow: challenger };
    if (!this.toChallenger(key)) return { answer: this.champion };
    return this.mode === 'canary' ? { answer: challenger, fallback: this.champion } : { answer: challenger };
  }
}
