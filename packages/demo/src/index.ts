export * from './tree.js';
export * from './seed.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR_ORG, demoAccountsMarkdown, type DemoAccount } from './staff.js';
export { DEMO_SECTIONS, PROVINCE_RULES } from './newsroom.js';
