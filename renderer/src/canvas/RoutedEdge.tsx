/**
 * An edge Tidy routed (layout.routes): drawn along ELK's lanes with rounded corners, so an edge
 * that skips a layer passes between the cards instead of behind them. Only while both its nodes
 * stand where Tidy put them — during a drag too — else the ordinary curve.
 */
import { memo } from 'react';
import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import type { EdgeRoute } from '../../../core/schema/pipeline.ts';
import { roundedPath, routeThrough } from '../lib/elk-layout.ts';

type RoutedData = { type: string; route?: EdgeRoute };

const at = (p: { x: number; y: number } | undefined, q: { x: number; y: number }) => !!p && Math.abs(p.x - q.x) < 0.5 && Math.abs(p.y - q.y) < 0.5;

export const RoutedEdge = memo(function RoutedEdge(props: EdgeProps) {
  const { source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, interactionWidth } = props;
  const route = (props.data as RoutedData | undefined)?.route;
  // A boolean per edge: re-renders when a node arrives at or leaves its tidied place, not per frame.
  const inPlace = useStore((s) => !!route && at(s.nodeLookup.get(source)?.position, route.from) && at(s.nodeLookup.get(target)?.position, route.to));
  const path = inPlace && route
    ? roundedPath(routeThrough({ x: sourceX, y: sourceY }, route.points, { x: targetX, y: targetY }))
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })[0];
  return <BaseEdge path={path} style={style} markerEnd={markerEnd} interactionWidth={interactionWidth} />;
});
