export * from './errors.ts';
export * from './values.ts';
export * from './context.ts';
export * from './define-node.ts';
export * from './params.ts';
export * from './seed.ts';
export * from './worker-task.ts';
