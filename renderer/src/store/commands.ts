/** Named edit commands over the document store: each is one undoable step. */
import type { Pipeline, PipelineEdge, PipelineNode } from '../../../core/schema/pipeline.ts';
import { NODE_ID, splitEndpoint } from '../../../core/schema/pipeline.ts';
import { elkLayout, notesFollow, type Card } from '../lib/elk-layout.ts';
import { layoutInWorker } from '../lib/elk-worker-client.ts';
import { connectionProblem, edgeReplacedBy, freshId, spliceIntoEdge, withEdge, edgeId } from '../lib/graph.ts';
import { useDocStore } from './use-doc-store.ts';
import { useUiStore } from './use-ui-store.ts';
import { learnerVariants, switchLearnerParams } from '../lib/learners.ts';

const doc = () => useDocStore.getState();

const say = (message: string) => useUiStore.getState().toast(message);
const ends = (e: PipelineEdge) => `${splitEndpoint(e.from).node} → ${splitEndpoint(e.to).node}`;

/**
 * Add a node from the palette. Dropped onto an edge whose types fit, it is spliced into that edge
 * in the same undoable step ("Insert Scale Features between load and train").
 */
export function addNode(type: string, position: { x: number; y: number }, ontoEdge?: PipelineEdge): string | null {
  const { catalog } = doc();
  const spec = catalog.get(type);
  if (!spec) return null;
  const id = freshId(doc().pipeline, type);
  const node: PipelineNode = { id, type, version: spec.version, params: structuredClone(spec.defaults) };
  const add = (p: Pipeline): Pipeline => ({
    ...p,
    nodes: [...p.nodes, node],
    layout: { ...p.layout, positions: { ...p.layout.positions, [id]: { x: Math.round(position.x), y: Math.round(position.y) } } },
  });
  const spliced = ontoEdge && spliceIntoEdge(catalog, add(doc().pipeline), ontoEdge, id);
  if (spliced) {
    doc().perform(`Insert ${spec.title} into ${ends(ontoEdge)}`, (p) => spliceIntoEdge(catalog, add(p), ontoEdge, id) ?? add(p));
    say(`Inserted ${id} between ${ends(ontoEdge).replace(' → ', ' and ')}.`);
  } else doc().perform(`Add ${spec.title}`, add);
  doc().select([id]);
  return id;
}

/**
 * A node that has no edges yet, dropped onto an edge: move it there and splice it in, one
 * undoable step. False when it does not fit (the caller then records a plain move).
 */
export function moveIntoEdge(nodeId: string, position: { x: number; y: number }, edge: PipelineEdge): boolean {
  const { catalog, pipeline } = doc();
  if (pipeline.edges.some((e) => splitEndpoint(e.from).node === nodeId || splitEndpoint(e.to).node === nodeId)) return false;
  if (!spliceIntoEdge(catalog, pipeline, edge, nodeId)) return false;
  const moved = (p: Pipeline): Pipeline => ({ ...p, layout: { ...p.layout, positions: { ...p.layout.positions, [nodeId]: position } } });
  doc().perform(`Insert ${nodeId} into ${ends(edge)}`, (p) => spliceIntoEdge(catalog, moved(p), edge, nodeId) ?? moved(p));
  say(`Inserted ${nodeId} between ${ends(edge).replace(' → ', ' and ')}.`);
  return true;
}

/**
 * Connect two ports; returns the reason when refused. An input that takes one edge and already has
 * one gets the new edge instead, and the user is told (one undoable step).
 */
export function connect(from: { node: string; port: string }, to: { node: string; port: string }): string | null {
  const { catalog, pipeline } = doc();
  const problem = connectionProblem(catalog, pipeline, from, to);
  if (problem) return problem;
  const replaced = edgeReplacedBy(catalog, pipeline, to);
  const edge = { from: `${from.node}.${from.port}`, to: `${to.node}.${to.port}` };
  doc().perform(replaced ? `Replace the edge into ${edge.to}` : 'Connect', (p) => withEdge(catalog, p, edge));
  if (replaced) say(`${to.node}’s input “${to.port}” takes one edge: ${replaced.from} was replaced by ${edge.from}. Undo (Ctrl+Z) brings it back.`);
  return null;
}

export function disconnectInput(nodeId: string, port: string): void {
  const key = `${nodeId}.${port}`;
  doc().perform('Disconnect', (p) => (p.edges.some((e) => e.to === key) ? { ...p, edges: p.edges.filter((e) => e.to !== key) } : p));
}

