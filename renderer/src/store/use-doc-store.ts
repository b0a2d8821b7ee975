/**
 * The document: pipeline + selection + undo history. Every edit is a named command that
 * replaces the (immutable) pipeline; one history entry per user gesture. A drag moves nodes
 * through `moveNodes` (no history) between `beginGesture` and `endGesture`.
 */
import { create } from 'zustand';
import type { CatalogNode } from '../../../core/host/api.ts';
import { emptyPipeline, type Pipeline } from '../../../core/schema/pipeline.ts';
import type { Catalog } from '../lib/graph.ts';

export interface HistoryEntry {
  name: string;
  pipeline: Pipeline;
}

export interface DocState {
  catalog: Catalog;
  catalogList: CatalogNode[];
  pipeline: Pipeline;
  /** File on disk; null until saved. */
  path: string | null;
  /** Where an unsaved copy came from (an example): its relative data paths resolve there. */
  origin: string | null;
  /** The pipeline as last opened or saved: dirty = pipeline !== saved. */
  saved: Pipeline;
  needsTrust: boolean;
  selection: string[];
  selectedEdges: string[];
  past: HistoryEntry[];
  future: HistoryEntry[];
  gesture: Pipeline | null;
  /** Bumped when a whole new document is loaded (the canvas fits its view). */
  loadCount: number;

  setCatalog(list: CatalogNode[]): void;
  load(pipeline: Pipeline, path: string | null, needsTrust?: boolean, origin?: string | null): void;
  markSaved(path: string): void;
  perform(name: string, change: (p: Pipeline) => Pipeline): void;
  beginGesture(): void;
  /** Hot path: positions while dragging, no history. */
  moveNodes(positions: Record<string, { x: number; y: number }>): void;
  endGesture(name: string): void;
  undo(): void;
  redo(): void;
  select(nodes: string[], edges?: string[]): void;
  setTrusted(): void;
}

const HISTORY_LIMIT = 200;

export const useDocStore = create<DocState>()((set, get) => {
  const initial = emptyPipeline();
  return {
    catalog: new Map(),
    catalogList: [],
    pipeline: initial,
    path: null,
    origin: null,
    saved: initial,
    needsTrust: false,
    selection: [],
    selectedEdges: [],
    past: [],
    future: [],
    gesture: null,
    loadCount: 0,

    setCatalog: (list) => set({ catalogList: list, catalog: new Map(list.map((c) => [c.type, c])) }),
    load: (pipeline, path, needsTrust = false, origin = null) =>
      set((s) => ({ pipeline, saved: pipeline, path, origin, needsTrust, selection: [], selectedEdges: [], past: [], future: [], gesture: null, loadCount: s.loadCount + 1 })),
    markSaved: (path) => set((s) => ({ path, saved: s.pipeline })),
    perform: (name, change) => {
      const before = get().pipeline;
      const after = change(before);
      if (after === before) return;
      set((s) => ({ pipeline: after, past: [...s.past, { name, pipeline: before }].slice(-HISTORY_LIMIT), future: [] }));
    },
    beginGesture: () => set((s) => ({ gesture: s.gesture ?? s.pipeline })),
    moveNodes: (positions) =>
      set((s) => ({ pipeline: { ...s.pipeline, layout: { ...s.pipeline.layout, positions: { ...s.pipeline.layout.positions, ...positions } } } })),
    endGesture: (name) => {
      const { gesture, pipeline } = get();
      if (!gesture) return;
      if (gesture === pipeline) return set({ gesture: null });
      set((s) => ({ gesture: null, past: [...s.past, { name, pipeline: gesture }].slice(-HISTORY_LIMIT), future: [] }));
    },
    undo: () => {
      const { past, pipeline } = get();
      const last = past.at(-1);
      if (!last) return;
      set((s) => ({ pipeline: last.pipeline, past: past.slice(0, -1), future: [{ name: last.name, pipeline }, ...s.future], selection: keep(s.selection, last.pipeline) }));
    },
    redo: () => {
      const { future, pipeline } = get();
      const next = future[0];
      if (!next) return;
      set((s) => ({ pipeline: next.pipeline, future: future.slice(1), past: [...s.past, { name: next.name, pipeline }], selection: keep(s.selection, next.pipeline) }));
    },
    select: (nodes, edges = []) => {
      const s = get();
      if (same(s.selection, nodes) && same(s.selectedEdges, edges)) return;
      set({ selection: nodes, selectedEdges: edges });
    },
    setTrusted: () => set({ needsTrust: false }),
  };
});

function keep(selection: string[], p: Pipeline): string[] {
  const ids = new Set(p.nodes.map((n) => n.id));
  return selection.filter((id) => ids.has(id));
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const isDirty = (s: DocState) => s.pipeline !== s.saved;
