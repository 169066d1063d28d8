// Terminology: the wording checker (规范表述). model.ts, service.ts (the checker and corrections),
// errors.ts, and the pure matchers aho-corasick.ts and regex.ts. No repo.ts: the rules are stored
// by the newsroom (newsroom/terminology-rules.ts) and passed in; no events.ts: it emits none.
export * from './model.js';
export * from './errors.js';
export * from './aho-corasick.js';
export * from './regex.js';
export * from './service.js';
