/**
 * Which column names look like a protected attribute (sex, gender, race, ethnicity, religion, age,
 * disability, marital status, nationality): the one detector behind the validation warning
 * (core/compile/protected-attributes.ts) and the registry's "no protected attributes" gate.
 */

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
