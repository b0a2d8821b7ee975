/**
 * Gates (docs/lifecycle.md, "Gates"): conditions a model must meet before it may be promoted to
 * production in the model registry, or exported as production. Declared in the pipeline file, so
 * the policy travels with the pipeline and is reviewed like the rest of it.
 */
import { z } from 'zod';
export type { GateResult } from '../spec/gate-result.ts';

const name = z.string().min(1).optional().meta({ description: 'What the gate is called in refusals and the audit log; default: the condition itself.' });

export const MetricGate = z
  .object({
    kind: z.literal('metric'),
    name,
    metric: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*\.[^.\s]+$/, 'a metric is "<node id>.<metric>", e.g. evaluate.roc_auc')
      .meta({ description: '"<node id>.<metric>": a metric of a node with a metrics output (Evaluate), as in the metrics of `flowline run --json`.' }),
    op: z.enum(['>=', '>', '<=', '<']).meta({ description: 'How the measured value compares with `value` for the gate to pass.' }),
    value: z.number().meta({ description: 'The bound.' }),
  })
  .strict();

export const ProtectedAttributesGate = z
  .object({
    kind: z.literal('no_protected_attributes'),
    name,
    allow: z.array(z.string()).optional().meta({ description: 'Columns accepted anyway (a lawful, documented reason).' }),
  })
  .strict()
  .meta({ description: 'No column the model reads (raw or after its feature steps) looks like a protected attribute.' });

export const DriftGate = z
  .object({
    kind: z.literal('drift'),
    name,
    psi: z.number().min(0).optional().meta({ description: 'PSI at or above this is drift (default 0.2).' }),
    ks: z.number().min(0).optional().meta({ description: 'Kolmogorov–Smirnov D at or above this is drift, numbers (default 0.2).' }),
    js: z.number().min(0).optional().meta({ description: 'Jensen–Shannon distance at or above this is drift, categories (default 0.2).' }),
    missing: z.number().min(0).optional().meta({ description: 'A change in the missing-value rate at or above this is drift (default 0.1).' }),
  })
  .strict()
  .meta({ description: "The model's training rows against the current production model's training reference: no column (nor the prediction distribution) drifts. Passes when there is no production model." });

export const Gate = z.discriminatedUnion('kind', [MetricGate, ProtectedAttributesGate, DriftGate]);
export type Gate = z.infer<typeof Gate>;
export type MetricGate = z.infer<typeof MetricGate>;
export type DriftGate = z.infer<typeof DriftGate>;

/** The gate's name as refusals and the audit log show it. */
export function gateName(gate: Gate): string {
  if (gate.name) return gate.name;
  if (gate.kind === 'metric') return `${gate.metric} ${gate.op} ${gate.value}`;
  if (gate.kind === 'no_protected_attributes') return 'no protected attributes';
  return 'drift';
}

