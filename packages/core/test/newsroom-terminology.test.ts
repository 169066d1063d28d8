import t from 'tap';
import { withPlatform, withTenant, type Tenant } from '@yiduan/db';
import {
  createRule,
  deleteRule,
  isDomainError,
  publishIfDue,
  publishStory,
  rulesFor,
  setRuleEnabled,
  submitForReview,
  SYSTEM_ACTOR,
  type DomainError,
  type RuleInput,
} from '../src/index.js';
import { as, codeOf, failure, newStory, newsroom, ownerStory, para, review, type World } from './newsroom-fixture.js';

const addRule = (w: World, tenant: Pick<Tenant, 'id'>, input: RuleInput) =>
  withTenant(w.db, tenant.id, (trx) => createRule(trx, SYSTEM_ACTOR, tenant.id, input));

async function rules(w: World) {
  return {
    province: await addRule(w, w.province, {
      pattern: '台湾总统',
      kind: 'literal',
      severity: 'block',
      replacement: '台湾地区领导人',
      note: '应称“台湾地区领导人”',
    }),
    provinceWarn: await addRule(w, w.province, {
      pattern: '做为',
      kind: 'literal',
      severity: 'warn',
      replacement: '作为',
    }),
    city: await addRule(w, w.city, { pattern: '洛阳内部通报', kind: 'literal', severity: 'block', note: '市级禁用' }),
    county: await addRule(w, w.A, { pattern: '汝阳内部资料', kind: 'literal', severity: 'block', note: '县级禁用' }),
  };
}

const submitA = (w: World, id: string) =>
  as(w, w.staff.reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, id));
const submitB = (w: World, id: string) =>
  as(w, w.staff.editorB, w.B, (trx, access, actor) => submitForReview(trx, access, actor, id));

t.test(
  "a province block rule applies to a county's story: submission refused, naming the block and the match",
  async (t) => {
    const w = await newsroom(t);
    await rules(w);
    const { story } = await newStory(w, w.staff.reporter, w.A, {
      body: [para('会议在汝阳召开。'), para('据外媒报道，所谓台湾总统发表讲话。')],
    });
    const err = (await failure(submitA(w, story.id))) as DomainError;
    t.ok(isDomainError(err), 'a domain error');
    t.equal(err.code, 'TERMINOLOGY_BLOCKED');
    t.match(err.message, /台湾总统/);
    t.equal(err.problems.length, 1);
    t.equal(err.problems[0]!.path, 'body[1].text', 'names the block');
    t.match(err.problems[0]!.message, /「台湾总统」/, 'names the match');
    t.match(err.problems[0]!.message, /台湾地区领导人/, 'and the note');
    t.match(await ownerStory(w, story.id), { status: 'draft', review_step: null }, 'still a draft');
    t.same(
      await w.owner.selectFrom('review_events').select('id').where('story_id', '=', story.id).execute(),
      [],
      'no submit recorded',
    );

    const titled = await newStory(w, w.staff.editorB, w.B, {
      title: '台湾总统一词的规范',
      body: [para('正文'), { type: 'list', ordered: false, items: ['一', '洛阳内部通报'] }],
    });
    const e2 = (await failure(submitB(w, titled.story.id))) as DomainError;
    t.equal(e2.code, 'TERMINOLOGY_BLOCKED', 'the sibling county inherits the province and city rules too');
    t.same(
      e2.problems.map((p) => p.path),
      ['title', 'body[1].items[1]'],
    );
  },
);

t.test('a warn rule does not block', async (t) => {
  const w = await newsroom(t);
  await rules(w);
  const { story } = await newStory(w, w.staff.reporter, w.A, { body: [para('他做为代表发言。')] });
  t.match(await submitA(w, story.id), { status: 'in_review' });
});

