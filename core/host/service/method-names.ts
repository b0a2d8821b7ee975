/**
 * The callable contract methods by name, with no dependencies, so the Electron preload can bundle
 * it without zod. `satisfies` makes adding a method to api.ts without listing it here a type error.
 */
import type { ApiMethod } from '../api.ts';

const NAMES = {
  hello: 1,
  catalog: 1,
  openPipeline: 1,
  savePipeline: 1,
  validatePipeline: 1,
  trustPipeline: 1,
  run: 1,
  cancel: 1,
  lastRun: 1,
  preview: 1,
  listTemplates: 1,
  recentFiles: 1,
  autosave: 1,
  recoverAutosave: 1,
  listDirectory: 1,
} satisfies Record<ApiMethod, 1>;

export const API_METHOD_NAMES = Object.keys(NAMES) as ApiMethod[];

/** What an IPC handler returns: errors travel as values so their code and hint survive. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: import('../../spec/errors.ts').ErrorInfo };
