/**
 * The bundle's OpenAPI 3.1 document, generated from the champion's input schema: a client
 * generator or an API gateway gets the exact record shape (types, categories, nullability,
 * extra-field policy) and every route's answers, errors included.
 */
import type { InputColumn, Manifest, ServedModel } from './server/manifest.ts';

type Schema = Record<string, unknown>;

function columnSchema(c: InputColumn, unknownCategory: 'accept' | 'reject'): Schema {
  const base: Schema =
    c.kind === 'string'
      ? { type: 'string', ...(c.categories && unknownCategory === 'reject' ? { enum: c.categories } : {}), ...(c.categories ? { examples: c.categories.slice(0, 3) } : {}) }
      : c.kind === 'boolean'
        ? { type: 'boolean' }
        : c.kind === 'date'
          ? { type: 'string', format: 'date-time', description: 'ISO 8601 date or timestamp; without an offset, UTC' }
        : { type: 'number', ...(c.kind === 'integer' ? { description: 'whole number' } : {}) };
  if (!c.nullable) return base;
  if (base.enum) return { ...base, type: ['string', 'null'], enum: [...(base.enum as string[]), null] };
  return { ...base, type: [base.type as string, 'null'] };
}

function predictionSchema(model: ServedModel): Schema {
  if (model.classes) return typeof model.classes[0] === 'number' ? { type: 'number', enum: model.classes } : { type: 'string', enum: model.classes.map(String) };
  return { type: 'number' };
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const ERRORS = {
  '400': error('Malformed request: invalid JSON, wrong shape, empty batch.'),
  '408': error('The body did not arrive within the body time limit.'),
  '413': error('Body or row count over the limit.'),
  '415': error('Unsupported Content-Type.'),
  '422': error('Values that do not fit the input schema; names the field and the row.'),
  '503': error('Not ready yet, or scoring took longer than the request time limit.'),
};

export function openApiDocument(manifest: Manifest): Schema {
  const model = manifest.models[0];
  const policy = manifest.validation;
  const classes = model.classes?.map(String);
  const record: Schema = {
    type: 'object',
    description: `One row: the raw columns the model reads.${policy.extraFields === 'reject' ? ' Other fields are rejected.' : ' Other fields are ignored.'}`,
    properties: Object.fromEntries(model.inputs.map((c) => [c.name, columnSchema(c, policy.unknownCategory)])),
    required: model.inputs.map((c) => c.name),
    additionalProperties: policy.extraFields === 'ignore',
  };
  const probabilities: Schema = classes
    ? { type: 'object', description: 'Probability of each class.', properties: Object.fromEntries(classes.map((c) => [c, { type: 'number', minimum: 0, maximum: 1 }])) }
    : { type: 'object' };
  const rowAnswer: Schema = { type: 'object', properties: { prediction: { $ref: '#/components/schemas/Prediction' }, ...(classes ? { probabilities } : {}) }, required: ['prediction'] };
  const tensor: Schema = {
    type: 'object',
    properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, parameters: { type: 'object' }, data: { type: 'array' } },
    required: ['name', 'shape', 'datatype', 'data'],
  };
  const json = (schema: Schema, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });
  const scoring = (summary: string, request: Record<string, unknown>, ok: Schema) => ({
    post: {
      summary,
      parameters: [{ name: 'x-flowline-model', in: 'header', required: false, schema: { type: 'string', enum: manifest.models.map((m) => m.name) }, description: 'Ask for one model by name, past the champion/challenger routing.' }],
      requestBody: { required: true, content: request },
      responses: { '200': { description: 'Predictions', content: json(ok) }, ...ERRORS },
    },
  });
  const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
  const status = { type: 'object' } as Schema;
  return {
    openapi: '3.1.0',
    info: {
      title: `${model.name} (Flowline model server)`,
      version: model.version,
      description: `Scores ${model.task} predictions${model.target ? ` of "${model.target}"` : ''} with ${model.learner}. Also speaks the Open Inference Protocol v2 and MLflow's /invocations.`,
    },
    servers: [{ url: 'http://localhost:8080' }],
    paths: {
      '/predict': scoring(
        'Score one record or a list of records',
        json({ oneOf: [{ $ref: '#/components/schemas/Record' }, { type: 'array', items: { $ref: '#/components/schemas/Record' }, minItems: 1, maxItems: policy.maxRows }] }, model.warmup),
        { oneOf: [{ allOf: [rowAnswer, { $ref: '#/components/schemas/ModelId' }] }, { allOf: [{ type: 'object', properties: { predictions: { type: 'array', items: rowAnswer } }, required: ['predictions'] }, { $ref: '#/components/schemas/ModelId' }] }] },
      ),
      '/invocations': scoring(
        'MLflow / SageMaker scoring',
        {
          ...json({
            type: 'object',
            description: 'Exactly one of dataframe_split, dataframe_records, instances, inputs.',
            properties: {
              dataframe_split: { type: 'object', properties: { columns: { type: 'array', items: { type: 'string' } }, data: { type: 'array', items: { type: 'array' } } }, required: ['columns', 'data'] },
              dataframe_records: { type: 'array', items: { $ref: '#/components/schemas/Record' } },
              instances: { type: 'array' },
              inputs: { oneOf: [{ type: 'array' }, { type: 'object' }] },
            },
            minProperties: 1,
            maxProperties: 2,
          }),
          'text/csv': { schema: { type: 'string', description: 'A header row of column names, then one line per row.' } },
        },
        { type: 'object', properties: { predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' } } }, required: ['predictions'] },
      ),
      '/v2/models/{model_name}/infer': {
        parameters: [{ name: 'model_name', in: 'path', required: true, schema: { type: 'string', enum: manifest.models.map((m) => m.name) } }],
        ...scoring(
          'Open Inference Protocol v2 inference: one input per column (content_type "pd"), or one [N, k] tensor',
          json({ type: 'object', properties: { id: { type: 'string' }, parameters: { type: 'object' }, inputs: { type: 'array', items: tensor, minItems: 1 }, outputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } }, required: ['inputs'] }),
          { type: 'object', properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, outputs: { type: 'array', items: tensor } }, required: ['model_name', 'outputs'] },
        ),
      },
      '/v2/models/{model_name}': {
        parameters: [{ name: 'model_name', in: 'path', required: true, schema: { type: 'string' } }],
        get: { summary: 'Model metadata (inputs, outputs, versions)', responses: { '200': { description: 'Metadata', content: json(status) }, '404': error('No such model.') } },
      },
      '/v2/health/live': { get: { summary: 'Liveness', responses: { '200': { description: 'Alive', content: json(status) } } } },
      '/v2/health/ready': { get: { summary: 'Readiness (after the warm-up inference)', responses: { '200': { description: 'Ready', content: json(status) }, '503': { description: 'Loading or stopping', content: json(status) } } } },
      '/ping': { get: { summary: 'SageMaker / MLflow health', responses: { '200': { description: 'Ready', content: json(status) }, '503': { description: 'Loading', content: json(status) } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': text('Prometheus text format 0.0.4') } } },
    },
    components: {
      schemas: {
        Record: record,
        Prediction: { ...predictionSchema(model), description: model.classes ? 'Predicted class' : 'Predicted value' },
        ModelId: { type: 'object', properties: { model: { type: 'string' }, model_version: { type: 'string' } }, required: ['model', 'model_version'] },
        Error: {
          type: 'object',
          properties: {
            error: { type: 'string', description: 'What is wrong, in words.' },
            code: { type: 'string' },
            field: { type: 'string' },
            row: { type: 'integer' },
            issues: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' }, row: { type: 'integer' } } } },
          },
          required: ['error'],
        },
      },
    },
  };
}
