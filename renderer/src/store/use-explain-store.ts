/** Which explained row the Explain panel shows (set from Evaluate's worst-predicted rows). */
import { create } from 'zustand';

interface ExplainState {
  /** The Explain node, the row id (ROW_ID) its waterfall should show, and the class (e.g. the row's actual one). */
  focus: { nodeId: string; row: number; output?: string } | null;
  focusRow(nodeId: string, row: number, output?: string): void;
}

export const useExplainStore = create<ExplainState>()((set) => ({
  focus: null,
  focusRow: (nodeId, row, output) => set({ focus: { nodeId, row, output } }),
}));
