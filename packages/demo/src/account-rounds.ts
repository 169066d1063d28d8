import {
  Access,
  beijingDay,
  govRoundSamples,
  issueGovFixOrder,
  openGovRound,
  recheckGovFixOrder,
  recordGovRoundFinding,
  staffActor,
  type FindingInput,
} from '@yiduan/core';
import { setPlatform, setTenant, type Staff, type Tenant, type Trx } from '@yiduan/db';

/**
 * One inspection round of the demo registry (政务新媒体抽查), opened by the province two weeks ago
 * as its inspectors would: 30 % of every tenant's accounts on every platform sampled from a fixed
 * seed, the silent ones vetoed from their activity, a few findings recorded by hand (a veto, wording
 * run through the terminology rules, missing reposts, an operator that differs from the unit), and
 * fix orders: one past its due day (it shows on 汝阳's, 洛阳's and the province's overdue lists),
 * one closed by a re-check, one still running.
 */
export const DEMO_ROUND = { title: '2026年第四季度全省政务新媒体抽查', seed: 'henan-2026-q4', share: 0.3 } as const;

const DAY = 86_400_000;

export async function seedGovRound(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  now: Date,
): Promise<void> {
  const henan = tenants.henan!;
  const admin = staff['henan-admin']!;
  const actor = staffActor(admin);
  const access = new Access(henan.id, admin, new Set(['tenant_admin']), new Map());
  const day = (daysAgo: number) => beijingDay(now.getTime() - daysAgo * DAY);
  await setTenant(trx, henan.id);
  const round = await openGovRound(trx, access, actor, henan, { ...DEMO_ROUND, checkDay: day(14) }, day(0));
  const samples = await govRoundSamples(trx, access, henan.id, round.id);
  const open = (slug: string) => samples.filter((s) => s.tenantId === tenants[slug]!.id && s.verdict !== 'veto');
  const record = (input: FindingInput) => recordGovRoundFinding(trx, access, actor, henan.id, round.id, input);

  const [ry1, ry2] = open('ruyang');
  const [gc1] = open('guancheng');
  const [zc1] = open('zhecheng');
  const [yc1] = open('yichuan');
  if (ry1)
    await record({
      accountId: ry1.accountId,
      item: 'security',
      note: '转发的通知附件含未公开的内部会议纪要',
      links: ['https://mp.weixin.qq.com/s/demo-ruyang-leak'],
    });
  if (ry2)
    await record({ accountId: ry2.accountId, item: 'missing_repost', note: '未转发省政府关于冬季安全生产的权威发布' });
  if (gc1) {
    await record({
      accountId: gc1.accountId,
      item: 'wording',
      text: '截止目前，做为全区重点民生工程，已惠及其它街道群众。',
      note: '同一条推文中多处不规范表述',
    });
    await record({ accountId: gc1.accountId, item: 'unverified', points: 10, note: '账号未完成政务机构认证' });
  }
  if (zc1)
    await record({
      accountId: zc1.accountId,
      item: 'operator_mismatch',
      points: 20,
      note: '认证主体为代运营公司，与开办单位不一致',
    });
  if (yc1) await record({ accountId: yc1.accountId, item: 'idle', points: 5, note: '“办事服务”菜单链接失效' });

  // fix orders issued twelve days ago: one left overdue, one closed by a re-check, one still running
  const issued = day(12);
  if (ry1)
    await issueGovFixOrder(trx, access, actor, henan.id, round.id, { accountId: ry1.accountId, dueOn: day(5) }, issued);
  if (gc1) {
    const o = await issueGovFixOrder(
      trx,
      access,
      actor,
      henan.id,
      round.id,
      { accountId: gc1.accountId, dueOn: day(3) },
      issued,
    );
    await recheckGovFixOrder(trx, access, actor, henan.id, o.id, true, '已更正表述并完成认证', day(2));
  }
  if (zc1)
    await issueGovFixOrder(
      trx,
      access,
      actor,
      henan.id,
      round.id,
      { accountId: zc1.accountId, dueOn: day(-1) },
      day(8),
    );
  await setPlatform(trx);
}