export function removeElements(nodeIds: string[], edgeIds: string[] = [], noteIds: string[] = []): void {
  if (!nodeIds.length && !edgeIds.length && !noteIds.length) return;
  const gone = new Set(nodeIds);
  const goneEdges = new Set(edgeIds);
  const goneNotes = new Set(noteIds);
  doc().perform(nodeIds.length ? `Delete ${nodeIds.length === 1 ? nodeIds[0] : `${nodeIds.length} nodes`}` : 'Delete', (p) => {
    const positions = { ...p.layout.positions };
    for (const id of gone) delete positions[id];
    return {
      ...p,
      nodes: p.nodes.filter((n) => !gone.has(n.id)),
      edges: p.edges.filter((e) => !goneEdges.has(edgeId(e)) && !gone.has(splitEndpoint(e.from).node) && !gone.has(splitEndpoint(e.to).node)),
      layout: {
        ...p.layout,
        positions,
        notes: p.layout.notes.filter((n) => !goneNotes.has(n.id)),
        groups: p.layout.groups.map((g) => ({ ...g, nodes: g.nodes.filter((id) => !gone.has(id)) })).filter((g) => g.nodes.length > 0),
      },
    };
  });
  doc().select([]);
}

export function setParam(nodeId: string, name: string, value: unknown): void {
  doc().perform(`Set ${nodeId}.${name}`, (p) => ({
    ...p,
    nodes: p.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const params = { ...n.params };
      if (value === undefined) delete params[name];
      else params[name] = value;
      return { ...n, params };
    }),
  }));
}

/** Set (or, with undefined, clear back to its default) one setting of a node's learner. */
export function setLearnerParam(nodeId: string, name: string, value: unknown): void {
  doc().perform(`Set ${nodeId}.learner_params.${name}`, (p) => ({
    ...p,
    nodes: p.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const settings = { ...((n.params.learner_params ?? {}) as Record<string, unknown>) };
      if (value === undefined) delete settings[name];
      else settings[name] = value;
      return { ...n, params: { ...n.params, learner_params: settings } };
    }),
  }));
}

/**
 * Switch a node's learner in one undoable step: the settings the new learner also has (with a
 * value it accepts) stay, the others are dropped, and a toast names both lists, so a kept
 * `max_iter` is no surprise and a dropped `n_estimators` is not lost silently (Ctrl+Z).
 */
export function switchLearner(nodeId: string, learner: string): void {
  const { catalog, pipeline } = doc();
  const node = pipeline.nodes.find((n) => n.id === nodeId);
  const to = learnerVariants(node && catalog.get(node.type)).find((v) => v.learner === learner);
  if (!node || !to || node.params.learner === learner) return;
  const change = switchLearnerParams(node.params, to);
  doc().perform(`Switch ${nodeId} to ${to.title}`, (p) => ({ ...p, nodes: p.nodes.map((n) => (n.id === nodeId ? { ...n, params: switchLearnerParams(n.params, to).params } : n)) }));
  if (!change.kept.length && !change.dropped.length) return;
  const parts = [`${nodeId} now uses ${to.title}.`];
  if (change.kept.length) parts.push(`Kept ${change.kept.join(', ')}.`);
  if (change.dropped.length) parts.push(`Dropped ${change.dropped.join(', ')}: not settings of ${to.title} (Ctrl+Z brings them back).`);
  say(parts.join(' '));
}

export function setNodeTitle(nodeId: string, title: string): void {
  doc().perform(`Rename ${nodeId}`, (p) => ({ ...p, nodes: p.nodes.map((n) => (n.id === nodeId ? { ...n, title: title || undefined } : n)) }));
}

/** Change a node's id everywhere it is referenced; returns a problem in words, or null. */
export function renameNode(oldId: string, newId: string): string | null {
  if (oldId === newId) return null;
  if (!NODE_ID.test(newId)) return 'An id is letters, digits, "_" or "-", starting with a letter or "_".';
  if (doc().pipeline.nodes.some((n) => n.id === newId)) return `There is already a node "${newId}".`;
  const swap = (end: string) => {
    const { node, port } = splitEndpoint(end);
    return node === oldId ? `${newId}.${port}` : end;
  };
  doc().perform(`Rename id ${oldId} → ${newId}`, (p) => {
    const positions = { ...p.layout.positions };
    if (positions[oldId]) {
      positions[newId] = positions[oldId];
      delete positions[oldId];
    }
    return {
      ...p,
      nodes: p.nodes.map((n) => (n.id === oldId ? { ...n, id: newId } : n)),
      edges: p.edges.map((e) => ({ from: swap(e.from), to: swap(e.to) })),
      layout: { ...p.layout, positions, groups: p.layout.groups.map((g) => ({ ...g, nodes: g.nodes.map((id) => (id === oldId ? newId : id)) })) },
    };
  });
  doc().select([newId]);
  return null;
}

// ---- clipboard ---------------------------------------------------------------------------

interface Clip {
  nodes: PipelineNode[];
  edges: Pipeline['edges'];
  positions: Record<string, { x: number; y: number }>;
}
let clipboard: Clip | null = null;

