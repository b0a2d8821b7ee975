/**
 * ONNX export of a fitted model (recipe + estimator) as one verified graph. The contract — inputs,
 * outputs, metadata — is docs/onnx-export.md; ExportedModelInfo is its type.
 */
export { exportOnnx, ExportVerificationError, type ExportOptions, type ExportResult } from './export.ts';
export { checkExportable, neededSteps, type ExportProvenance } from './build.ts';
export { MODEL_INFO_KEY, MODEL_INFO_FORMAT, MODEL_INFO_VERSION, type ExportedModelInfo, type ExportedInput, type ExportedOutput } from './model-info.ts';
export { TARGETS, type TargetName, type ExportTarget } from './target.ts';
export { feedsFor, UNSEEN_CATEGORY, type VerificationReport } from './verify.ts';
