import t from 'tap';
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { generate, generateStoryFields, GENERATED, STORY_FIELDS } from '../codegen.js';
import { loadSdl } from '../index.js';

t.test('the SDL builds', async (t) => {
  const schema = buildSchema(loadSdl());
  t.ok(schema.getQueryType()?.getFields().tenantTree);
  t.ok(schema.getMutationType()?.getFields().createTenant);
});

t.test('the committed TypeScript types match the SDL (run `pnpm codegen` when this fails)', async (t) => {
  t.equal(readFileSync(GENERATED, 'utf8'), await generate());
});

t.test(
  "the console's story fields match the newsroom's declaration (run `pnpm codegen` when this fails)",
  async (t) => {
    t.equal(readFileSync(STORY_FIELDS, 'utf8'), generateStoryFields());
  },
);
