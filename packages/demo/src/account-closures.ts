import {
  accessFor,
  approveStep,
  decideGovAccountClosure,
  domainsOf,
  draftGovAccountClosureNotice,
  importGovAccountClosureContent,
  listGovAccounts,
  proposeGovAccountClosure,
  publishGovAccountClosureContent,
  publishGovAccountClosureNotice,
  sectionsOf,
  staffActor,
  type Access,
  type Actor,
} from '@yiduan/core';
import { setPlatform, setTenant, type Staff, type Tenant, type Trx } from '@yiduan/db';

/**
 * One account mid-closure (关停并转) in the demo province: 汝阳县教育局's second WeChat account
 * (汝阳教育服务, flagged as a duplicate of 汝阳教育) is being merged into 汝阳教育. 汝阳 proposed it,
 * 洛阳 approved it, the platform's stop-update notice passed 汝阳's review chain and is on the
 * county face (政务 column), and the account's last posts were imported with their original dates,
 * one of them from an old address on the face that now redirects. 注销 is still to be recorded, so
 * the account stays on the watch list as 关停中.
 */
export async function seedAccountClosures(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  now: Date,
): Promise<void> {
  const ruyang = tenants.ruyang!.id;
  const luoyang = tenants.luoyang!.id;
  const desk = async (login: string, tenantId: string): Promise<{ access: Access; actor: Actor }> => ({
    access: await accessFor(trx, staff[login]!, tenantId),
    actor: staffActor(staff[login]!),
  });

  await setTenant(trx, ruyang);
  const admin = await desk('ruyang-admin', ruyang);
  const find = async (handle: string) =>
    (await listGovAccounts(trx, admin.access, ruyang, { search: handle })).items.find((a) => a.handle === handle)!;
  const closing = await find('ry_jyfw');
  const kept = await find('ry_jiaoyu');
  const section = (await sectionsOf(trx, ruyang)).find((s) => s.slug === 'zhengwu')!;
  const closure = await proposeGovAccountClosure(trx, admin.access, admin.actor, ruyang, {
    accountId: closing.id,
    kind: 'merge',
    successorAccountId: kept.id,
    sectionId: section.id,
    reason: '与“汝阳教育”公众号功能重叠，近两周未更新；按政务新媒体“关停并转”要求合并，由“汝阳教育”统一发布',
  });

  await setTenant(trx, luoyang);
  const city = await desk('luoyang-admin', luoyang);
  await decideGovAccountClosure(
    trx,
    city.access,
    city.actor,
    luoyang,
    closure.id,
    true,
    '同意合并，请按期发布停更公告并在注销后 2 个工作日内报备',
  );

  await setTenant(trx, ruyang);
  const signers = [
    await desk('ruyang-editor', ruyang),
    await desk('ruyang-reviewer', ruyang),
    await desk('ruyang-chief', ruyang),
  ];
  const sign = async (storyId: string) => {
    for (const who of signers) await approveStep(trx, who.access, who.actor, storyId, '同意');
  };
  const drafted = await draftGovAccountClosureNotice(trx, admin.access, admin.actor, ruyang, closure.id);
  await sign(drafted.noticeStoryId!);
  await publishGovAccountClosureNotice(trx, signers[0]!.access, signers[0]!.actor, ruyang, closure.id);

  const host = (await domainsOf(trx, ruyang))[0]!.host;
  const day = (n: number) => new Date(now.getTime() - n * 86_400_000).toUTCString();
  const feed = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>汝阳教育服务</title>
<item><title>2026年秋季学期中小学校车服务安排</title><link>http://${host}/jiaoyu/2026/0826.html</link><pubDate>${day(103)}</pubDate>
<description>&lt;p&gt;为保障学生上下学安全，县教育局会同交通运输部门统筹安排秋季学期校车线路和时刻。&lt;/p&gt;&lt;p&gt;家长可在所在学校查询线路。&lt;/p&gt;</description></item>
<item><title>汝阳县义务教育阶段学校招生入学问答</title><link>https://mp.weixin.qq.com/s/ry_jyfw_zhaosheng</link><pubDate>${day(160)}</pubDate>
<description>&lt;p&gt;围绕入学条件、划片范围和报名材料，整理家长关心的十个问题。&lt;/p&gt;</description></item>
<item><title>县教育局开展校园食品安全专项检查</title><link>https://mp.weixin.qq.com/s/ry_jyfw_shipin</link><pubDate>${day(21)}</pubDate>
<description>&lt;p&gt;检查覆盖全县中小学和幼儿园食堂，发现问题当场督促整改。&lt;/p&gt;</description></item>
</channel></rss>`;
  const report = await importGovAccountClosureContent(
    trx,
    admin.access,
    admin.actor,
    ruyang,
    closure.id,
    feed,
    now.getTime(),
  );
  for (const id of report.storyIds) await sign(id);
  await publishGovAccountClosureContent(trx, signers[0]!.access, signers[0]!.actor, ruyang, closure.id);
  await setPlatform(trx);
}
