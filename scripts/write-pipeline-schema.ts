// Writes docs/pipeline.schema.json from the zod schema of the pipeline file (npm run schema).
import { mkdirSync, writeFileSync } from 'node:fs';
import { pipelineJsonSchema } from '../core/schema/index.ts';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/pipeline.schema.json', import.meta.url), `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
console.log('wrote docs/pipeline.schema.json');
