/**
 * An edge Tidy routed (layout.routes): drawn along ELK's lanes with rounded corners, so an edge
 * that skips a layer passes between the cards instead of behind them. Only while both its nodes
 * stand where Tidy put them — during a drag too — else the ordinary curve.
 */
import { memo } from 'react';
import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { routeHolds, type EdgeRoute } from '../../../core/schema/pipeline.ts';
import { roundedPath, routeThrough } from '../../../core/schema/route-path.ts';

type RoutedData = { type: string; route?: EdgeRoute };

export const RoutedEdge = memo(function RoutedEdge(props: EdgeProps) {
  const { source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, interactionWidth } = props;
  const route = (props.data as RoutedData | undefined)?.route;
  // A boolean per edge: re-renders when a node arrives at or leaves its tidied place, not per frame.
  const inPlace = useStore((s) => !!route && routeHolds(route, s.nodeLookup.get(source)?.position, s.nodeLookup.get(target)?.position));
  const path = inPlace && route
    ? roundedPath(routeThrough({ x: sourceX, y: sourceY }, route.points, { x: targetX, y: targetY }))
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })[0];
  return <BaseEdge path={path} style={style} markerEnd={markerEnd} interactionWidth={interactionWidth} />;
});
