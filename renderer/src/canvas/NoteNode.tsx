import { memo, useEffect, useState } from 'react';
import { NodeResizer, type Node, type NodeProps } from '@xyflow/react';
import { updateNote } from '../store/commands.ts';

export type NoteNode = Node<{ noteId: string; text: string; color?: string }, 'note'>;

/** Sticky-note comment; text commits on blur (one history entry per edit). */
function NoteNodeImpl({ data, selected }: NodeProps<NoteNode>) {
  const [text, setText] = useState(data.text);
  useEffect(() => setText(data.text), [data.text]);
  return (
    <div className="note" data-testid={`note-${data.noteId}`} style={data.color ? { background: data.color } : undefined}>
      <NodeResizer
        isVisible={selected}
        minWidth={120}
        minHeight={60}
        onResizeEnd={(_, p) => updateNote(data.noteId, { width: Math.round(p.width), height: Math.round(p.height), x: Math.round(p.x), y: Math.round(p.y) }, 'Resize note')}
      />
      <textarea
        className="note__text nodrag nowheel"
        aria-label="Note"
        placeholder="Write a note…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== data.text && updateNote(data.noteId, { text })}
        onKeyDown={(e) => e.stopPropagation()}
      />
    </div>
  );
}

export const NoteCard = memo(NoteNodeImpl);
