/**
 * The yardstick of bench/studio.ts: bare @xyflow/react with the same nodes, positions and edges as
 * the studio benchmark's pipeline, in a pane of the same size, with what React Flow's own stress
 * example renders (controlled nodes and edges in React state, Controls, Background) plus the
 * MiniMap the studio shows. Default nodes of a card's size stand in for the cards. No Flowline
 * code: what xyflow itself costs at this size on this machine.
 *
 * The benchmark serves this page with /graph.json ({ nodes, edges, width, height }) and presses
 * "load", as it presses Open in the studio.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  applyEdgeChanges, applyNodeChanges, Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useReactFlow,
  type Edge, type EdgeChange, type Node, type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';

interface Graph {
  nodes: { id: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
  width: number;
  height: number;
}

const NODE_STYLE = { width: 220, height: 110 };

function Yardstick({ graph }: { graph: Graph }) {
  const [nodes, setNodes] = useState<Node[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const onNodesChange = useCallback((c: NodeChange[]) => setNodes((ns) => applyNodeChanges(c, ns)), []);
  const onEdgesChange = useCallback((c: EdgeChange[]) => setEdges((es) => applyEdgeChanges(c, es)), []);
  const load = () => {
    setNodes(graph.nodes.map((n) => ({ id: n.id, position: { x: n.x, y: n.y }, data: { label: n.id }, style: NODE_STYLE })));
    setEdges(graph.edges.map((e, i) => ({ id: `e${i}`, source: e.source, target: e.target })));
  };
  // Fit once the loaded nodes are measured, as the studio fits an opened document.
  const flow = useReactFlow();
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!initialized || fitted.current || !nodes.length) return;
    fitted.current = true;
    void flow.fitView({ padding: 0.2, maxZoom: 1 });
  }, [initialized, nodes.length, flow]);
  return (
    <>
      <button data-testid="load" onClick={load} style={{ position: 'absolute', zIndex: 10 }}>
        load
      </button>
      <div style={{ width: graph.width, height: graph.height }}>
        <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} minZoom={0.1} maxZoom={2}>
          <Background />
          <MiniMap />
          <Controls />
        </ReactFlow>
      </div>
    </>
  );
}

void fetch('./graph.json')
  .then((r) => r.json())
  .then((graph: Graph) =>
    createRoot(document.getElementById('root')!).render(
      <ReactFlowProvider>
        <Yardstick graph={graph} />
      </ReactFlowProvider>,
    ),
  );