t.test("a county's own rule applies to it and not to its sibling; a city's rule applies to its counties", async (t) => {
  const w = await newsroom(t);
  const r = await rules(w);
  const a = await newStory(w, w.staff.reporter, w.A, { body: [para('这是汝阳内部资料，请勿外传。')] });
  t.equal(await codeOf(submitA(w, a.story.id)), 'TERMINOLOGY_BLOCKED', "A's rule blocks A");
  const b = await newStory(w, w.staff.editorB, w.B, { body: [para('这是汝阳内部资料，请勿外传。')] });
  t.equal(await codeOf(submitB(w, b.story.id)), 'OK', "A's rule does not apply to B");
  const c = await newStory(w, w.staff.editorB, w.B, { body: [para('洛阳内部通报称')] });
  t.equal(await codeOf(submitB(w, c.story.id)), 'TERMINOLOGY_BLOCKED', "the city's rule applies to B");

  const ids = async (tenant: Tenant) =>
    (await withTenant(w.db, tenant.id, (trx) => rulesFor(trx, tenant.id))).map((x) => x.id).sort();
  t.same(await ids(w.A), [r.province.id, r.provinceWarn.id, r.city.id, r.county.id].sort());
  t.same(await ids(w.B), [r.province.id, r.provinceWarn.id, r.city.id].sort());
  t.same(await ids(w.far), [r.province.id, r.provinceWarn.id].sort(), "another city's county gets only the province's");
});

t.test(
  "row-level security: a county reads its ancestors' rules, not its sibling's, and changes only its own",
  async (t) => {
    const w = await newsroom(t);
    const r = await rules(w);
    const visible = (tenant: Tenant) =>
      withTenant(w.db, tenant.id, async (trx) =>
        (await trx.selectFrom('terminology_rules').select('id').execute()).map((x) => x.id).sort(),
      );
    t.same(await visible(w.B), [r.province.id, r.provinceWarn.id, r.city.id].sort(), "B: province and city, not A's");
    t.same(await visible(w.A), [r.province.id, r.provinceWarn.id, r.city.id, r.county.id].sort());
    t.same(
      await visible(w.province),
      [r.province.id, r.provinceWarn.id].sort(),
      'the province does not read county rules',
    );

    t.equal(
      await codeOf(withTenant(w.db, w.B.id, (trx) => setRuleEnabled(trx, SYSTEM_ACTOR, w.A.id, r.county.id, false))),
      'RULE_NOT_FOUND',
      "B disables A's rule",
    );
    t.equal(
      await codeOf(
        withTenant(w.db, w.B.id, (trx) => setRuleEnabled(trx, SYSTEM_ACTOR, w.province.id, r.province.id, false)),
      ),
      'RULE_NOT_FOUND',
      "B disables the province's rule",
    );
    t.equal(
      await codeOf(withTenant(w.db, w.B.id, (trx) => deleteRule(trx, SYSTEM_ACTOR, w.province.id, r.province.id))),
      'RULE_NOT_FOUND',
      "B deletes the province's rule",
    );
    t.equal(
      await codeOf(withTenant(w.db, w.B.id, (trx) => setRuleEnabled(trx, SYSTEM_ACTOR, w.B.id, r.province.id, false))),
      'RULE_NOT_FOUND',
      'passing its own tenant id does not help',
    );
    const stored = await w.owner.selectFrom('terminology_rules').select(['id', 'enabled']).orderBy('id').execute();
    t.equal(stored.length, 4, 'nothing deleted');
    t.ok(
      stored.every((x) => x.enabled),
      'nothing disabled',
    );
    const raw = await withTenant(w.db, w.B.id, (trx) =>
      trx
        .updateTable('terminology_rules')
        .set({ enabled: false })
        .where('id', 'in', [r.province.id, r.city.id])
        .executeTakeFirst(),
    );
    t.equal(Number(raw.numUpdatedRows), 0, 'a raw update from B touches no ancestor row although B can read them');
  },
);

