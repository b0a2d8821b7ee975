/**
 * The model card's written fields as export-node params: declared once here, spread into the
 * params of Export ONNX and Export Docker, so both validate, show in the inspector and take
 * --set alike. They are saved in the pipeline file with the node.
 */
import { z } from 'zod';
import type { CardText } from '../../spec/model-card.ts';

export const cardParams = {
  intended_use: z
    .string()
    .max(20_000)
    .default('')
    .meta({ description: 'Model card: what the model is for, who uses it and on which rows (written into the card beside the export)', ui: { widget: 'textarea' } }),
  limitations: z
    .string()
    .max(20_000)
    .default('')
    .meta({ description: 'Model card: where it should not be used, known weaknesses, rows it was never trained on', ui: { widget: 'textarea' } }),
};

export function cardText(params: { intended_use: string; limitations: string }): CardText {
  return { intendedUse: params.intended_use, limitations: params.limitations };
}
