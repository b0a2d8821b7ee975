export * from './executor.ts';
export * from './worker-pool.ts';
export type * from './task-pool.ts';
export { NodeCache, RunHistory, explainRerun, type Provenance } from './cache.ts';
export * from './task-registry.ts';
