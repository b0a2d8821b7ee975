import { memo, useState } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { renameGroup, ungroup } from '../store/commands.ts';
import { Icon } from '../ui/Icon.tsx';

export type GroupNode = Node<{ groupId: string; title: string; color?: string }, 'group-box'>;

/** A labelled frame drawn behind the nodes of a group (layout.groups); drag its head to move them all. */
function GroupBoxImpl({ data }: NodeProps<GroupNode>) {
  const [editing, setEditing] = useState(false);
  return (
    <div className="group-box" data-testid={`group-${data.groupId}`} style={data.color ? { borderColor: data.color } : undefined}>
      <div className="group-box__head">
        {editing ? (
          <input
            className="nodrag"
            autoFocus
            defaultValue={data.title}
            aria-label="Group title"
            onBlur={(e) => {
              setEditing(false);
              if (e.target.value !== data.title) renameGroup(data.groupId, e.target.value);
            }}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter' || e.key === 'Escape') (e.target as HTMLInputElement).blur();
            }}
          />
        ) : (
          <button className="group-box__title" onDoubleClick={() => setEditing(true)} onKeyDown={(e) => e.key === 'F2' && setEditing(true)} title="Double-click or F2 to rename">
            {data.title}
          </button>
        )}
        <button className="icon-button nodrag" onClick={() => ungroup(data.groupId)} title="Ungroup" aria-label={`Ungroup ${data.title}`}>
          <Icon name="close" />
        </button>
      </div>
    </div>
  );
}

export const GroupBox = memo(GroupBoxImpl);
