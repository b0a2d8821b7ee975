/**
 * A Triton model repository (`triton/<name>/config.pbtxt` + `triton/<name>/1/model.onnx`) so
 * Triton, or KServe's `modelFormat: onnx` (which runs Triton), serves the ONNX model with no
 * Flowline code. Inputs are [N, 1] per column: with max_batch_size > 0 Triton's dims leave out
 * the batch dimension, so each input is dims [1].
 */
import type { ServedModel } from './server/manifest.ts';

const TRITON_TYPES: Record<string, string> = { FP64: 'TYPE_FP64', FP32: 'TYPE_FP32', INT64: 'TYPE_INT64', INT32: 'TYPE_INT32', BOOL: 'TYPE_BOOL', BYTES: 'TYPE_STRING' };

export function tritonConfig(model: ServedModel, maxBatch: number): string {
  const input = model.inputs
    .map((c) => `  {\n    name: ${JSON.stringify(c.name)}\n    data_type: ${c.onnxType === 'string' ? 'TYPE_STRING' : 'TYPE_FP64'}\n    dims: [ 1 ]\n  }`)
    .join(',\n');
  const output = model.outputs
    .map((o) => {
      const dims = o.shape.slice(1);
      return `  {\n    name: ${JSON.stringify(o.name)}\n    data_type: ${TRITON_TYPES[o.datatype] ?? `TYPE_${o.datatype}`}\n    dims: [ ${dims.length ? dims.join(', ') : '1'} ]${dims.length ? '' : '\n    reshape: { shape: [ ] }'}\n  }`;
    })
    .join(',\n');
  return `# Triton model configuration for ${model.name} (version ${model.version}), written by Flowline.
name: ${JSON.stringify(tritonName(model.name))}
platform: "onnxruntime_onnx"
max_batch_size: ${maxBatch}
input [
${input}
]
output [
${output}
]
dynamic_batching {
  max_queue_delay_microseconds: 100
}
`;
}

/** Triton model names are folder names. */
export function tritonName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}
