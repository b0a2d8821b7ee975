/**
 * Fairness, before anything runs: a warning on a model-fitting node when a column that looks like
 * a protected attribute (sex, gender, race, ethnicity, religion, age, disability, marital status,
 * nationality) is among its features (docs/lifecycle.md, "Fairness"). A warning, not an error:
 * the analyst may have a lawful reason, and may want the column to measure fairness in Evaluate.
 */
import { isEmptySelection, resolveColumns, type ColumnSelection } from '../spec/columns.ts';
import type { ErrorInfo } from '../spec/errors.ts';
import type { KnownTable } from '../spec/known-columns.ts';
import { protectedAttributeOf } from '../spec/protected-attributes.ts';
import { ROW_ID } from '../spec/values.ts';

export { PROTECTED_ATTRIBUTES, protectedAttributeOf } from '../spec/protected-attributes.ts';

/**
 * Warnings for a node that fits on `table` with `params.features` (empty = every column but the
 * target): one per feature column that looks protected. Nothing when the columns are not known.
 */
export function protectedFeatureIssues(nodeId: string, params: Record<string, unknown>, table: KnownTable | undefined): ErrorInfo[] {
  if (!table) return [];
  const target = typeof params.target === 'string' ? params.target : undefined;
  const selection = params.features as ColumnSelection | undefined;
  const features = selection && !isEmptySelection(selection) ? resolveColumns(selection, table.columns) : table.columns.map((c) => c.name).filter((n) => n !== target && n !== ROW_ID);
  return features.flatMap((column) => {
    const attribute = protectedAttributeOf(column);
    if (!attribute) return [];
    return [
      {
        code: 'PROTECTED_ATTRIBUTE' as const,
        nodeId,
        column,
        message: `Feature "${column}" looks like a protected attribute (${attribute}): a model that uses it may treat people differently because of it.`,
        hint: `Leave "${column}" out of the features (an explicit features list), or keep it only as Evaluate's group column to measure fairness.`,
      },
    ];
  });
}
