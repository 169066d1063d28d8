export * from './tree.js';
export * from './seed.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR_ORG, demoAccountsMarkdown, type DemoAccount } from './staff.js';
export { DEMO_SECTIONS, PROVINCE_RULES } from './newsroom.js';
// for the province generator (packages/generator): the same text, at scale
export { HERS, HIS, SURNAMES } from './content/common.js';
export { GENERAL_TEMPLATES, UNIT_TEMPLATES, type DraftBlock, type StoryDraft, type Template } from './content/index.js';
export { PLACES, type DemoUnit, type Place, type UnitTopic } from './places.js';
export { rng, seasonOf, type Rng } from './text.js';
export { DEMO_CITIZEN } from './audience.js';
export { DEMO_GOV_ACCOUNTS, EXPIRED_OPERATOR } from './accounts.js';
