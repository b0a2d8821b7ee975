/**
 * The columns of a pipeline's source files, read cheaply before anything runs (each source node's
 * `describe`: a CSV's sniffed header and types, a Parquet file's schema) so that compile can
 * propagate them and check every column a node names. Cached in this process by the node type,
 * its params and the size and modification time of the files it reads, so the studio, which
 * validates on every edit, reads a file once per change of it.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { nodeParams } from '../compile/compile.ts';
import { canonicalJson, statFingerprint } from '../exec/hash.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { RunContext } from '../spec/context.ts';
import type { KnownTable } from '../spec/known-columns.ts';

const CACHE_SIZE = 256;
/** A volatile source (a database query) can change with no file to fingerprint: its description is kept this long. */
const VOLATILE_TTL_MS = 30_000;
const cache = new Map<string, { table: Promise<KnownTable | undefined>; until: number }>();

export interface KnownSourcesOptions {
  /** The pipeline file (relative data paths resolve against its folder); unsaved: `cwd`. */
  path?: string;
  cwd: string;
  /**
   * Source nodes not to describe: their reads or queries need trust the pipeline does not have.
   * Describing a database query contacts the database, so the caller must list every untrusted one.
   */
  skip?: ReadonlySet<string>;
  /** Database logins saved in the studio (Load PostgreSQL's connection name). */
  savedConnection?: RunContext['savedConnection'];
}

/** Source node id → its file's columns, for every enabled source whose file can be described. */
export async function knownSources(pipeline: Pipeline, nodes: readonly AnyNodeSpec[], options: KnownSourcesOptions): Promise<Record<string, KnownTable>> {
  const specs = new Map(nodes.map((s) => [s.type, s]));
  const pipelineDir = options.path ? dirname(resolve(options.cwd, options.path)) : resolve(options.cwd);
  const out: Record<string, KnownTable> = {};
  await Promise.all(
    pipeline.nodes.map(async (node) => {
      const spec = specs.get(node.type);
      if (!spec?.describe || node.disabled || options.skip?.has(node.id) || node.version > spec.version) return;
      const params = nodeParams(node, spec);
      if (!params) return;
      const files = (spec.reads?.(params) ?? []).map((p) => (isAbsolute(p) ? p : resolve(pipelineDir, p)));
      // Only regular files: a device or a pipe would never end (the run refuses them by name).
      if (!(await Promise.all(files.map(isRegularFile))).every(Boolean)) return;
      const key = canonicalJson({ type: spec.type, params, pipelineDir, files: await Promise.all(files.map(async (f) => [f, await statFingerprint(f)])) });
      let entry = cache.get(key);
      if (!entry || entry.until < Date.now()) {
        const table = spec.describe(params, { pipelineDir, savedConnection: options.savedConnection }).catch(() => undefined);
        entry = { table, until: spec.volatile ? Date.now() + VOLATILE_TTL_MS : Infinity };
        cache.delete(key);
        cache.set(key, entry);
        if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      const table = await entry.table;
      if (table) out[node.id] = table;
    }),
  );
  return out;
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

