/** SQL of the analytics context: plain functions, an executor first, rows in and rows out. */
export * from './figures.js';
export * from './most-read.js';
export * from './partitions.js';
export * from './rollup.js';
export * as rankingRepo from './ranking.js';
export * as dormancyRepo from './dormancy.js';
export * from './videos.js';