t.test('a rule added after approval blocks publishing; disabling it lets the story through', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A, {
    body: [para('市长会见了来访的客人。'), para('双方就杜康文化交流达成共识。')],
  });
  await review(w, w.A, story.id, reporter, [editor, reviewer, chief]);
  const rule = await addRule(w, w.province, {
    pattern: '杜康文化交流',
    kind: 'literal',
    severity: 'block',
    note: '新近禁用',
  });
  const publish = () => as(w, editor, w.A, (trx, access, actor) => publishStory(trx, access, actor, story.id));
  const err = (await failure(publish())) as DomainError;
  t.equal(err?.code, 'TERMINOLOGY_BLOCKED');
  t.same(
    err.problems.map((p) => p.path),
    ['body[1].text'],
  );
  t.match(await ownerStory(w, story.id), { status: 'approved', published_revision: null });

  await withTenant(w.db, w.province.id, (trx) => setRuleEnabled(trx, SYSTEM_ACTOR, w.province.id, rule.id, false));
  t.match(await publish(), { status: 'published' }, 'disabled: the cached checker is rebuilt');
  await withTenant(w.db, w.province.id, (trx) => setRuleEnabled(trx, SYSTEM_ACTOR, w.province.id, rule.id, true));
  const again = await newStory(w, reporter, w.A, { body: [para('杜康文化交流')] });
  t.equal(await codeOf(submitA(w, again.story.id)), 'TERMINOLOGY_BLOCKED', 're-enabled: blocks again');
});

t.test('a rule added while a story is scheduled keeps it from going live', async (t) => {
  const w = await newsroom(t);
  const { reporter, editor, reviewer, chief } = w.staff;
  const { story } = await newStory(w, reporter, w.A, { body: [para('双方就杜康文化交流达成共识。')] });
  await review(w, w.A, story.id, reporter, [editor, reviewer, chief]);
  await as(w, editor, w.A, (trx, access, actor) =>
    publishStory(trx, access, actor, story.id, new Date(Date.now() + 3600_000)),
  );
  await addRule(w, w.province, { pattern: '杜康文化交流', kind: 'literal', severity: 'block' });
  await w.owner
    .updateTable('stories')
    .set({ scheduled_at: new Date(Date.now() - 1000) })
    .where('id', '=', story.id)
    .execute();
  // publishStory re-checks terminology "because rules may have changed since review"; the scheduled path should too
  await failure(withPlatform(w.db, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, story.id, 1)));
  const after = await ownerStory(w, story.id);
  t.equal(after.published_revision, null, 'a blocked wording is not published by the scheduler');
});

t.test('an unsafe or empty pattern is refused and nothing is written', async (t) => {
  const w = await newsroom(t);
  const before = async () => ({
    rules: (await w.owner.selectFrom('terminology_rules').select('id').execute()).length,
    audit: (await w.owner.selectFrom('audit_log').select('id').where('action', '=', 'terminology.create').execute())
      .length,
  });
  const start = await before();
  for (const [label, input] of [
    ['nested quantifier', { pattern: '(a+)+$', kind: 'regex', severity: 'block' }],
    ['quantified alternation', { pattern: '(台|台湾)*总统', kind: 'regex', severity: 'block' }],
    ['syntax error', { pattern: '([a-z', kind: 'regex', severity: 'warn' }],
    ['backreference', { pattern: '(领导)\\1', kind: 'regex', severity: 'warn' }],
    ['matches empty', { pattern: 'x*', kind: 'regex', severity: 'warn' }],
    ['blank', { pattern: '   ', kind: 'literal', severity: 'block' }],
    ['too long', { pattern: '长'.repeat(201), kind: 'literal', severity: 'block' }],
  ] as const) {
    t.equal(await codeOf(addRule(w, w.province, input)), 'RULE_PATTERN_INVALID', label);
  }
  t.equal(
    await codeOf(addRule(w, w.province, { pattern: 'x', kind: 'glob' as 'regex', severity: 'block' })),
    'BAD_USER_INPUT',
    'unknown kind',
  );
  t.same(await before(), start, 'no rule and no audit row written');
  const ok = await addRule(w, w.province, {
    pattern: '(\\d{4}年\\d{1,2}月\\d{1,2})号',
    kind: 'regex',
    severity: 'warn',
    replacement: '$1日',
  });
  t.equal(ok.kind, 'regex', 'a safe regex is accepted');
  t.same(await before(), { rules: start.rules + 1, audit: start.audit + 1 });
});
