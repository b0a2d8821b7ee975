/**
 * Fairness, before anything runs: a warning on a model-fitting node when a column that looks like
 * a protected attribute (sex, gender, race, ethnicity, religion, age, disability, marital status,
 * nationality) is among its features (docs/lifecycle.md, "Fairness"). A warning, not an error:
 * the analyst may have a lawful reason, and may want the column to measure fairness in Evaluate.
 */
import { isEmptySelection, resolveColumns, type ColumnSelection } from '../spec/columns.ts';
import type { ErrorInfo } from '../spec/errors.ts';
import type { KnownTable } from '../spec/known-columns.ts';
import { ROW_ID } from '../spec/values.ts';

/** Attribute → words that name it in a column name (matched as whole words: "age" not in "page"). */
export const PROTECTED_ATTRIBUTES: Record<string, string[]> = {
  sex: ['sex', 'gender'],
  race: ['race', 'racial'],
  ethnicity: ['ethnicity', 'ethnic'],
  religion: ['religion', 'religious', 'faith'],
  age: ['age', 'dob', 'birthdate', 'birth_date', 'date_of_birth', 'birthyear', 'birth_year'],
  disability: ['disability', 'disabled', 'handicap'],
  'marital status': ['marital', 'married', 'marital_status'],
  nationality: ['nationality', 'citizenship', 'national_origin'],
};

/** The protected attribute a column name looks like, or null. Words split at _ - . space and camelCase. */
export function protectedAttributeOf(column: string): string | null {
  const words = column
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('_');
  for (const [attribute, names] of Object.entries(PROTECTED_ATTRIBUTES)) {
    for (const name of names) {
      if (name.includes('_') ? `_${joined}_`.includes(`_${name}_`) : words.includes(name)) return attribute;
    }
  }
  return null;
}

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
