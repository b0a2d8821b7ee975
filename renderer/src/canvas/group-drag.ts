/**
 * Dragging a group's frame moves its member nodes. The frame is drawn from the members'
 * positions (to-flow.ts), so what moves is the members: each keeps its offset from the frame.
 */
import type { Node, NodeChange } from '@xyflow/react';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import { GROUP_PREFIX } from './to-flow.ts';

type PositionChange = Extract<NodeChange, { type: 'position' }>;

/** `changes` plus, for every move of a group frame, the same move of each of its members. */
export function withGroupMembers(changes: NodeChange[], groups: Pipeline['layout']['groups'], nodeById: (id: string) => Node | undefined): NodeChange[] {
  const frames = changes.filter((c): c is PositionChange => c.type === 'position' && c.id.startsWith(GROUP_PREFIX) && !!c.position);
  if (!frames.length) return changes;
  const own = new Set(changes.filter((c) => c.type === 'position').map((c) => c.id));
  const out = [...changes];
  for (const c of frames) {
    const group = groups.find((g) => `${GROUP_PREFIX}${g.id}` === c.id);
    const frame = nodeById(c.id);
    if (!group || !frame) continue;
    for (const id of group.nodes) {
      const member = nodeById(id);
      if (!member || own.has(id)) continue;
      own.add(id);
      const position = { x: c.position!.x + member.position.x - frame.position.x, y: c.position!.y + member.position.y - frame.position.y };
      out.push({ id, type: 'position', position, dragging: c.dragging });
    }
  }
  return out;
}
