/**
 * `flowline runs compare A B`: what changed between two recorded runs — params, seed, data files,
 * node versions, the pipeline itself, Flowline's version — and how each metric moved.
 */
import { canonicalJson } from '../../exec/hash.ts';
import type { ParamChange, RunComparison, RunRecord } from '../../spec/run-log.ts';

export type { ParamChange, RunComparison } from '../../spec/run-log.ts';

export function compareRuns(a: RunRecord, b: RunRecord): RunComparison {
  const params: ParamChange[] = [];
  const nodes: RunComparison['nodes'] = [];
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  for (const [id, n] of before) if (!after.has(id)) nodes.push({ nodeId: id, change: 'removed', before: `${n.type} v${n.version}` });
  for (const [id, n] of after) {
    const old = before.get(id);
    if (!old) {
      nodes.push({ nodeId: id, change: 'added', after: `${n.type} v${n.version}` });
      continue;
    }
    if (old.type !== n.type) nodes.push({ nodeId: id, change: 'type', before: old.type, after: n.type });
    else if (old.version !== n.version) nodes.push({ nodeId: id, change: 'version', before: `v${old.version}`, after: `v${n.version}` });
    diffValues(id, '', old.params, n.params, params);
  }

  const data: RunComparison['data'] = [];
  const filesA = new Map(a.data.map((f) => [f.path, f]));
  const filesB = new Map(b.data.map((f) => [f.path, f]));
  for (const [path, f] of filesA) if (!filesB.has(path)) data.push({ path, change: 'removed', before: f.hash });
  for (const [path, f] of filesB) {
    const old = filesA.get(path);
    if (!old) data.push({ path, change: 'added', after: f.hash });
    else if (old.hash !== f.hash) data.push({ path, change: 'changed', before: old.hash, after: f.hash });
  }

  const metrics: RunComparison['metrics'] = [];
  const nodeIds = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])];
  for (const nodeId of nodeIds) {
    const ma = a.metrics[nodeId] ?? {};
    const mb = b.metrics[nodeId] ?? {};
    for (const metric of [...new Set([...Object.keys(ma), ...Object.keys(mb)])]) {
      const x = ma[metric] ?? null;
      const y = mb[metric] ?? null;
      metrics.push({ nodeId, metric, before: x, after: y, delta: x === null || y === null ? null : y - x });
    }
  }

  return {
    a: a.id,
    b: b.id,
    samePipeline: a.pipeline.hash === b.pipeline.hash,
    ...(a.appVersion !== b.appVersion ? { appVersion: { before: a.appVersion, after: b.appVersion } } : {}),
    ...(a.seed !== b.seed ? { seed: { before: a.seed, after: b.seed } } : {}),
    params,
    nodes,
    data,
    metrics,
  };
}

function diffValues(nodeId: string, path: string, x: unknown, y: unknown, out: ParamChange[]): void {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(x) && isObject(y)) {
    for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) diffValues(nodeId, path ? `${path}.${k}` : k, x[k], y[k], out);
    return;
  }
  if (canonicalJson(x) !== canonicalJson(y)) out.push({ nodeId, param: path, before: x, after: y });
}

/** The comparison in a few lines for a terminal. */
export function formatComparison(c: RunComparison): string {
  const lines = [`${c.a} → ${c.b}${c.samePipeline ? ' (same pipeline)' : ''}`];
  const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
  const short = (h?: string) => (h && /^[0-9a-f]{64}$/.test(h) ? h.slice(0, 12) : (h ?? ''));
  if (c.appVersion) lines.push(`Flowline ${c.appVersion.before} → ${c.appVersion.after}`);
  if (c.seed) lines.push(`seed ${c.seed.before} → ${c.seed.after}`);
  if (c.params.length) lines.push('params', ...c.params.map((p) => `  ${p.nodeId}.${p.param}: ${show(p.before)} → ${show(p.after)}`));
  if (c.nodes.length) lines.push('nodes', ...c.nodes.map((n) => `  ${n.nodeId}: ${n.change}${n.before || n.after ? ` ${n.before ?? ''}${n.before && n.after ? ' → ' : ''}${n.after ?? ''}` : ''}`));
  if (c.data.length) lines.push('data files', ...c.data.map((d) => `  ${d.path}: ${d.change}${d.change === 'changed' ? ` ${short(d.before)} → ${short(d.after)}` : ''}`));
  if (!c.params.length && !c.nodes.length && !c.data.length && !c.seed) lines.push('no change in params, nodes, seed or data files');
  if (c.metrics.length) {
    lines.push('metrics');
    const fmt = (v: number | null) => (v === null ? '–' : Number.isInteger(v) ? String(v) : v.toPrecision(4));
    for (const m of c.metrics) lines.push(`  ${m.nodeId}.${m.metric}: ${fmt(m.before)} → ${fmt(m.after)}${m.delta === null ? '' : ` (${m.delta >= 0 ? '+' : ''}${fmt(m.delta)})`}`);
  }
  return lines.join('\n');
}
