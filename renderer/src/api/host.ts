import type { FlowlineApi } from '../../../core/host/api.ts';

/** The one API instance, set at start-up by main.tsx. */
let current: FlowlineApi | null = null;

export function setApi(api: FlowlineApi): void {
  current = api;
}

export function api(): FlowlineApi {
  if (!current) throw new Error('the host API is not connected yet');
  return current;
}
