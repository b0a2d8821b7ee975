/**
 * The window's size and position, remembered between sessions (userData/window-state.json). A
 * saved position is used only while it still lies on a display (a monitor may have been
 * unplugged since); a damaged or foreign file is ignored, never fatal.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 960, height: 600 };
const FILE = 'window-state.json';

const isRect = (r: unknown): r is Rect => !!r && typeof r === 'object' && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((r as Record<string, unknown>)[k]));

/** How many pixels of the title bar must be on a display for the saved position to be kept. */
const GRAB = 64;

/**
 * The bounds to open the window with: the saved ones when sane and (at least its top-left part)
 * on one of `displays` (work areas); the saved size alone when off-screen; else the default size.
 */
export function restoreWindowState(stateDir: string, displays: Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(join(stateDir, FILE), 'utf8'));
  } catch {
    return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  }
  const bounds = (saved as { bounds?: unknown })?.bounds;
  if (!isRect(bounds)) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const width = Math.max(MIN_SIZE.width, Math.round(bounds.width));
  const height = Math.max(MIN_SIZE.height, Math.round(bounds.height));
  const maximized = (saved as { maximized?: unknown }).maximized === true;
  const onScreen = displays.some((d) => bounds.x + GRAB <= d.x + d.width && bounds.x + width - GRAB >= d.x && bounds.y >= d.y && bounds.y + GRAB <= d.y + d.height);
  return { bounds: onScreen ? { x: Math.round(bounds.x), y: Math.round(bounds.y), width, height } : { width, height }, maximized };
}

/** Write the state whole (temp file, then rename): a crash mid-write leaves the old one. */
export function saveWindowState(stateDir: string, state: WindowState): void {
  const path = join(stateDir, FILE);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(state)}\n`);
    renameSync(temp, path);
  } catch {
    // a read-only profile: the window opens at its default size next time
  }
}
