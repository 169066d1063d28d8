export * from './errors.js';
export * from './probe.js';
export { sniffFormat } from './structure.js';
export * from './assets.js';
export * from './samples.js';
export * from './variants.js';