export function copySelection(): number {
  const { pipeline, selection } = doc();
  const ids = new Set(selection);
  if (!ids.size) return 0;
  clipboard = {
    nodes: pipeline.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n)),
    edges: pipeline.edges.filter((e) => ids.has(splitEndpoint(e.from).node) && ids.has(splitEndpoint(e.to).node)),
    positions: Object.fromEntries([...ids].map((id) => [id, pipeline.layout.positions[id] ?? { x: 0, y: 0 }])),
  };
  return ids.size;
}

export function paste(offset = { x: 40, y: 40 }): void {
  if (!clipboard) return;
  const clip = clipboard;
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  const base = doc().pipeline;
  for (const n of clip.nodes) {
    const id = freshId(base, n.id.replace(/_\d+$/, ''), taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const move = (end: string) => {
    const { node, port } = splitEndpoint(end);
    return `${rename.get(node)}.${port}`;
  };
  doc().perform(`Paste ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`, (p) => ({
    ...p,
    nodes: [...p.nodes, ...clip.nodes.map((n) => ({ ...structuredClone(n), id: rename.get(n.id)! }))],
    edges: [...p.edges, ...clip.edges.map((e) => ({ from: move(e.from), to: move(e.to) }))],
    layout: {
      ...p.layout,
      positions: {
        ...p.layout.positions,
        ...Object.fromEntries(clip.nodes.map((n) => [rename.get(n.id)!, { x: clip.positions[n.id].x + offset.x, y: clip.positions[n.id].y + offset.y }])),
      },
    },
  }));
  doc().select([...rename.values()]);
  // Pasting twice cascades instead of stacking.
  clipboard = { ...clip, positions: Object.fromEntries(Object.entries(clip.positions).map(([k, v]) => [k, { x: v.x + offset.x, y: v.y + offset.y }])) };
}

export function duplicateSelection(): void {
  const saved = clipboard;
  if (copySelection()) paste();
  clipboard = saved;
}

// ---- layout, notes, groups ---------------------------------------------------------------

/** Tidy with elkjs (lib/elk-layout.ts); `cardOf` gives each card's size and handles. One undoable step. */
export async function layoutAll(cardOf: (id: string) => Card | undefined = () => undefined): Promise<void> {
  const { pipeline, loadCount } = doc();
  let tidied: Awaited<ReturnType<typeof elkLayout>>;
  try {
    tidied = await elkLayout(pipeline, cardOf, layoutInWorker);
  } catch (e) {
    return void useUiStore.getState().toast((e as Error).message, 'error');
  }
  const { positions, routes } = tidied;
  // The document changed while laying out: its own Tidy is the user's to ask for again.
  if (doc().loadCount !== loadCount || doc().pipeline !== pipeline) return;
  // Positions and routes together in one step, so undo and redo (and a save) keep them in step.
  doc().perform('Auto-layout', (p) => ({ ...p, layout: { ...p.layout, positions: { ...p.layout.positions, ...positions }, notes: notesFollow(p, positions), routes } }));
}

export function addNote(position: { x: number; y: number }, text = ''): string {
  const id = `note_${Date.now().toString(36)}`;
  doc().perform('Add note', (p) => ({ ...p, layout: { ...p.layout, notes: [...p.layout.notes, { id, text, x: Math.round(position.x), y: Math.round(position.y), width: 200, height: 120 }] } }));
  return id;
}

export function updateNote(id: string, patch: Partial<{ text: string; x: number; y: number; width: number; height: number }>, name = 'Edit note'): void {
  doc().perform(name, (p) => ({ ...p, layout: { ...p.layout, notes: p.layout.notes.map((n) => (n.id === id ? { ...n, ...patch } : n)) } }));
}

export function groupSelection(title = 'Group'): string | null {
  const ids = doc().selection;
  if (ids.length < 1) return null;
  const id = `group_${Date.now().toString(36)}`;
  doc().perform('Group nodes', (p) => ({
    ...p,
    layout: { ...p.layout, groups: [...p.layout.groups.map((g) => ({ ...g, nodes: g.nodes.filter((n) => !ids.includes(n)) })).filter((g) => g.nodes.length), { id, title, nodes: [...ids] }] },
  }));
  return id;
}

export function ungroup(id: string): void {
  doc().perform('Ungroup', (p) => ({ ...p, layout: { ...p.layout, groups: p.layout.groups.filter((g) => g.id !== id) } }));
}

export function renameGroup(id: string, title: string): void {
  doc().perform('Rename group', (p) => ({ ...p, layout: { ...p.layout, groups: p.layout.groups.map((g) => (g.id === id ? { ...g, title } : g)) } }));
}

export function setPipelineName(name: string): void {
  doc().perform('Rename pipeline', (p) => ({ ...p, name }));
}

export function replacePipeline(next: Pipeline, name = 'Edit JSON'): void {
  doc().perform(name, () => next);
}
