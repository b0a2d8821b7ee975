export * from './compile.ts';
export * from './set-overrides.ts';
