/**
 * Where each node's results came from, remembered per run in localStorage, so a pipeline opened
 * again (or after a reload) can still tell results that match its params from stale ones. The
 * host keeps the results; this keeps only run times and signatures (a few dozen bytes a node).
 */
import type { Provenance } from './use-run-store.ts';

const PREFIX = 'flowline.provenance.';
const KEEP = 40;

export function rememberProvenance(runId: string, provenance: Record<string, Provenance>): void {
  try {
    localStorage.setItem(PREFIX + runId, JSON.stringify({ at: Date.now(), provenance }));
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(PREFIX));
    if (keys.length <= KEEP) return;
    const age = (k: string) => (JSON.parse(localStorage.getItem(k) ?? '{}') as { at?: number }).at ?? 0;
    for (const k of keys.sort((a, b) => age(a) - age(b)).slice(0, keys.length - KEEP)) localStorage.removeItem(k);
  } catch {
    // Storage full or unavailable: results then show their run time without the params check.
  }
}

export function recallProvenance(runId: string): Record<string, Provenance> | null {
  try {
    const raw = localStorage.getItem(PREFIX + runId);
    return raw ? ((JSON.parse(raw) as { provenance?: Record<string, Provenance> }).provenance ?? null) : null;
  } catch {
    return null;
  }
}
