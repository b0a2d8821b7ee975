/**
 * Every stage node Flowline ships. The composition roots (CLI, web host, Electron main) hand this
 * list to the compiler and executor; core/ never imports it. Keep one import per line, grouped by
 * the part of the catalog it belongs to.
 */
import type { AnyNodeSpec } from '../core/spec/index.ts';

// -- sources, table operations, profile, writers (foundation + data prep) --
import { loadCsvNode } from './load-csv.node.ts';
import { loadParquetNode } from './load-parquet.node.ts';
import { loadJsonNode } from './load-json.node.ts';
import { loadExcelNode } from './load-excel.node.ts';
import { loadPostgresNode } from './load-postgres.node.ts';
import { selectColumnsNode } from './select-columns.node.ts';
import { renameColumnsNode } from './rename-columns.node.ts';
import { filterRowsNode } from './filter-rows.node.ts';
import { removeDuplicatesNode } from './remove-duplicates.node.ts';
import { joinTablesNode } from './join-tables.node.ts';
import { unionTablesNode } from './union-tables.node.ts';
import { sampleRowsNode } from './sample-rows.node.ts';
import { runSqlNode } from './run-sql.node.ts';
import { profileTableNode } from './profile-table.node.ts';
import { splitTrainTestNode } from './split-train-test.node.ts';
import { writeCsvNode } from './write-csv.node.ts';
import { writeParquetNode } from './write-parquet.node.ts';

// -- feature engineering / cleaning recipe steps --
import { imputeMissingNode } from './impute-missing.node.ts';
import { removeOutliersNode } from './remove-outliers.node.ts';
import { castTypesNode } from './cast-types.node.ts';
import { discretizeNode } from './discretize.node.ts';
import { datePartsNode } from './date-parts.node.ts';
import { splitTextNode } from './split-text.node.ts';
import { textFeaturesNode } from './text-features.node.ts';
import { transformValuesNode } from './transform-values.node.ts';
import { scaleFeaturesNode } from './scale-features.node.ts';
import { encodeCategoriesNode } from './encode-categories.node.ts';
import { formulaColumnNode } from './formula-column.node.ts';
import { groupAggregatesNode } from './group-aggregates.node.ts';
import { addLagFeaturesNode } from './add-lag-features.node.ts';
import { reducePcaNode } from './reduce-pca.node.ts';
import { selectFeaturesNode } from './select-features.node.ts';
import { runCodeNode } from './run-code.node.ts';

// -- learners, evaluation, tuning --
import { trainNode } from './train-model.node.ts';
import { predictNode } from './predict.node.ts';
import { evaluateNode } from './evaluate-model.node.ts';
import { crossValidateNode } from './cross-validate.node.ts';
import { tuneNode } from './tune-model.node.ts';
import { compareNode } from './compare-models.node.ts';

// -- explanations --
import { explainNode } from './explain-model.node.ts';

// -- monitoring --
import { detectDriftNode } from './detect-drift.node.ts';

// -- export --
import { exportOnnxNode } from './export-onnx.node.ts';
import { exportDockerNode } from './export-docker.node.ts';
import { writeReportNode } from './write-report.node.ts';

export const NODES: AnyNodeSpec[] = [
  // -- sources, table operations, profile, writers --
  loadCsvNode,
  loadParquetNode,
  loadJsonNode,
  loadExcelNode,
  loadPostgresNode,
  selectColumnsNode,
  renameColumnsNode,
  filterRowsNode,
  removeDuplicatesNode,
  joinTablesNode,
  unionTablesNode,
  sampleRowsNode,
  runSqlNode,
  profileTableNode,
  splitTrainTestNode,
  writeCsvNode,
  writeParquetNode,
  // -- feature engineering / cleaning recipe steps --
  imputeMissingNode,
  removeOutliersNode,
  castTypesNode,
  discretizeNode,
  datePartsNode,
  splitTextNode,
  textFeaturesNode,
  transformValuesNode,
  scaleFeaturesNode,
  encodeCategoriesNode,
  formulaColumnNode,
  groupAggregatesNode,
  addLagFeaturesNode,
  reducePcaNode,
  selectFeaturesNode,
  runCodeNode,
  // -- learners, evaluation, tuning --
  trainNode,
  predictNode,
  evaluateNode,
  crossValidateNode,
  tuneNode,
  compareNode,
  // -- explanations --
  explainNode,
  // -- monitoring --
  detectDriftNode,
  // -- export --
  exportOnnxNode,
  exportDockerNode,
  writeReportNode,
];
