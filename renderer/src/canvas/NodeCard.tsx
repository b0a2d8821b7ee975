import { memo, useContext } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { CatalogNode } from '../../../core/host/api.ts';
import type { PipelineNode } from '../../../core/schema/pipeline.ts';
import { CATEGORY_COLOR, PORT_COLOR } from '../lib/colors.ts';
import { StatusStrip } from './StatusStrip.tsx';
import { ZoomLevelContext } from './zoom-level.ts';

export interface CardData extends Record<string, unknown> {
  node: PipelineNode;
  spec: CatalogNode | undefined;
  summary: string;
  problem: string | undefined;
}

export type CardNode = Node<CardData, 'card'>;

/** A stage node on the canvas: category colour, title, param summary, typed ports, status. */
function NodeCardImpl({ id, data, selected }: NodeProps<CardNode>) {
  const { node, spec, summary, problem } = data;
  const colour = spec ? CATEGORY_COLOR[spec.category] : '#999';
  const inputs = spec?.inputs ?? [];
  const outputs = spec?.outputs ?? [];
  const rows = Math.max(inputs.length, outputs.length);
  // Zoomed far out the card shows only its title, large (styles.css): it leaves out the elements
  // it would hide (head, port labels), as hundreds of cards are in view. Same size, same handles.
  const light = useContext(ZoomLevelContext) === 'farther';
  return (
    <div
      className={`card${light ? ' card--light' : ''}${selected ? ' card--selected' : ''}${node.disabled ? ' card--disabled' : ''}${spec ? '' : ' card--unknown'}`}
      style={{ ['--cat' as string]: colour }}
      data-testid={`node-${id}`}
      // Zoomed out, the card shows only this, large (styles.css, semantic zoom): no extra element per card.
      data-title={node.title ?? spec?.title ?? node.type}
      title={spec?.description}
    >
      {light ? (
        <div className="card__head card__head--light">
          {problem && <span className="card__problem" title={problem} data-testid={`node-problem-${id}`} aria-label={problem} />}
        </div>
      ) : (
        <div className="card__head">
          <span className="card__title">{node.title ?? spec?.title ?? node.type}</span>
          <span className="card__id">{id}</span>
          {problem && (
            <span className="card__problem" title={problem} data-testid={`node-problem-${id}`} aria-label={problem}>
              !
            </span>
          )}
        </div>
      )}
      <div className="card__summary" data-testid={`node-summary-${id}`}>
        {spec ? summary || '\u00a0' : `Unknown node type ${node.type}`}
      </div>
      <div className="card__ports">
        {Array.from({ length: rows }, (_, i) => {
          const inp = inputs[i];
          const out = outputs[i];
          return (
            <div key={i} className="card__row">
              {inp && (
                <>
                  <Handle
                    type="target"
                    position={Position.Left}
                    id={inp.name}
                    className={`handle handle--${inp.type}`}
                    style={{ background: PORT_COLOR[inp.type] }}
                    data-testid={`handle-${id}-in-${inp.name}`}
                    title={`${inp.label} (${inp.type}${inp.multiple ? ', several' : ''})`}
                  />
                  {!light && <span className="card__port card__port--in">{inp.label}</span>}
                </>
              )}
              {out && (
                <>
                  {!light && <span className="card__port card__port--out">{out.label}</span>}
                  <Handle
                    type="source"
                    position={Position.Right}
                    id={out.name}
                    className={`handle handle--${out.type}`}
                    style={{ background: PORT_COLOR[out.type] }}
                    data-testid={`handle-${id}-out-${out.name}`}
                    title={`${out.label} (${out.type})`}
                  />
                </>
              )}
            </div>
          );
        })}
      </div>
      <StatusStrip id={id} />
    </div>
  );
}

// A card draws only its id, data and selection: while it is dragged xyflow passes a new position
// on every pointer move, which need not re-render the card's ports and handles.
export const NodeCard = memo(NodeCardImpl, (a, b) => a.id === b.id && a.data === b.data && a.selected === b.selected);
