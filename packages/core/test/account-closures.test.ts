import t from 'tap';
import { sql } from 'kysely';
import { withPublic, withTenant, type DB, type Staff } from '@yiduan/db';
import { createDemoDatabase, failure } from '@yiduan/testkit';
import {
  accessFor,
  approveStep,
  closureRedirect,
  createGovAccount,
  decideGovAccountClosure,
  deregisterGovAccount,
  draftGovAccountClosureNotice,
  filingDueDay,
  filingOverdue,
  govAccountById,
  importGovAccountClosureContent,
  isGovClosureError,
  listGovAccountClosures,
  parseArchive,
  proposeGovAccountClosure,
  publishGovAccountClosureContent,
  publishGovAccountClosureNotice,
  recordGovAccountClosureFiling,
  retireGovAccount,
  sectionsOf,
  staffActor,
  storyFor,
  withdrawGovAccountClosure,
  type Access,
  type Actor,
} from '../src/index.js';

const reasonOf = (e: unknown): string | null =>
  isGovClosureError(e) ? e.reason : e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : null;

const RSS = (host: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>汝阳教育服务</title>
<item><title>2025年秋季学期开学须知</title><link>http://${host}/jiaoyu/2025/0825.html</link><pubDate>Mon, 25 Aug 2025 02:00:00 GMT</pubDate>
<description><![CDATA[<p>各位家长：</p><p>秋季学期将于9月1日开学。</p>]]></description></item>
<item><title>汝阳县义务教育招生政策解读</title><link>https://mp.weixin.qq.com/s/ry_jyfw_0612</link><pubDate>Thu, 12 Jun 2025 08:30:00 +0800</pubDate>
<description>招生政策&amp;问答</description></item>
</channel></rss>`;

t.test('archive files and the filing deadline, pure', async (t) => {
  // 注销 on Friday 2026-12-04 (Beijing): Monday and Tuesday are the two working days
  t.equal(filingDueDay(new Date('2026-12-04T10:00:00+08:00')), '2026-12-08');
  t.equal(filingDueDay(new Date('2026-12-07T10:00:00+08:00')), '2026-12-09', 'Monday: Wednesday');
  t.equal(filingDueDay(new Date('2026-12-05T23:30:00+08:00')), '2026-12-08', 'Saturday: Monday and Tuesday');
  t.equal(
    filingDueDay(new Date('2026-12-03T16:30:00Z')),
    '2026-12-08',
    'half past midnight on Friday in Beijing is Friday',
  );
  t.equal(filingOverdue('2026-12-08', null, '2026-12-08'), false, 'the due day itself is still in time');
  t.equal(filingOverdue('2026-12-08', null, '2026-12-09'), true);
  t.equal(filingOverdue('2026-12-08', new Date(), '2026-12-09'), false, 'filed: never overdue');

  const rss = parseArchive(RSS('ruyang.localhost'));
  t.equal(rss.length, 2);
  t.same(rss[0]!.paragraphs, ['各位家长：', '秋季学期将于9月1日开学。']);
  t.equal(rss[0]!.publishedAt.toISOString(), '2025-08-25T02:00:00.000Z', 'the original date');
  t.same(
    [rss[1]!.summary, rss[1]!.paragraphs],
    ['', ['招生政策&问答']],
    'a description that is the body is not repeated as the summary',
  );
  const atom = parseArchive(
    `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>通知</title><link rel="alternate" href="https://a.example/1"/><published>2025-01-02T03:04:05Z</published><content type="html">&lt;p&gt;正文&lt;/p&gt;</content></entry></feed>`,
  );
  t.same([atom[0]!.url, atom[0]!.paragraphs], ['https://a.example/1', ['正文']]);
  const json = parseArchive(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      items: [
        {
          title: '公告',
          url: 'https://a.example/2',
          date_published: '2025-03-01T00:00:00+08:00',
          content_text: '第一段\n第二段',
        },
      ],
    }),
  );
  t.same(json[0]!.paragraphs, ['第一段', '第二段']);
  const csv = parseArchive('标题,发布时间,原文链接,正文\n旧文,2024-05-06 09:30,https://a.example/3,内容\n');
  t.equal(csv[0]!.publishedAt.toISOString(), '2024-05-06T01:30:00.000Z', 'a spreadsheet time is Beijing time');
  for (const [bad, why] of [
    ['', /空/],
    ['<html><body>not a feed</body></html>', /不是 RSS/],
    ['{"items": [{"title": "无链接", "date_published": "2025-01-01"}]}', /第 1 条缺少原文链接/],
    ['标题,发布时间\n旧文,2024-05-06\n', /表头/],
    ['标题,发布时间,原文链接\n旧文,昨天,https://a.example/4\n', /第 2 行缺少发布时间/],
    ['标题,发布时间,原文链接\n旧文,2099-01-01,https://a.example/5\n', /晚于现在/],
    ['{"items": [', /JSON/],
  ] as const) {
    const e = await failure(Promise.resolve().then(() => parseArchive(bad)));
    t.equal(reasonOf(e), 'GOV_CLOSURE_IMPORT_MALFORMED', `malformed: ${bad.slice(0, 20)}`);
    t.match((e as Error).message, why);
  }
});

t.test('an account is closed through every step; isolation; bad input writes nothing', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const db: DB = tdb.db;
  const { tenants, staff } = tdb;
  const id = (slug: string) => tenants[slug]!.id;
  const ruyang = id('ruyang');
  const desk = async (login: string, tenantId: string): Promise<{ access: Access; actor: Actor }> => {
    const s: Staff = staff[login]!;
    return withTenant(db, tenantId, async (trx) => ({
      access: await accessFor(trx, s, tenantId),
      actor: staffActor(s),
    }));
  };
  const admin = await desk('ruyang-admin', ruyang);
  const chief = await desk('ruyang-chief', ruyang);
  const editor = await desk('ruyang-editor', ruyang);
  const reviewer = await desk('ruyang-reviewer', ruyang);
  const inRuyang = <T>(fn: (trx: Parameters<Parameters<typeof withTenant<T>>[2]>[0]) => Promise<T>) =>
    withTenant(db, ruyang, fn);
  const sections = await inRuyang((trx) => sectionsOf(trx, ruyang));
  const zhengwu = sections.find((s) => s.slug === 'zhengwu')!;

  const closing = await inRuyang((trx) =>
    createGovAccount(
      trx,
      admin.access,
      admin.actor,
      ruyang,
      { platform: 'wechat', name: '汝阳教育服务号', handle: 'ry_closure_test', sponsor: '汝阳县教育局' },
      { lastUpdatedAt: new Date(Date.now() - 200 * 86_400_000) },
    ),
  );
  const kept = await inRuyang((trx) =>
    createGovAccount(trx, admin.access, admin.actor, ruyang, {
      platform: 'wechat',
      name: '汝阳教育发布',
      handle: 'ry_kept_test',
      sponsor: '汝阳县教育局',
    }),
  );
  const yiAdmin = await desk('yichuan-admin', id('yichuan'));
  const foreign = await withTenant(db, id('yichuan'), (trx) =>
    createGovAccount(trx, yiAdmin.access, yiAdmin.actor, id('yichuan'), {
      platform: 'wechat',
      name: '伊川教育',
      handle: 'yc_closure_test',
      sponsor: '伊川县教育局',
    }),
  );
  // the demo province may hold closures of its own: count this account's
  const closures = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM gov_account_closures WHERE account_id = ${closing.id}`.execute(tdb.owner)
      ).rows[0]!.n,
    );

  // bad proposals: nothing written
  const intoForeign = await failure(
    inRuyang((trx) =>
      proposeGovAccountClosure(trx, admin.access, admin.actor, ruyang, {
        accountId: closing.id,
        kind: 'merge',
        successorAccountId: foreign.id,
        reason: '合并',
      }),
    ),
  );
  t.equal(reasonOf(intoForeign), 'GOV_CLOSURE_SUCCESSOR_INVALID', "merging into another tenant's account is refused");
  t.match((intoForeign as Error).message, /只能合并到本单位台账/);
  t.equal(
    reasonOf(
      await failure(
        inRuyang((trx) =>
          proposeGovAccountClosure(trx, admin.access, admin.actor, ruyang, {
            accountId: closing.id,
            kind: 'close',
            reason: '   ',
          }),
        ),
      ),
    ),
    'GOV_CLOSURE_INVALID',
    'a reason is required',
  );
  t.equal(
    reasonOf(
      await failure(
        inRuyang((trx) =>
          proposeGovAccountClosure(trx, editor.access, editor.actor, ruyang, {
            accountId: closing.id,
            kind: 'close',
            reason: '僵尸号',
          }),
        ),
      ),
    ),
    'FORBIDDEN',
    'an editor does not propose',
  );
  t.equal(await closures(), 0, 'nothing written');

  const proposed = await inRuyang((trx) =>
    proposeGovAccountClosure(trx, admin.access, admin.actor, ruyang, {
      accountId: closing.id,
      kind: 'merge',
      successorAccountId: kept.id,
      sectionId: zhengwu.id,
      reason: '与“汝阳教育发布”功能重复，长期未更新',
    }),
  );
  t.equal(proposed.status, 'proposed');
  t.equal(proposed.successorName, '「汝阳教育发布」微信公众号');
  const bypass = await failure(
    inRuyang((trx) => retireGovAccount(trx, admin.access, admin.actor, ruyang, closing.id, 'closed')),
  );
  t.match((bypass as Error)?.message, /进行中的关停并转申请/, 'the registry cannot retire an account under a closure');
  const twice = await failure(
    inRuyang((trx) =>
      proposeGovAccountClosure(trx, admin.access, admin.actor, ruyang, {
        accountId: closing.id,
        kind: 'close',
        reason: '再次申请',
      }),
    ),
  );
  t.equal(reasonOf(twice), 'GOV_CLOSURE_ALREADY_OPEN', 'a second open closure for one account is refused');
  t.equal(await closures(), 1);

  // nothing proceeds before approval
  const early: [string, (trx: never) => Promise<unknown>][] = [
    [
      'draft the notice',
      (trx: never) => draftGovAccountClosureNotice(trx, admin.access, admin.actor, ruyang, proposed.id),
    ],
    [
      'publish the notice',
      (trx: never) => publishGovAccountClosureNotice(trx, chief.access, chief.actor, ruyang, proposed.id),
    ],
    ['注销', (trx: never) => deregisterGovAccount(trx, admin.access, admin.actor, ruyang, proposed.id)],
    [
      'import content',
      (trx: never) =>
        importGovAccountClosureContent(trx, admin.access, admin.actor, ruyang, proposed.id, RSS('ruyang.localhost')),
    ],
  ];
  for (const [name, run] of early) {
    t.equal(
      reasonOf(await failure(inRuyang((trx) => run(trx as never)))),
      'GOV_CLOSURE_NOT_APPROVED',
      `without approval: cannot ${name}`,
    );
  }

  // who decides: the direct parent only
  const ly = await desk('luoyang-admin', id('luoyang'));
  const yc = await desk('yichuan-admin', id('yichuan'));
  const zz = await desk('zhengzhou-admin', id('zhengzhou'));
  const hn = await desk('henan-admin', id('henan'));
  const decides = async (who: { access: Access; actor: Actor }, slug: string, approve: boolean, note?: string) =>
    reasonOf(
      await failure(
        withTenant(db, id(slug), (trx) =>
          decideGovAccountClosure(trx, who.access, who.actor, id(slug), proposed.id, approve, note),
        ),
      ),
    );
  t.equal(await decides(yc, 'yichuan', true), 'GOV_CLOSURE_NOT_FOUND', 'a sibling does not even see it');
  t.equal(await decides(zz, 'zhengzhou', true), 'GOV_CLOSURE_NOT_FOUND', 'another city neither');
  t.equal(await decides(hn, 'henan', true), 'GOV_CLOSURE_NOT_PARENT', 'the province sees it but is not the parent');
  t.equal(await decides(ly, 'luoyang', false, ''), 'GOV_CLOSURE_INVALID', 'a decline needs a reason');
  // the parent may change the decision only (row-level security and the guard trigger)
  const sneaky = await failure(
    withTenant(db, id('luoyang'), (trx) =>
      sql`UPDATE gov_account_closures SET reason = '改掉理由' WHERE id = ${proposed.id}`.execute(trx),
    ),
  );
  t.match(String((sneaky as Error)?.message), /may only decide/, 'the parent cannot rewrite the proposal');
  const siblingWrite = await withTenant(db, id('yichuan'), (trx) =>
    sql`UPDATE gov_account_closures SET status = 'approved' WHERE id = ${proposed.id}`.execute(trx),
  );
  t.equal(Number(siblingWrite.numAffectedRows), 0, 'a sibling changes nothing');

  const approved = await withTenant(db, id('luoyang'), (trx) =>
    decideGovAccountClosure(trx, ly.access, ly.actor, id('luoyang'), proposed.id, true, '同意合并'),
  );
  t.equal(approved.status, 'approved');
  t.equal(approved.deciderTenantName, '洛阳');

  // visibility: own, parent and province see it; siblings and another city do not
  const seen = async (slug: string, login: string) => {
    const d = await desk(login, id(slug));
    return withTenant(
      db,
      id(slug),
      async (trx) => (await listGovAccountClosures(trx, d.access, id(slug), { accountId: closing.id })).total,
    );
  };
  t.same(
    [
      await seen('ruyang', 'ruyang-admin'),
      await seen('luoyang', 'luoyang-admin'),
      await seen('henan', 'henan-admin'),
      await seen('yichuan', 'yichuan-admin'),
      await seen('zhengzhou', 'zhengzhou-admin'),
    ],
    [1, 1, 1, 0, 0],
  );
  const asSibling = (q: ReturnType<typeof sql>) => failure(withTenant(db, id('yichuan'), (trx) => q.execute(trx)));
  const rls = /row-level security/;
  t.match(
    String(
      await asSibling(
        sql`INSERT INTO gov_account_closures (tenant_id, account_id, kind, reason, proposed_by_name) VALUES (${ruyang}, ${closing.id}, 'close', 'x', 'x')`,
      ),
    ),
    rls,
    "a sibling cannot write another tenant's closure",
  );
  t.match(
    String(
      await asSibling(
        sql`INSERT INTO gov_account_closure_items (tenant_id, closure_id, story_id, original_url, original_at, title) VALUES (${ruyang}, ${proposed.id}, ${proposed.id}, 'https://x', now(), 'x')`,
      ),
    ),
    rls,
    'nor its imported items',
  );
  t.match(
    String(
      await asSibling(
        sql`INSERT INTO content_redirects (tenant_id, path, story_id) VALUES (${ruyang}, '/x', ${proposed.id})`,
      ),
    ),
    rls,
    'nor its redirects',
  );
  const siblingRows = await withTenant(db, id('yichuan'), (trx) =>
    sql<{
      n: string;
    }>`SELECT (SELECT count(*) FROM gov_account_closures WHERE tenant_id <> ${id('yichuan')}) + (SELECT count(*) FROM gov_account_closure_items WHERE tenant_id <> ${id('yichuan')}) AS n`.execute(
      trx,
    ),
  );
  t.equal(Number(siblingRows.rows[0]!.n), 0, 'a sibling reads no closure nor item');

  // the platform drafts the notice; the county's chain reviews it; only then it is published
  const drafted = await inRuyang((trx) =>
    draftGovAccountClosureNotice(trx, admin.access, admin.actor, ruyang, proposed.id),
  );
  const noticeId = drafted.noticeStoryId!;
  t.ok(noticeId);
  const notReviewed = await failure(
    inRuyang((trx) => publishGovAccountClosureNotice(trx, chief.access, chief.actor, ruyang, proposed.id)),
  );
  t.equal(reasonOf(notReviewed), 'REVIEW_NOT_PASSED', 'the notice is not public before the chain has passed it');
  const sign = async (storyId: string) => {
    for (const who of [editor, reviewer, chief])
      await inRuyang((trx) => approveStep(trx, who.access, who.actor, storyId, '同意'));
  };
  await sign(noticeId);
  const noticed = await inRuyang((trx) =>
    publishGovAccountClosureNotice(trx, editor.access, editor.actor, ruyang, proposed.id),
  );
  t.equal(noticed.status, 'noticed');
  t.equal(noticed.account.status, 'closing', 'the account stays on the watch list as 关停中');
  const notice = await inRuyang((trx) => storyFor(trx, editor.access, noticeId));
  t.equal(notice.status, 'published');
  t.equal(notice.section_id, zhengwu.id, "in the closure's column");
  const text = await sql<{
    title: string;
    body: unknown;
  }>`SELECT r.title, r.body FROM story_revisions r WHERE r.story_id = ${noticeId}`.execute(tdb.owner);
  t.match(text.rows[0]!.title, /关于「汝阳教育服务号」微信公众号停止更新的公告/);
  t.match(JSON.stringify(text.rows[0]!.body), /并入「汝阳教育发布」微信公众号/, 'the notice names the successor');

  // content: a malformed file writes nothing; a feed is imported with its dates and links
  const stories = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM stories WHERE tenant_id = ${ruyang}`.execute(tdb.owner))
        .rows[0]!.n,
    );
  const before = await stories();
  const bad = await failure(
    inRuyang((trx) =>
      importGovAccountClosureContent(
        trx,
        admin.access,
        admin.actor,
        ruyang,
        proposed.id,
        '<rss><channel><item><title>缺链接</title></item></channel></rss>',
      ),
    ),
  );
  t.equal(reasonOf(bad), 'GOV_CLOSURE_IMPORT_MALFORMED');
  t.equal(await stories(), before, 'a malformed file writes nothing');
  const report = await inRuyang((trx) =>
    importGovAccountClosureContent(trx, admin.access, admin.actor, ruyang, proposed.id, RSS('ruyang.localhost')),
  );
  t.same(
    { items: report.items, imported: report.imported, skipped: report.skipped, redirectable: report.redirectable },
    { items: 2, imported: 2, skipped: 0, redirectable: 1 },
  );
  const again = await inRuyang((trx) =>
    importGovAccountClosureContent(trx, admin.access, admin.actor, ruyang, proposed.id, RSS('ruyang.localhost')),
  );
  t.equal(again.skipped, 2, 'importing the same feed again adds nothing');
  const waiting = await inRuyang((trx) =>
    publishGovAccountClosureContent(trx, editor.access, editor.actor, ruyang, proposed.id),
  );
  t.same(waiting, { published: 0, waiting: 2, redirects: 0 }, 'imported stories wait for review');
  for (const s of report.storyIds) await sign(s);
  const out = await inRuyang((trx) =>
    publishGovAccountClosureContent(trx, editor.access, editor.actor, ruyang, proposed.id),
  );
  t.same(out, { published: 2, waiting: 0, redirects: 1 });
  const dates = await sql<{ published_at: Date; link_url: string | null; kind: string }>`
    SELECT s.published_at, s.kind, r.link_url FROM stories s JOIN story_revisions r ON r.story_id = s.id AND r.number = s.published_revision
     WHERE s.id = ANY(${report.storyIds}::uuid[]) ORDER BY s.published_at`.execute(tdb.owner);
  t.same(
    dates.rows.map((r) => [r.published_at.toISOString(), r.kind, r.link_url]),
    [
      ['2025-06-12T00:30:00.000Z', 'link', 'https://mp.weixin.qq.com/s/ry_jyfw_0612'],
      ['2025-08-25T02:00:00.000Z', 'link', 'http://ruyang.localhost/jiaoyu/2025/0825.html'],
    ],
    'original dates kept, the original link is the link back',
  );
  const target = await withPublic(db, (trx) => closureRedirect(trx, ruyang, '/jiaoyu/2025/0825.html'));
  const moved = await sql<{
    story_id: string;
  }>`SELECT story_id FROM gov_account_closure_items WHERE original_url = 'http://ruyang.localhost/jiaoyu/2025/0825.html'`.execute(
    tdb.owner,
  );
  t.equal(target, moved.rows[0]!.story_id, 'the old address redirects to its story');
  t.equal(
    await withPublic(db, (trx) => closureRedirect(trx, id('yichuan'), '/jiaoyu/2025/0825.html')),
    null,
    "only on the tenant's own face",
  );

  // 注销 and the filing
  t.equal(
    reasonOf(
      await failure(
        inRuyang((trx) => recordGovAccountClosureFiling(trx, admin.access, admin.actor, ruyang, proposed.id, 'GB-1')),
      ),
    ),
    'GOV_CLOSURE_WRONG_STEP',
    'no filing before 注销',
  );
  t.equal(
    reasonOf(
      await failure(inRuyang((trx) => withdrawGovAccountClosure(trx, admin.access, admin.actor, ruyang, proposed.id))),
    ),
    'GOV_CLOSURE_WRONG_STEP',
    'no withdrawal after the notice',
  );
  const friday = new Date(Date.parse('2026-12-04T10:00:00+08:00'));
  const gone = await inRuyang((trx) =>
    deregisterGovAccount(
      trx,
      admin.access,
      admin.actor,
      ruyang,
      proposed.id,
      new Date(Math.max(friday.getTime(), noticed.noticePublishedAt!.getTime())),
    ),
  );
  t.equal(gone.status, 'deregistered');
  t.equal(gone.account.status, 'merged', 'a merged account is 已合并');
  t.ok(gone.filingDue, 'the filing is due');
  const late = await inRuyang((trx) =>
    listGovAccountClosures(trx, admin.access, ruyang, { accountId: closing.id }, {}, '2099-01-01'),
  );
  t.equal(late.items[0]!.filingOverdue, true, 'overdue when missed');
  const acct = await inRuyang((trx) => govAccountById(trx, admin.access, ruyang, closing.id));
  t.equal(acct.health, null, 'off the watch list once 注销 is recorded');
  t.equal(
    reasonOf(
      await failure(
        inRuyang((trx) => recordGovAccountClosureFiling(trx, admin.access, admin.actor, ruyang, proposed.id, '  ')),
      ),
    ),
    'GOV_CLOSURE_INVALID',
  );
  const filed = await inRuyang((trx) =>
    recordGovAccountClosureFiling(trx, admin.access, admin.actor, ruyang, proposed.id, '国办报送〔2026〕0412'),
  );
  t.equal(filed.status, 'filed');
  t.equal(filed.filingOverdue, false);
  const late2 = await inRuyang((trx) =>
    listGovAccountClosures(trx, admin.access, ruyang, { accountId: closing.id }, {}, '2099-01-01'),
  );
  t.equal(late2.items[0]!.filingOverdue, false, 'filed: not overdue');

  // every step dated and audited
  const audit = await sql<{
    action: string;
    tenant_id: string;
  }>`SELECT action, tenant_id FROM audit_log WHERE action LIKE 'gov_account_closure.%' AND target_id = ${proposed.id} ORDER BY id`.execute(
    tdb.owner,
  );
  t.same(
    audit.rows.map((r) => r.action),
    [
      'gov_account_closure.propose',
      'gov_account_closure.approve',
      'gov_account_closure.notice_draft',
      'gov_account_closure.notice_publish',
      'gov_account_closure.import',
      'gov_account_closure.import',
      'gov_account_closure.content_publish',
      'gov_account_closure.deregister',
      'gov_account_closure.file',
    ],
  );
  t.equal(audit.rows[1]!.tenant_id, id('luoyang'), "the decision is in the parent's log");
  t.ok(
    filed.proposedAt && filed.decidedAt && filed.noticePublishedAt && filed.deregisteredAt && filed.filedAt,
    'each step is dated',
  );
});
