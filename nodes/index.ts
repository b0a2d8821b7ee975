/**
 * Every stage node Flowline ships. The composition roots (CLI, web host, Electron main) hand this
 * list to the compiler and executor; core/ never imports it. Keep one import per line, grouped by
 * the part of the catalog it belongs to.
 */
import type { AnyNodeSpec } from '../core/spec/index.ts';

// -- sources, table operations, profile, writers (foundation + data prep) --

// -- feature engineering / cleaning recipe steps --

// -- learners, evaluation, tuning --

export const NODES: AnyNodeSpec[] = [
  // -- sources, table operations, profile, writers --
  // -- feature engineering / cleaning recipe steps --
  // -- learners, evaluation, tuning --
];
