/**
 * The callable methods of the contract and a zod schema for each one's argument list. Both
 * transports (the web host's WebSocket and Electron's ipcMain) parse every call with these before
 * it reaches the service, so a malformed or unknown call never runs.
 */
import { z } from 'zod';
import { Pipeline } from '../../schema/pipeline.ts';
import { FlowlineError } from '../../spec/errors.ts';
import { API_METHOD_NAMES as API_METHODS, type ApiMethod } from '../api.ts';

const path = z.string().min(1).max(4096);
const runRequest = z
  .object({
    pipeline: Pipeline,
    path: path.optional(),
    to: z.string().min(1).optional(),
    set: z.array(z.string()).optional(),
  })
  .strict();
const previewRequest = z
  .object({
    runId: z.string().optional(),
    nodeId: z.string().min(1),
    port: z.string().optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(0).max(10_000),
    withProfile: z.boolean().optional(),
    orderBy: z.object({ column: z.string().min(1), descending: z.boolean().optional() }).strict().optional(),
  })
  .strict();
const dockerExportRequest = z
  .object({
    path,
    node: z.string().min(1),
    out: path,
    challenger: z.string().min(1).optional(),
    addToExisting: z.boolean().optional(),
    routing: z.enum(['ab', 'canary', 'shadow']).optional(),
    challengerPercent: z.number().min(0).max(100).optional(),
    unknownCategory: z.enum(['accept', 'reject']).optional(),
    extraFields: z.enum(['ignore', 'reject']).optional(),
    maxRows: z.number().int().min(1).optional(),
    exact: z.boolean().optional(),
  })
  .strict();
const onnxExportRequest = z
  .object({ pipeline: Pipeline, path: path.optional(), nodeId: z.string().min(1), exact: z.boolean().optional(), out: path.optional() })
  .strict();
const connectionName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a name of letters, digits and _ (e.g. SALES_DB)');
const databaseConnection = z
  .object({
    name: connectionName,
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    database: z.string().min(1).max(255),
    user: z.string().min(1).max(255),
    password: z.string().max(1024),
  })
  .strict();
// A leading optional path (unsaved work) arrives as null over JSON.
const maybePath = path.nullish().transform((v) => v ?? undefined);
const versionRef = z.string().regex(/^(v?\d{1,9}|production|latest)$/, 'a model version (v3, production, latest)');
// Empty is let through: the registry's own check says a reason is needed, in the CLI's words.
const reason = z.string().max(2000);
/** Validation must answer with diagnostics even for a half-edited graph, so it takes any object. */
const loosePipeline = z.record(z.string(), z.unknown());

/** Argument-list schema of every callable method. */
export const METHOD_ARGS = {
  hello: z.tuple([]),
  catalog: z.tuple([]),
  openPipeline: z.tuple([path]),
  savePipeline: z.tuple([path, Pipeline]),
  validatePipeline: z.tuple([loosePipeline, path.optional()]),
  trustPipeline: z.tuple([path]),
  trustRun: z.tuple([runRequest]),
  trustFolder: z.tuple([path]),
  run: z.tuple([runRequest]),
  cancel: z.tuple([z.string().min(1)]),
  lastRun: z.tuple([path.optional()]),
  preview: z.tuple([previewRequest]),
  listTemplates: z.tuple([]),
  copyTemplate: z.tuple([z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a template id'), path]),
  recentFiles: z.tuple([]),
  autosave: z.tuple([z.string().min(1).max(512), Pipeline.nullable(), z.object({ path: path.optional(), origin: path.optional() }).strict().optional()]),
  recoverAutosave: z.tuple([z.string().min(1).max(512)]),
  recoverWork: z.tuple([z.string().min(1).max(512)]),
  listDirectory: z.tuple([path]),
  exportDocker: z.tuple([dockerExportRequest]),
  exportOnnx: z.tuple([onnxExportRequest]),
  listRuns: z.tuple([path.optional()]),
  compareRuns: z.tuple([path.optional(), z.string().min(1).max(200), z.string().min(1).max(200)]),
  chooseOpenPath: z.tuple([path.optional()]),
  chooseSavePath: z.tuple([maybePath, z.enum(['pipeline', 'report']).optional()]),
  listConnections: z.tuple([]),
  saveConnection: z.tuple([databaseConnection]),
  forgetConnection: z.tuple([connectionName]),
  listModels: z.tuple([path.optional()]),
  promoteModel: z.tuple([maybePath, versionRef, reason]),
  rollbackModel: z.tuple([maybePath, reason]),
  modelCard: z.tuple([maybePath, versionRef]),
  writeReport: z.tuple([z.object({ path: path.optional(), pipeline: Pipeline, out: path }).strict()]),
} satisfies Record<ApiMethod, z.ZodType>;

export { API_METHODS };

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHOD_ARGS, name);
}

/** Parse a call's arguments; throws a FlowlineError that says which argument is wrong. */
export function parseArgs(method: string, args: unknown): unknown[] {
  if (!isApiMethod(method)) {
    throw new FlowlineError({ code: 'INVALID_PARAM', message: `Unknown method "${method}".`, hint: `Known methods: ${API_METHODS.join(', ')}.` });
  }
  const list = Array.isArray(args) ? [...args] : [];
  // Trailing undefined arguments arrive as null over JSON; drop them so optional slots stay optional.
  while (list.length > 0 && (list[list.length - 1] === null || list[list.length - 1] === undefined) && !(method === 'autosave' && list.length === 2)) list.pop();
  const result = METHOD_ARGS[method].safeParse(list);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.length ? `argument ${i.path.join('.')}` : 'arguments'}: ${i.message}`);
    throw new FlowlineError({ code: 'INVALID_PARAM', message: `Bad arguments for ${method}: ${issues.join('; ')}` });
  }
  return result.data as unknown[];
}
