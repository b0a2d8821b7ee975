import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, ControlButton, Controls, Panel, ReactFlow, useReactFlow, useStore, useStoreApi, useNodesInitialized, applyNodeChanges, getViewportForBounds,
  type Connection, type Edge, type EdgeChange, type FinalConnectionState, type Node, type NodeChange,
} from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { addNode, addNote, connect, groupSelection, moveIntoEdge, removeElements } from '../store/commands.ts';
import { edgeAt, edgeUnderBox, highlightEdgeAt } from './edge-under.ts';
import { connectionProblem } from '../lib/graph.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { NodeCard } from './NodeCard.tsx';
import { FLAT_EDGES_FROM, FlatEdges } from './FlatEdges.tsx';
import { FAR_CARDS_FROM, FarCards } from './FarCards.tsx';
import { useFarCards } from './far-cards.ts';
import { useFarBox } from './far-box.ts';
import { useFarKeys } from './far-keys.ts';
import { FarFocusRing, FarKeys } from './FarFocus.tsx';
import { OverviewMap } from './OverviewMap.tsx';
import { NoteCard } from './NoteNode.tsx';
import { GroupBox } from './GroupNode.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';
import { nominalBounds } from './card-geometry.ts';
import { buildEdges, buildNodes, GROUP_PREFIX } from './to-flow.ts';
import { fitAll, MIN_ZOOM } from './fit.ts';
import { ZoomLevelContext, zoomLevelOf } from './zoom-level.ts';
import { withGroupMembers } from './group-drag.ts';
import { Icon } from '../ui/Icon.tsx';

// Module scope: a new object per render would remount every node.
const nodeTypes = { card: NodeCard, note: NoteCard, 'group-box': GroupBox };
const edgeTypes = { routed: RoutedEdge };

const FIT_OPTIONS = { padding: 0.2, maxZoom: 1 };
// Module scope as well: the canvas re-renders on every pointer move of a drag, and a fresh array
// or style object there makes xyflow re-bind its key listeners.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const SNAP_GRID: [number, number] = [10, 10];
const NO_EDGES: Edge[] = [];

export const PALETTE_MIME = 'application/x-flowline-node';

