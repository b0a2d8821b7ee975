import type { Category } from '../../../core/spec/define-node.ts';
import type { PortType } from '../../../core/spec/values.ts';

/** One hue per palette category, in pipeline order; CSS reads them as --cat-<Category>. */
export const CATEGORY_COLOR: Record<Category, string> = {
  Sources: '#2f7fd8', Clean: '#1f9d8b', Features: '#3aa14a', Split: '#8a6fd1', Train: '#d9822b',
  Tune: '#c4572f', Evaluate: '#c23f7a', Explain: '#8c5bb5', Export: '#6b7785', Utility: '#8a8f98',
};

export const PORT_COLOR: Record<PortType, string> = {
  table: '#2f7fd8', model: '#d9822b', metrics: '#c23f7a', explanation: '#8c5bb5', artifact: '#6b7785',
};

/** How a port type reads in a sentence: "A model output cannot feed a table input". */
export const PORT_NOUN: Record<PortType, string> = {
  table: 'table', model: 'model', metrics: 'metrics', explanation: 'explanation', artifact: 'artifact',
};
