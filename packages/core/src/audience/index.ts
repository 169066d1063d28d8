export * from './model.js';
export * from './agreement-texts.js';
export * from './events.js';
export * from './errors.js';
export * from './limits.js';
export * from './service/index.js';
