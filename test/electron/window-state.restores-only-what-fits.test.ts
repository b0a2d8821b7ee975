/** The remembered window bounds (electron/main/window-state.ts), read back on the next start. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, restoreWindowState, saveWindowState } from '../../electron/main/window-state.ts';

const laptop = [{ x: 0, y: 0, width: 1920, height: 1080 }];
const dir = () => mkdtempSync(join(tmpdir(), 'flowline-window-'));

describe('remembered window bounds', () => {
  it('come back as saved, maximised included', () => {
    const d = dir();
    saveWindowState(d, { bounds: { x: 100, y: 80, width: 1300, height: 850 }, maximized: true });
    expect(restoreWindowState(d, laptop)).toEqual({ bounds: { x: 100, y: 80, width: 1300, height: 850 }, maximized: true });
  });

  it('keep their size but not a position on a display that is gone', () => {
    const d = dir();
    saveWindowState(d, { bounds: { x: 2500, y: 100, width: 1200, height: 800 }, maximized: false }); // was on a second monitor
    expect(restoreWindowState(d, laptop)).toEqual({ bounds: { width: 1200, height: 800 }, maximized: false });
  });

  it('never open smaller than the minimum, and a damaged or missing file gives the default size', () => {
    const d = dir();
    saveWindowState(d, { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false });
    expect(restoreWindowState(d, laptop).bounds).toEqual({ x: 10, y: 10, ...MIN_SIZE });
    writeFileSync(join(d, 'window-state.json'), '{"bounds": {"x": "left"');
    expect(restoreWindowState(d, laptop)).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
    expect(restoreWindowState(dir(), laptop)).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });
});
