import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../core/schema/index.ts';
import { pipelineResults } from '../../support/pipeline-results.ts';

/**
 * Pipeline files written by an earlier Flowline (file version 1: the two gallery templates as they
 * shipped, and one file with every kind of random node) must give the numbers they gave then, bit
 * for bit. The expected figures were computed by that earlier build and are pinned here — except
 * seattle-rain's, re-pinned when Train stopped using the date column its Select Columns drops
 * (test/nodes/prep-to-train.node.test.ts), and five log_loss figures of histogram gradient
 * boosting models, re-pinned when its gradients became float32 as scikit-learn's are (they moved
 * by at most 4e-7; every label, probability rank and other metric is unchanged).
 */
const dir = new URL('../../fixtures/pipelines-v1/', import.meta.url).pathname;
const pinned = JSON.parse(readFileSync(join(dir, 'metrics-before-seed-params.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const files = readdirSync(dir).filter((f) => f.endsWith('.flow.json')).sort();

describe('older pipeline files', () => {
  it('every pinned file is here', () => {
    expect(files).toEqual(Object.keys(pinned).sort());
  });

  for (const file of files) {
    it(`${file} gives the metrics and predictions it gave when it was written`, async () => {
      const pipeline = parsePipeline(readFileSync(join(dir, file), 'utf8'), file);
      expect(await pipelineResults(pipeline, dir)).toEqual(pinned[file]);
    });
  }
});
