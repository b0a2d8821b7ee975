/**
 * The model bench/serve.ts serves: a bundle written by writeBundle, with onnxruntime-node linked
 * in as `npm ci` would install it.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tinyBundle, tinyRows } from '../../test/support/serving.ts';

const REPO = resolve(import.meta.dirname, '../..');

export async function benchModel(): Promise<{ dir: string; rows: Record<string, unknown>[]; description: string }> {
  const { dir } = await tinyBundle();
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules', 'onnxruntime-node'), join(dir, 'node_modules', 'onnxruntime-node'), 'dir');
  return { dir, rows: tinyRows(100), description: 'logistic model on 3 raw columns, hand-built ONNX' };
}
