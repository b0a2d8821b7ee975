export * from './pipeline.ts';
export * from './migrate.ts';
export * from './serialize.ts';
export * from './gates.ts';
