export { generate, GENERATED_PASSWORD, type GenerateOptions, type GenerateResult } from './generate.js';
export { verify, type VerifyReport } from './verify.js';
export { CITY_NAMES, COUNTY_FIRST, COUNTY_SECOND, provinceTree, type GenTenant } from './province.js';
export { progress, fmtDuration, type Progress } from './progress.js';
export { copyRows, copyText, line, arrayLiteral, type Cell } from './copy.js';
