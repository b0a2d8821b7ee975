/** Studio chrome state: theme, panels, dialogs, toasts, validation results. */
import { create } from 'zustand';
import type { Diagnostic, SchemaMap } from '../../../core/host/api.ts';

/** A registered bottom tab's id (panels/bottom-tabs.ts): 'preview', 'results', 'log', 'runs'... */
export type BottomTab = string;
export type Dialog =
  | { kind: 'open' }
  | { kind: 'save-as'; then?: (saved: boolean) => void }
  | { kind: 'unsaved'; action: string; resolve: (ok: boolean) => void }
  | { kind: 'examples' }
  | { kind: 'node-help'; type: string }
  | { kind: 'help' }
  | { kind: 'connections'; nodeId?: string }
  | { kind: 'trust'; effects: string[]; then: () => void }
  | { kind: 'quick-insert'; at: { x: number; y: number } }
  | { kind: 'export'; nodeId: string; format?: 'onnx' | 'docker' }
  | { kind: 'report' }
  /** A self-contained HTML file the host wrote (a run report, a model card), shown in a sandboxed frame. */
  | { kind: 'html'; title: string; file: string; html: string }
  | null;

/** Widths of the side panels and height of the bottom one, in CSS pixels. */
export interface PanelSizes {
  palette: number;
  inspector: number;
  dock: number;
}

/** Bounds of each panel; `grows`: whether dragging right/down makes it bigger ('after') or smaller. */
export const PANEL_LIMITS: Record<keyof PanelSizes, { initial: number; min: number; max: number; axis: 'x' | 'y'; grows: 'after' | 'before' }> = {
  palette: { initial: 220, min: 160, max: 480, axis: 'x', grows: 'after' },
  inspector: { initial: 300, min: 240, max: 720, axis: 'x', grows: 'before' },
  dock: { initial: 250, min: 90, max: 800, axis: 'y', grows: 'before' },
};

const SIZES_KEY = 'flowline.panelSizes';

function storedSizes(): PanelSizes {
  const sizes = Object.fromEntries(Object.entries(PANEL_LIMITS).map(([k, v]) => [k, v.initial])) as unknown as PanelSizes;
  try {
    const saved = JSON.parse(localStorage.getItem(SIZES_KEY) ?? '{}') as Partial<PanelSizes>;
    for (const k of Object.keys(sizes) as (keyof PanelSizes)[]) {
      const v = saved[k];
      if (typeof v === 'number' && Number.isFinite(v)) sizes[k] = Math.min(PANEL_LIMITS[k].max, Math.max(PANEL_LIMITS[k].min, v));
    }
  } catch {
    // nothing stored, or storage unavailable: the defaults
  }
  return sizes;
}

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
}

interface UiState {
  theme: 'light' | 'dark';
  screen: 'start' | 'editor';
  view: 'canvas' | 'json';
  bottomTab: BottomTab;
  dialog: Dialog;
  toasts: Toast[];
  diagnostics: Diagnostic[];
  schemas: SchemaMap;
  /** The host's working folder: where file pickers start when nothing better is known. */
  cwd: string;
  /** Which file dialogs the host offers: the OS's own (desktop) or the studio's file browser. */
  fileDialogs: 'native' | 'in-app';
  panelSizes: PanelSizes;
  setPanelSize(panel: keyof PanelSizes, px: number): void;
  setTheme(theme: 'light' | 'dark'): void;
  setScreen(screen: 'start' | 'editor'): void;
  setView(view: 'canvas' | 'json'): void;
  setBottomTab(tab: BottomTab): void;
  openDialog(dialog: Dialog): void;
  toast(message: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
  setValidation(diagnostics: Diagnostic[], schemas: SchemaMap): void;
}

let toastSeq = 0;

const storedTheme = (): 'light' | 'dark' => {
  try {
    const t = localStorage.getItem('flowline.theme');
    if (t === 'light' || t === 'dark') return t;
  } catch {
    // storage unavailable: fall through
  }
  return matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
};

export const useUiStore = create<UiState>()((set) => ({
  theme: storedTheme(),
  screen: 'start',
  view: 'canvas',
  bottomTab: 'preview',
  dialog: null,
  toasts: [],
  diagnostics: [],
  schemas: {},
  cwd: '',
  fileDialogs: 'in-app',
  panelSizes: storedSizes(),
  setPanelSize: (panel, px) =>
    set((s) => {
      const panelSizes = { ...s.panelSizes, [panel]: px };
      try {
        localStorage.setItem(SIZES_KEY, JSON.stringify(panelSizes));
      } catch {
        // not remembered; fine
      }
      return { panelSizes };
    }),
  setTheme: (theme) => {
    try {
      localStorage.setItem('flowline.theme', theme);
    } catch {
      // not persisted; fine
    }
    set({ theme });
  },
  setScreen: (screen) => set({ screen }),
  setView: (view) => set({ view }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  openDialog: (dialog) => set({ dialog }),
  toast: (message, tone = 'info') => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, message, tone }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), tone === 'error' ? 6000 : 3500);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setValidation: (diagnostics, schemas) => set({ diagnostics, schemas }),
}));
