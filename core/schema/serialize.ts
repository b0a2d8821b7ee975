import { z } from 'zod';
import { FlowlineError } from '../spec/errors.ts';
import { migrateDocument } from './migrate.ts';
import { edgeKey, Pipeline, routeHolds, splitEndpoint } from './pipeline.ts';

/** Parse pipeline text: JSON errors name the line, schema errors name the path. */
export function parsePipeline(text: string, file?: string): Pipeline {
  let doc: unknown;
  try {
    // Editors on Windows often save UTF-8 with a byte order mark: it is not part of the JSON.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const where = jsonErrorLine(text, e as Error);
    throw new FlowlineError({
      code: 'PIPELINE_NOT_JSON',
      message: `The pipeline file is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${jsonProblem(e as Error)}.`,
      file,
      line: where?.line,
      hint: 'Fix the JSON syntax, or open the file in the studio\'s JSON view to see the error highlighted.',
    });
  }
  return pipelineFromJson(doc, file);
}

/**
 * A pipeline from parsed JSON of any version this build reads: migrated to the current version
 * (a version 1 document gets its nodes' seeds written in, see migrate.ts), then checked. Every
 * document from outside — a file, the studio over the API, an autosave — goes through here.
 */
export function pipelineFromJson(doc: unknown, file?: string): Pipeline {
  const migrated = migrateDocument(doc, file);
  const result = Pipeline.safeParse(migrated);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new FlowlineError({ code: 'PIPELINE_INVALID', message: `The pipeline file does not match the format:\n  ${issues.join('\n  ')}`, file });
  }
  return result.data;
}

/**
 * What is wrong, without quoting the file: V8 puts a snippet of the text in some messages
 * ('Unexpected token 'r', "root:x:0:0"... is not valid JSON'), and the file may not be a pipeline
 * at all (someone's /etc/passwd, a key file), so its contents never reach a message.
 */
function jsonProblem(e: Error): string {
  const m = e.message;
  if (/^Unexpected token/.test(m)) return 'it has a character that cannot start or continue a JSON value';
  if (/^Unexpected end of JSON input/.test(m)) return 'it ends before the JSON is complete';
  return m.replace(/\s+in JSON at position \d+.*$/s, '').replace(/"[^"]*"/g, '"…"').slice(0, 120);
}

function jsonErrorLine(text: string, e: Error): { line: number; column: number } | undefined {
  const m = /position (\d+)/.exec(e.message);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    return { line, column: pos - before.lastIndexOf('\n') };
  }
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  return lc ? { line: Number(lc[1]), column: Number(lc[2]) } : undefined;
}

const TOP_ORDER = ['format', 'version', 'name', 'description', 'tags', 'template', 'seed', 'nodes', 'edges', 'gates', 'layout'];
const NODE_ORDER = ['id', 'type', 'version', 'title', 'disabled', 'params'];

function sortKeys(value: unknown, order?: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  keys.sort((a, b) => {
    const ia = order ? order.indexOf(a) : -1;
    const ib = order ? order.indexOf(b) : -1;
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 1e9 : ia) - (ib === -1 ? 1e9 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortKeys(obj[k]);
  return out;
}

/**
 * Stable text for a pipeline: fixed key order at the top and in nodes, sorted keys elsewhere,
 * two-space indent, trailing newline. Saving an unchanged pipeline gives identical bytes.
 */
export function serializePipeline(pipeline: Pipeline): string {
  const p = withoutStaleRoutes(Pipeline.parse(pipeline));
  const top = sortKeys({ ...p, nodes: undefined }, TOP_ORDER) as Record<string, unknown>;
  top.nodes = p.nodes.map((n) => sortKeys(n, NODE_ORDER));
  const ordered: Record<string, unknown> = {};
  for (const k of TOP_ORDER) if (top[k] !== undefined) ordered[k] = top[k];
  return JSON.stringify(ordered, null, 2) + '\n';
}

/**
 * Tidy's routes that can still be drawn: a route whose edge is gone, or one of whose nodes has
 * moved since, would never be drawn again (the studio draws that edge as a plain curve), so it is
 * not written. In memory it stays, so undoing the move brings the route back.
 */
function withoutStaleRoutes(p: Pipeline): Pipeline {
  const routes = p.layout.routes;
  if (!routes) return p;
  const kept: NonNullable<Pipeline['layout']['routes']> = {};
  for (const e of p.edges) {
    const key = edgeKey(e);
    const route = routes[key];
    if (route && routeHolds(route, p.layout.positions[splitEndpoint(e.from).node], p.layout.positions[splitEndpoint(e.to).node])) kept[key] = route;
  }
  const { routes: _, ...layout } = p.layout;
  return { ...p, layout: Object.keys(kept).length ? { ...layout, routes: kept } : layout };
}

/** JSON Schema of the file format (written to docs/pipeline.schema.json). */
export function pipelineJsonSchema(): unknown {
  return z.toJSONSchema(Pipeline, { io: 'input', unrepresentable: 'any' });
}
