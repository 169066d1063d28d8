import { BENDI } from './bendi.js';
import { MINSHENG } from './minsheng.js';
import { CITY_SIGNATURES } from './signature-cities.js';
import { COUNTY_SIGNATURES } from './signature-counties.js';
import type { Template } from './types.js';
import { WENLV } from './wenlv.js';
import { ZHENGWU } from './zhengwu.js';

export * from './types.js';
export { UNIT_TEMPLATES } from './units.js';

/** Templates any place may use, filtered by level, farmland and season. */
export const GENERAL_TEMPLATES: readonly Template[] = [...BENDI, ...ZHENGWU, ...MINSHENG, ...WENLV];

/** Each place's own stories, by tenant slug. */
export const SIGNATURES: Record<string, readonly Template[]> = { ...COUNTY_SIGNATURES, ...CITY_SIGNATURES };
