export * from './database.js';
export * from './demo.js';
export * from './graphql.js';
export * from './services.js';
export * from './staff.js';
export { seedDemo, DEMO_TREE } from '@yiduan/demo';
export * from './failure.js';
