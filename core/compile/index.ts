export * from './compile.ts';
export * from './set-overrides.ts';
export * from './known-columns.ts';