export function FlowCanvas() {
  const { pipeline, catalog, selection, selectedEdges, loadCount } = useDocStore(
    useShallow((s) => ({ pipeline: s.pipeline, catalog: s.catalog, selection: s.selection, selectedEdges: s.selectedEdges, loadCount: s.loadCount })),
  );
  const diagnostics = useUiStore((s) => s.diagnostics);
  const theme = useUiStore((s) => s.theme);
  const flow = useReactFlow();
  const zoomLevel = useStore(zoomLevelOf);
  const dotted = useStore(dotsVisible);
  const wrapper = useRef<HTMLDivElement>(null);

  // Local copy of the nodes: the hot channel for drags (positions reach the document on drop).
  const [nodes, setNodes] = useState<Node[]>([]);
  useEffect(() => {
    setNodes((prev) => buildNodes(pipeline, catalog, selection, diagnostics, prev));
  }, [pipeline, catalog, selection, diagnostics]);
  const previousEdges = useRef<Edge[]>([]);
  const edges = useMemo(() => (previousEdges.current = buildEdges(pipeline, catalog, selectedEdges, previousEdges.current)), [pipeline, catalog, selectedEdges]);
  // A big pipeline at the farthest zoom step: its cards (FarCards.tsx) and its edges (FlatEdges.tsx) as
  // pictures; xyflow renders only the cards being touched (far-cards.ts), and no edges.
  const farCards = zoomLevel === 'farther' && pipeline.nodes.length >= FAR_CARDS_FROM;
  const flatEdges = zoomLevel === 'farther' && (farCards || edges.length >= FLAT_EDGES_FROM);
  const far = useFarCards(nodes, farCards, flow);
  // There the keyboard moves a focus between the drawn cards (far-keys.ts), and a Shift-drag box
  // selects from their places (far-box.ts): neither needs the cards rendered.
  const keys = useFarKeys(nodes, farCards, flow, wrapper);
  const box = useFarBox(nodes, edges, farCards, flow);

  // Fit a newly loaded document; never on later edits, where moving the view under the user's
  // pointer would misplace the next drop. First at once, by the cards' nominal sizes, before any
  // card is rendered: xyflow then renders only the cards in that view (a 1,000-node pipeline
  // would otherwise mount every card at the old view, then unmount most and mount the fitted
  // view's). Then, when every card is in view and measured, exactly, as before. When the fit is
  // clamped at the minimum zoom, cards out of view are never measured: the nominal fit stays.
  const initialized = useNodesInitialized();
  const store = useStoreApi();
  const fitted = useRef(-1);
  const prefitted = useRef(-1);
  useEffect(() => {
    if (fitted.current === loadCount) return;
    if (!pipeline.nodes.length) {
      fitted.current = loadCount;
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    if (prefitted.current !== loadCount) {
      prefitted.current = loadCount;
      const { width, height, minZoom, maxZoom } = store.getState();
      const bounds = nominalBounds(pipeline, catalog);
      if (bounds && width && height) {
        const viewport = getViewportForBounds(bounds, width, height, minZoom, Math.min(maxZoom, FIT_OPTIONS.maxZoom), FIT_OPTIONS.padding);
        void flow.setViewport(viewport);
        if (viewport.zoom <= minZoom) fitted.current = loadCount;
      }
    }
    if (!initialized || fitted.current === loadCount) return;
    fitted.current = loadCount;
    // Cards drawn in the far picture are hidden nodes to xyflow: they count all the same.
    void flow.fitView({ ...FIT_OPTIONS, includeHiddenNodes: true });
  }, [loadCount, initialized, flow, store, pipeline, catalog]);

  const onNodesChange = useCallback((raw: NodeChange[]) => {
    const changes = withGroupMembers(raw, useDocStore.getState().pipeline.layout.groups, (id) => flow.getNode(id));
    const kept = changes.filter((c) => c.type !== 'remove');
    // A card's first measure replaces its nominal handles (card-geometry.ts nominalCard): without them
    // xyflow keeps the handles it measured, with them it would reset to them on every node update.
    const measured = new Set(kept.filter((c) => c.type === 'dimensions').map((c) => c.id));
    if (kept.length) setNodes((nds) => applyNodeChanges(kept, nds).map((n) => (measured.has(n.id) && n.handles ? { ...n, handles: undefined } : n)));
    // Selection flows one way: user gestures arrive here as changes, the store is the truth,
    // and the nodes' `selected` flags are rebuilt from it (xyflow emits no change for those).
    const selects = changes.filter((c): c is Extract<NodeChange, { type: 'select' }> => c.type === 'select');
    if (selects.length) {
      const doc = useDocStore.getState();
      const sel = new Set(doc.selection);
      for (const c of selects) if (c.selected) sel.add(c.id); else sel.delete(c.id);
      doc.select([...sel].filter((id) => !id.startsWith(GROUP_PREFIX)), doc.selectedEdges);
    }
    // A finished move (drag drop or arrow key) becomes one undoable step.
    const moved = changes.filter((c): c is Extract<NodeChange, { type: 'position' }> => c.type === 'position' && !c.dragging && !!c.position);
    if (!moved.length) return;
    const doc = useDocStore.getState();
    // One card without edges, dropped onto an edge: spliced into it (moveIntoEdge checks the types).
    // Looking for the edge under it hit-tests every element at nine points: only for such a card.
    const unlinked = (id: string) => !doc.pipeline.edges.some((e) => splitEndpoint(e.from).node === id || splitEndpoint(e.to).node === id);
    if (moved.length === 1 && !moved[0].id.includes(':') && unlinked(moved[0].id)) {
      const c = moved[0];
      const size = flow.getNode(c.id)?.measured;
      const topLeft = flow.flowToScreenPosition(c.position!);
      const bottomRight = flow.flowToScreenPosition({ x: c.position!.x + (size?.width ?? 0), y: c.position!.y + (size?.height ?? 0) });
      const edge = edgeUnderBox(doc.pipeline, { ...topLeft, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y });
      if (edge && moveIntoEdge(c.id, { x: Math.round(c.position!.x), y: Math.round(c.position!.y) }, edge)) return;
    }
    const frame = doc.pipeline.layout.groups.find((g) => moved.some((c) => c.id === `${GROUP_PREFIX}${g.id}`));
    const name = frame ? `Move group ${frame.title}` : moved.length === 1 ? `Move ${moved[0].id.replace(/^note:/, '')}` : `Move ${moved.length} items`;
    doc.perform(name, (p) => {
      const positions = { ...p.layout.positions };
      let notes = p.layout.notes;
      for (const c of moved) {
        const pos = { x: Math.round(c.position!.x), y: Math.round(c.position!.y) };
        if (c.id.startsWith('note:')) notes = notes.map((n) => (`note:${n.id}` === c.id ? { ...n, ...pos } : n));
        else if (!c.id.startsWith(GROUP_PREFIX)) positions[c.id] = pos;
      }
      return { ...p, layout: { ...p.layout, positions, notes } };
    });
  }, [flow]);

  // Dragged past the pane's edge, a node auto-pans the view on every frame; the viewport then goes on
  // a compositor layer of its own (styles.css, [data-auto-pan]), so a step moves that layer instead
  // of repainting every card and edge. Only once the view moves: within the view a drag is cheaper
  // without the extra layer. Set on the element directly, so no React render is needed.
  const nodeDrag = useRef(false);
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (nodeDrag.current && s.transform !== prev.transform && wrapper.current && !('autoPan' in wrapper.current.dataset)) wrapper.current.dataset.autoPan = '';
      }),
    [store],
  );
  const onNodeDragStart = useCallback(() => void (nodeDrag.current = true), []);
  const onNodeDragStop = useCallback(() => {
    nodeDrag.current = false;
    delete wrapper.current?.dataset.autoPan;
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const doc = useDocStore.getState();
    const sel = new Set(doc.selectedEdges);
    let touched = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      touched = true;
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
    if (touched) doc.select(doc.selection, [...sel]);
  }, []);

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const s = useDocStore.getState();
    return !connectionProblem(s.catalog, s.pipeline, { node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const problem = connect({ node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' });
    if (problem) useUiStore.getState().toast(problem, 'error');
  }, []);

  const onConnectEnd = useCallback((_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (!state.toHandle || state.isValid !== false || !state.fromHandle) return;
    const s = useDocStore.getState();
    const [a, b] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
    if (a.type !== 'source' || b.type !== 'target') return useUiStore.getState().toast('Connect an output (right side) to an input (left side).', 'error');
    const problem = connectionProblem(s.catalog, s.pipeline, { node: a.nodeId, port: a.id ?? '' }, { node: b.nodeId, port: b.id ?? '' });
    if (problem) useUiStore.getState().toast(problem, 'error');
  }, []);

  const onDelete = useCallback(({ nodes: ns, edges: es }: { nodes: Node[]; edges: Edge[] }) => {
    const cardIds = ns.filter((n) => n.type === 'card').map((n) => n.id);
    const noteIds = ns.filter((n) => n.type === 'note').map((n) => n.id.slice('note:'.length));
    removeElements(cardIds, es.map((e) => e.id), noteIds);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      highlightEdgeAt({ x: e.clientX, y: e.clientY });
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      highlightEdgeAt(null);
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(type, { x: at.x - 110, y: at.y - 30 }, edgeAt(useDocStore.getState().pipeline, e.clientX, e.clientY));
    },
    [flow],
  );

  const onDoubleClick = useCallback(
    (e: React.MouseEvent) => {
      if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
      useUiStore.getState().openDialog({ kind: 'quick-insert', at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [flow],
  );

  return (
    <div className={`canvas canvas--zoom-${zoomLevel}`} ref={wrapper} onDragOver={onDragOver} onDragLeave={() => highlightEdgeAt(null)} onDrop={onDrop} onDoubleClick={onDoubleClick} onPointerMove={far.onPointerMove} onPointerLeave={far.onPointerLeave} onPointerDownCapture={box.onPointerDownCapture} data-testid="canvas" data-zoom-level={zoomLevel}>
      {farCards && <FarKeys ref={keys.element} count={pipeline.nodes.length} announce={keys.announce} onFocus={keys.onFocus} onBlur={keys.onBlur} onKeyDown={keys.onKeyDown} />}
      <ZoomLevelContext.Provider value={zoomLevel}>
        <ReactFlow
          nodes={far.shown}
          edges={flatEdges ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onDelete={onDelete}
          deleteKeyCode={DELETE_KEYS}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          selectionKeyCode="Shift"
          zoomOnDoubleClick={false}
          colorMode={theme}
          minZoom={MIN_ZOOM}
          maxZoom={2}
          snapToGrid
          snapGrid={SNAP_GRID}
          // Cards and edges out of view leave the DOM: a 1,000-node pipeline fitted at the minimum
          // zoom shows about 600, and zoomed in a few dozen, so style, layout, paint and hit testing
          // scale with what is on screen. xyflow renders a node it has not measured, in view or not,
          // unless the node declares its size and handles (card-geometry.ts nominalCard), as cards do.
          onlyRenderVisibleElements
        >
          {dotted && <Background gap={20} size={1} />}
          {flatEdges && <FlatEdges edges={edges} />}
          {farCards && <FarCards cards={far.drawn} />}
          {keys.ring && <FarFocusRing node={keys.ring} />}
          <OverviewMap pipeline={pipeline} catalog={catalog} />
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton className="react-flow__controls-fitview" onClick={() => fitAll(flow)} title="Fit View" aria-label="Fit View">
              <Icon name="fit" size={12} />
            </ControlButton>
          </Controls>
          <Panel position="top-left" className="canvas-tools">
            <button
              className="button"
              onClick={() => {
                const r = wrapper.current?.getBoundingClientRect();
                addNote(r ? flow.screenToFlowPosition({ x: r.left + r.width / 2 - 100, y: r.top + 40 }) : { x: 0, y: 0 });
              }}
              title="Add a sticky note (N)"
              data-testid="btn-note"
            >
              + Note
            </button>
            <button className="button" onClick={() => groupSelection()} disabled={selection.length < 1} title="Group the selected nodes (Ctrl+G)" data-testid="btn-group-canvas">
              Group
            </button>
          </Panel>
        </ReactFlow>
      </ZoomLevelContext.Provider>
      {pipeline.nodes.length === 0 && (
        <div className="canvas__empty" data-testid="canvas-empty">
          <p>Drag a node from the palette, double-click the canvas, or press <kbd>/</kbd> to add one.</p>
        </div>
      )}
    </div>
  );
}

// Below this zoom the grid's dots are under a quarter pixel wide, i.e. invisible, yet the pattern
// would still be repainted and re-rastered on every frame of a pan.
const dotsVisible = (s: { transform: [number, number, number] }) => s.transform[2] >= 0.25;
