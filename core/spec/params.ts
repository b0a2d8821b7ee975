/**
 * A node's params schema, and the few things every consumer (compile, `--set`, the catalog's JSON
 * Schema, the executor) asks of it. Most nodes take one zod object. A node whose params depend on a
 * choice — Train's `learner` decides what `learner_params` may hold — takes a *choice*: one strict
 * object per value of the key, all sharing the node's other params (a zod discriminated union), so
 * every learner's settings are checked, defaulted and documented before anything runs.
 */
import { z } from 'zod';

/** One object, or a choice of objects on one key (see paramsChoice). */
export type ParamsSchema = z.ZodObject | z.ZodDiscriminatedUnion<z.ZodObject[]>;

export interface ChoiceOption<S extends z.ZodRawShape = z.ZodRawShape> {
  /** The key's value selecting this option, e.g. "knn". */
  value: string;
  /** Shown in the inspector's select and as the JSON Schema title, e.g. "k nearest neighbours". */
  title: string;
  /** Params only this option has (besides the shared ones), e.g. { learner_params: knnParams }. */
  shape: S;
  /** Extra facts for the form and docs (e.g. the tasks a learner does), kept in the JSON Schema. */
  meta?: Record<string, unknown>;
}

interface ChoiceInfo {
  key: string;
  /** The option a file that leaves the key out gets. */
  defaultValue: string;
  description: string;
  options: ChoiceOption[];
}

const CHOICES = new WeakMap<object, ChoiceInfo>();

/**
 * Params that depend on one key: `shared` params plus, per option, the key as a literal and the
 * option's own params. The key may be left out of a file (it then takes `defaultValue`). Every
 * option is strict, so an unknown param is an error naming its path.
 *
 * The static type says what every option has in common: pass `common` as the shape each option's
 * own params fit (e.g. learner_params: a record), so a node's `run` reads them generically.
 */
export function paramsChoice<Key extends string, Shared extends z.ZodRawShape, Common extends z.ZodRawShape>(spec: {
  key: Key;
  description: string;
  defaultValue: string;
  shared: Shared;
  options: ChoiceOption[];
  common?: Common;
}): z.ZodDiscriminatedUnion<[z.ZodObject<Shared & { [P in Key]: z.ZodString } & Common, z.core.$strict>]> {
  if (!spec.options.some((o) => o.value === spec.defaultValue)) throw new Error(`paramsChoice: default "${spec.defaultValue}" is not an option`);
  const objects = spec.options.map((o) =>
    z.strictObject({ ...spec.shared, [spec.key]: z.literal(o.value), ...o.shape }).meta({ title: o.title, ...o.meta }),
  );
  const union = z.discriminatedUnion(spec.key, objects as [z.ZodObject, ...z.ZodObject[]]);
  CHOICES.set(union, { key: spec.key, defaultValue: spec.defaultValue, description: spec.description, options: spec.options });
  return union as never;
}

/** The choice behind a params schema, if it is one. */
export function paramsChoiceOf(schema: ParamsSchema): Readonly<ChoiceInfo> | undefined {
  return CHOICES.get(schema);
}

function optionsOf(schema: ParamsSchema): z.ZodObject[] {
  return schema instanceof z.ZodObject ? [schema] : (schema.options as z.ZodObject[]);
}

/** Raw params with the choice key filled in when a file leaves it out. */
function withChoiceDefault(schema: ParamsSchema, raw: Record<string, unknown>): Record<string, unknown> {
  const choice = paramsChoiceOf(schema);
  return choice && raw[choice.key] === undefined ? { ...raw, [choice.key]: choice.defaultValue } : raw;
}

/**
 * The object schema that applies to `raw`: the node's params, or the option its key selects
 * (the default option when the key is absent); undefined for a key naming no option.
 */
export function paramsObjectFor(schema: ParamsSchema, raw: Record<string, unknown> = {}): z.ZodObject | undefined {
  const choice = paramsChoiceOf(schema);
  if (!choice) return schema as z.ZodObject;
  const value = withChoiceDefault(schema, raw)[choice.key];
  const i = choice.options.findIndex((o) => o.value === value);
  return i < 0 ? undefined : optionsOf(schema)[i];
}

/** Every param name the schema knows (for a choice: the shared ones and every option's own). */
export function paramNames(schema: ParamsSchema): string[] {
  return [...new Set(optionsOf(schema).flatMap((o) => Object.keys(o.shape)))];
}

/** Parse params strictly (unknown names are errors), filling defaults and the choice key. */
export function parseParams(schema: ParamsSchema, raw: Record<string, unknown>): z.ZodSafeParseResult<Record<string, unknown>> {
  const strict = schema instanceof z.ZodObject ? schema.strict() : schema;
  return strict.safeParse(withChoiceDefault(schema, raw)) as z.ZodSafeParseResult<Record<string, unknown>>;
}

/** The params a node dropped on the canvas starts with (required ones left out). */
export function defaultParams(schema: ParamsSchema): Record<string, unknown> {
  const whole = parseParams(schema, {});
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(paramsObjectFor(schema)!.shape as Record<string, z.ZodType>)) {
    const one = s.safeParse(undefined);
    if (one.success && one.data !== undefined) out[name] = one.data;
  }
  return withChoiceDefault(schema, out);
}

type Json = Record<string, unknown>;

/**
 * JSON Schema of the params (what the inspector form and `flowline nodes --json` read). A choice
 * reads as an ordinary object — the shared params and the key (an enum with its default) under
 * `properties` — plus `oneOf`, one entry per option giving the key's `const`, its title and the
 * option's own params, and `discriminator: { propertyName }` (OpenAPI's spelling) naming the key.
 */
export function paramsJsonSchema(schema: ParamsSchema): Json {
  const toJson = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  const choice = paramsChoiceOf(schema);
  if (!choice) return toJson(schema);
  const options = optionsOf(schema).map((o) => toJson(o));
  const first = options[0];
  const own = new Set(choice.options.flatMap((o) => Object.keys(o.shape)));
  const sharedProps: Json = {};
  for (const [name, s] of Object.entries(first.properties as Json)) if (!own.has(name) && name !== choice.key) sharedProps[name] = s;
  const keyProp = { type: 'string', enum: choice.options.map((o) => o.value), default: choice.defaultValue, description: choice.description };
  const ownProps = (props: Json) => Object.fromEntries(Object.entries(props).filter(([name]) => own.has(name)));
  return {
    $schema: first.$schema,
    type: 'object',
    properties: { ...sharedProps, [choice.key]: keyProp, ...Object.fromEntries([...own].map((name) => [name, { type: 'object', description: `Depends on ${choice.key}: see oneOf.` }])) },
    required: ((first.required as string[] | undefined) ?? []).filter((r) => r !== choice.key && !own.has(r)),
    additionalProperties: false,
    discriminator: { propertyName: choice.key },
    oneOf: options.map((o, i) => {
      const { $schema: _s, type: _t, properties, required, additionalProperties: _a, ...meta } = o;
      return {
        ...meta,
        properties: { [choice.key]: { const: choice.options[i].value }, ...ownProps(properties as Json) },
        required: [choice.key, ...((required as string[] | undefined) ?? []).filter((r) => own.has(r))],
      };
    }),
  };
}
