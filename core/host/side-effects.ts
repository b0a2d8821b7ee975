/**
 * Everything a pipeline would do besides computing tables: run code (JavaScript, SQL), query a
 * database, write files outside its folder, read files outside its folder. The trust gate (the
 * service, the CLI) is computed from this list, so a pipeline someone sent you cannot do any of it
 * before you have seen it and said yes — with or without a Code node.
 *
 * Writes and reads inside the pipeline's folder (or a folder the user trusted) are not listed:
 * that is where a pipeline's own data lives. Symlinks are resolved, so a link inside the folder
 * that points out of it is outside.
 */
import { isAbsolute, resolve } from 'node:path';
import { compile } from '../compile/index.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import { paramUi, type AnyNodeSpec } from '../spec/define-node.ts';
import { paramsObjectFor, parseParams } from '../spec/params.ts';
import { sha256 } from '../exec/hash.ts';
import { isInside, realPathOf } from './service/places.ts';

export type SideEffectKind = 'code' | 'query' | 'write' | 'read';

export interface SideEffect {
  nodeId: string;
  kind: SideEffectKind;
  /** What it would do, in the user's words: 'node "save" (Write CSV) writes /home/ann/.bashrc, outside the pipeline's folder'. */
  what: string;
  /** The param it comes from (a --set of that param is the user's own choice). */
  param: string;
  /** Identity of the effect's content (kind, node type, the text as written), never of where it sits in the graph. */
  key: string;
}

export interface SideEffectOptions {
  /** The pipeline's folder: relative paths resolve against it, and inside it needs no trust. */
  pipelineDir: string;
  /** Folders the user trusted: reads and writes there need no trust either. */
  trustedFolders?: readonly string[];
  /** `node.param=value` overrides (flowline run --set): applied, and what they set is the user's choice. */
  set?: string[];
  /** Only what runs up to this node. */
  to?: string;
}

interface NodeParams {
  id: string;
  spec: AnyNodeSpec;
  params: Record<string, unknown>;
}

/** The side effects of a pipeline that need trust, in pipeline order. */
export function sideEffects(pipeline: Pipeline, specs: readonly AnyNodeSpec[], options: SideEffectOptions): SideEffect[] {
  const overridden = new Set((options.set ?? []).map((s) => s.slice(0, Math.max(0, s.indexOf('='))).split('.').slice(0, 2).join('.')));
  const safe = [options.pipelineDir, ...(options.trustedFolders ?? [])].map((d) => realPathOf(d));
  const outside = (path: string) => {
    const real = realPathOf(isAbsolute(path) ? path : resolve(options.pipelineDir, path));
    return safe.some((root) => isInside(real, root)) ? null : real;
  };
  const out: SideEffect[] = [];
  for (const node of nodesToRun(pipeline, specs, options)) {
    const { spec, params, id } = node;
    const name = `node "${id}" (${spec.title})`;
    const add = (kind: SideEffectKind, param: string, raw: unknown, what: string) => {
      if (!overridden.has(`${id}.${param}`)) out.push({ nodeId: id, kind, param, what: `${name} ${what}`, key: effectKey(kind, spec.type, raw) });
    };
    if (spec.runsUserCode || spec.queriesDatabase) {
      for (const [param, text] of codeParams(spec, params)) {
        const snippet = firstLine(text);
        if (spec.queriesDatabase) add('query', param, [text, params.connection], `sends a query to the database${params.connection ? ` named by ${String(params.connection)}` : ''}: ${snippet}`);
        else add('code', param, text, `runs ${codeLanguage(spec, param)} code: ${snippet}`);
      }
    }
    const files = fileParams(spec, params);
    const writes = new Set([...safeCall(spec.writes, params), ...files.writes]);
    const reads = new Set([...safeCall(spec.reads, params), ...files.reads].filter((p) => !writes.has(p)));
    for (const [verb, list] of [['writes', writes], ['reads', reads]] as const) {
      for (const path of list) {
        const where = outside(path);
        const param = pathParam(params, path);
        if (where) add(verb === 'writes' ? 'write' : 'read', param, path, `${verb} ${where}, outside the pipeline's folder`);
      }
    }
  }
  return out;
}

/** The key of one effect: the same code, query or path anywhere has the same key. */
export function effectKey(kind: SideEffectKind, type: string, raw: unknown): string {
  return sha256(JSON.stringify([kind, type, raw])).slice(0, 40);
}

/** What would run: the compiled plan when the pipeline compiles (with --set and --to), else every node as written. */
function nodesToRun(pipeline: Pipeline, specs: readonly AnyNodeSpec[], options: SideEffectOptions): NodeParams[] {
  const { plan } = compile(pipeline, specs, { set: options.set, to: options.to });
  if (plan) return plan.nodes.filter((n) => !n.disabled).map((n) => ({ id: n.id, spec: n.spec, params: n.params }));
  // A pipeline that does not compile does not run; but a file's effects are still listed (and
  // remembered as untrusted) so that fixing one param does not launder the rest.
  const byType = new Map(specs.map((s) => [s.type, s]));
  return pipeline.nodes.flatMap((n) => {
    const spec = byType.get(n.type);
    if (!spec || n.disabled) return [];
    const parsed = parseParams(spec.params, n.params ?? {});
    return [{ id: n.id, spec, params: parsed.success ? parsed.data : { ...(n.params ?? {}) } }];
  });
}

function codeParams(spec: AnyNodeSpec, params: Record<string, unknown>): [string, string][] {
  const shape = paramsObjectFor(spec.params, params)?.shape ?? {};
  return Object.entries(shape)
    .filter(([, schema]) => paramUi(schema as never)?.widget === 'code')
    .map(([name]) => [name, typeof params[name] === 'string' ? (params[name] as string) : ''] as [string, string])
    .filter(([, text]) => text.trim() !== '');
}

/**
 * Paths in file params (param.file): a save dialog's is written, an open dialog's is read. So a
 * node that writes a file is gated even if it forgets to declare `writes`.
 */
function fileParams(spec: AnyNodeSpec, params: Record<string, unknown>): { writes: string[]; reads: string[] } {
  const out = { writes: [] as string[], reads: [] as string[] };
  for (const [name, schema] of Object.entries(paramsObjectFor(spec.params, params)?.shape ?? {})) {
    const ui = paramUi(schema as never);
    const value = params[name];
    if (ui?.widget === 'file' && typeof value === 'string' && value) (ui.save ? out.writes : out.reads).push(value);
  }
  return out;
}

function codeLanguage(spec: AnyNodeSpec, param: string): string {
  const schema = (paramsObjectFor(spec.params)?.shape ?? {})[param];
  const language = schema ? paramUi(schema as never)?.language : undefined;
  return language === 'javascript' ? 'JavaScript' : language === 'sql' ? 'SQL' : 'its own';
}

function safeCall(fn: ((params: never) => string[]) | undefined, params: Record<string, unknown>): string[] {
  try {
    return (fn?.(params as never) ?? []).filter((p): p is string => typeof p === 'string' && p.length > 0);
  } catch {
    return [];
  }
}

/** The param holding a path (for --set exemption): the first string param equal to it, else "path". */
function pathParam(params: Record<string, unknown>, path: string): string {
  return Object.keys(params).find((k) => params[k] === path) ?? 'path';
}

function firstLine(text: string): string {
  const lines = text.trim().split('\n');
  const head = lines[0].length > 70 ? `${lines[0].slice(0, 67)}...` : lines[0];
  return `"${head}"${lines.length > 1 ? ` (${lines.length} lines)` : ''}`;
}
