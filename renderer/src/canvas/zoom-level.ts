import { createContext } from 'react';

/**
 * Semantic zoom, in steps so the canvas re-renders only when a step changes, never per zoom frame:
 * below 'near', a card's 11–13 px text would be under 10 px on screen, so it shows its title alone,
 * larger the farther out (styles.css, .canvas--zoom-*). At 'farther' the card also renders fewer
 * elements (NodeCard): hundreds of cards are in view there.
 */
export type ZoomLevel = 'near' | 'mid' | 'far' | 'farther';
export const zoomLevelOf = (s: { transform: [number, number, number] }): ZoomLevel => {
  const z = s.transform[2];
  return z >= 0.8 ? 'near' : z >= 0.5 ? 'mid' : z >= 0.35 ? 'far' : 'farther';
};

/** The canvas' zoom step, for the cards (a context: a step change re-renders them, a pan frame does not). */
export const ZoomLevelContext = createContext<ZoomLevel>('near');
