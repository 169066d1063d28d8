import {
  Access,
  createGovAccount,
  createOrganisation,
  retireGovAccount,
  setGovAccountThresholds,
  staffActor,
  type GovPlatform,
} from '@yiduan/core';
import { setPlatform, setTenant, type Organisation, type Staff, type Tenant, type Trx, type Unit } from '@yiduan/db';

/**
 * The demo province's registry of government new-media accounts (政务新媒体台账): a few dozen
 * accounts of the counties' and cities' units on WeChat, Weibo, Douyin, Kuaishou, Toutiao, apps and
 * websites, registered by each tenant's administrator in its own scope, as the console would. Some
 * are zombies (silent for months), some duplicate another account of the same unit on the same
 * platform, one is run by an operator whose qualification has expired, two are already closed or
 * merged. The province sets the thresholds (7 / 14 / 90 days); 商丘 asks a weekly rhythm (warn at 5).
 */

interface DemoGovAccount {
  platform: GovPlatform;
  name: string;
  handle: string;
  /** a unit of the tenant (its slug), or none: the tenant's own account */
  unit?: string;
  sponsor: string;
  supervisor?: string;
  /** days since the last update; null: never recorded */
  silent: number | null;
  figures?: [followers: number, posts: number, reads: number];
  /** 'valid' or 'expired': run by an operator organisation */
  operator?: 'valid' | 'expired';
  reviewers?: string[];
  retire?: 'closed' | 'merged';
  note?: string;
}

const A = (
  platform: GovPlatform,
  name: string,
  handle: string,
  sponsor: string,
  silent: number | null,
  more: Partial<DemoGovAccount> = {},
): DemoGovAccount => ({ platform, name, handle, sponsor, silent, ...more });

export const DEMO_GOV_ACCOUNTS: Record<string, DemoGovAccount[]> = {
  guancheng: [
    A('wechat', '管城发布', 'guanchengfabu', '中共管城回族区委宣传部', 0, {
      figures: [86_400, 5_210, 9_870_000],
      reviewers: ['崔志强', '贾芳'],
    }),
    A('douyin', '管城发布', 'gcfb_douyin', '中共管城回族区委宣传部', 1, { figures: [153_000, 1_830, 42_000_000] }),
    A('wechat', '管城教育', 'gc_jiaoyu', '管城回族区教育局', 3, {
      unit: 'jiaoyu',
      figures: [21_300, 980, 1_240_000],
      reviewers: ['秦玉洁'],
    }),
    A('weibo', '管城卫健', 'gcwjw', '管城回族区卫生健康委员会', 9, { unit: 'weijian', figures: [4_100, 620, 310_000] }),
    A('weibo', '管城健康', 'gc_jiankang', '管城回族区卫生健康委员会', 210, {
      unit: 'weijian',
      figures: [860, 95, 12_000],
      note: '与“管城卫健”微博重复',
    }),
    A('toutiao', '北下街在线', 'bxj_toutiao', '管城回族区北下街街道办事处', 17, {
      unit: 'beixiajie',
      figures: [1_200, 240, 96_000],
    }),
    A('website', '管城回族区人民政府网', 'https://www.zzguancheng.gov.cn/', '管城回族区人民政府', 0, {
      supervisor: '郑州市人民政府',
    }),
    A('kuaishou', '北下街社区', 'bxj_ks', '管城回族区北下街街道办事处', 380, {
      unit: 'beixiajie',
      figures: [310, 12, 4_000],
    }),
  ],
  ruyang: [
    A('wechat', '汝阳发布', 'ruyangfabu', '中共汝阳县委宣传部', 0, {
      figures: [64_000, 4_380, 7_150_000],
      reviewers: ['刘建国', '王秀兰'],
    }),
    A('app', '云上汝阳', 'https://app.ruyang.gov.cn/', '汝阳县融媒体中心', 0, { figures: [38_500, 12_600, 5_600_000] }),
    A('wechat', '汝阳教育', 'ry_jiaoyu', '汝阳县教育局', 4, {
      unit: 'jiaoyu',
      figures: [18_900, 1_120, 980_000],
      reviewers: ['范志红'],
    }),
    A('wechat', '汝阳教育服务', 'ry_jyfw', '汝阳县教育局', 15, {
      unit: 'jiaoyu',
      figures: [2_300, 140, 56_000],
      note: '与“汝阳教育”公众号功能重叠',
    }),
    A('douyin', '杜康故里汝阳', 'ry_wenlv_dy', '汝阳县文化广电和旅游局', 2, {
      unit: 'wenlv',
      figures: [97_000, 760, 31_000_000],
    }),
    A('weibo', '汝阳文旅', 'ruyangwenlv', '汝阳县文化广电和旅游局', 45, {
      unit: 'wenlv',
      figures: [5_600, 410, 230_000],
    }),
    A('wechat', '城关镇发布', 'rycgz', '汝阳县城关镇人民政府', 120, {
      unit: 'chengguan',
      figures: [1_900, 88, 35_000],
    }),
    A('toutiao', '汝阳城关', 'ry_cg_tt', '汝阳县城关镇人民政府', null, { unit: 'chengguan' }),
    A('weibo', '汝阳县人民政府', 'ruyangzf', '汝阳县人民政府', 400, {
      retire: 'closed',
      note: '2026 年按“关停并转”注销',
    }),
  ],
  yichuan: [
    A('wechat', '伊川发布', 'yichuanfabu', '中共伊川县委宣传部', 1, { figures: [58_200, 3_960, 6_300_000] }),
    A('douyin', '伊川发布', 'yc_fabu_dy', '中共伊川县委宣传部', 6, { figures: [121_000, 940, 25_000_000] }),
    A('wechat', '伊川农业', 'yc_nongye', '伊川县农业农村局', 11, {
      unit: 'nongye',
      figures: [9_800, 720, 410_000],
      operator: 'expired',
      reviewers: ['段红梅'],
    }),
    A('kuaishou', '伊川三农', 'yc_sannong_ks', '伊川县农业农村局', 95, {
      unit: 'nongye',
      figures: [3_300, 160, 88_000],
    }),
    A('wechat', '鸣皋镇', 'ycmgz', '伊川县鸣皋镇人民政府', 2, { unit: 'minggao', figures: [2_600, 310, 120_000] }),
    A('wechat', '健康伊川', 'ycjk', '伊川县卫生健康委员会', 8, { unit: 'weijian', figures: [12_400, 860, 640_000] }),
    A('bilibili', '伊川卫健', 'space.bilibili.com/3493110', '伊川县卫生健康委员会', 300, {
      unit: 'weijian',
      figures: [120, 9, 2_100],
    }),
    A('website', '伊川县人民政府网', 'http://www.yichuan.gov.cn', '伊川县人民政府', 0),
  ],
  zhecheng: [
    A('wechat', '柘城发布', 'zhechengfabu', '中共柘城县委宣传部', 3, {
      figures: [47_300, 3_020, 4_800_000],
      reviewers: ['黎晓冬'],
    }),
    A('douyin', '中国辣椒之乡柘城', 'zc_lajiao_dy', '柘城县农业农村局', 1, {
      unit: 'nongye',
      figures: [210_000, 1_280, 66_000_000],
      operator: 'valid',
    }),
    A('douyin', '柘城农业', 'zc_nongye_dy', '柘城县农业农村局', 130, {
      unit: 'nongye',
      figures: [4_100, 75, 160_000],
      note: '与“中国辣椒之乡柘城”重复',
    }),
    A('wechat', '柘城市场监管', 'zcscjg', '柘城县市场监督管理局', 20, {
      unit: 'shichang',
      figures: [6_700, 530, 290_000],
      operator: 'valid',
    }),
    A('toutiao', '柘城市监', 'zc_sj_tt', '柘城县市场监督管理局', 160, { unit: 'shichang', figures: [900, 41, 19_000] }),
    A('weibo', '柘城县融媒体中心', 'zcrmt', '柘城县融媒体中心', 30, { retire: 'merged', note: '并入“柘城发布”' }),
    A('app', '柘城通', 'https://app.zhecheng.gov.cn', '柘城县融媒体中心', 5, { figures: [22_000, 8_900, 1_900_000] }),
  ],
  luoyang: [
    A('wechat', '洛阳文旅', 'lywenlv', '洛阳市文化广电和旅游局', 0, {
      unit: 'wenlv',
      figures: [420_000, 6_100, 88_000_000],
    }),
    A('douyin', '洛阳文旅', 'ly_wenlv_dy', '洛阳市文化广电和旅游局', 2, {
      unit: 'wenlv',
      figures: [1_260_000, 2_300, 410_000_000],
    }),
  ],
  shangqiu: [
    A('wechat', '商丘农业', 'sqnongye', '商丘市农业农村局', 6, { unit: 'nongye', figures: [31_000, 2_200, 1_700_000] }),
    A('weibo', '商丘市场监管', 'sqscjg', '商丘市市场监督管理局', 12, {
      unit: 'shichang',
      figures: [8_800, 940, 520_000],
    }),
  ],
};

/** The operator organisation whose qualification lapsed: its accounts show it in the registry. */
export const EXPIRED_OPERATOR = {
  name: '豫东星火文化传媒有限公司',
  licenceNo: '豫新媒代运营〔2023〕第0042号',
  validUntil: '2025-03-31',
} as const;

export async function seedGovAccounts(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  units: Record<string, Record<string, Unit>>,
  org: Organisation,
  now: Date,
): Promise<void> {
  await setPlatform(trx);
  const operator = staffActor(staff.operator!);
  const expired = await createOrganisation(trx, operator, EXPIRED_OPERATOR);
  const adminOf = (slug: string) => {
    const s = staff[`${slug}-admin`]!;
    return { actor: staffActor(s), access: new Access(tenants[slug]!.id, s, new Set(['tenant_admin']), new Map()) };
  };
  // the province's rule for everyone, and 商丘's weekly rhythm for its counties
  for (const [slug, values] of [
    ['henan', { warnDays: 7, failDays: 14, zombieDays: 90 }],
    ['shangqiu', { warnDays: 5 }],
  ] as const) {
    await setTenant(trx, tenants[slug]!.id);
    const { actor, access } = adminOf(slug);
    await setGovAccountThresholds(trx, access, actor, tenants[slug]!, values);
  }
  for (const [slug, accounts] of Object.entries(DEMO_GOV_ACCOUNTS)) {
    const tenantId = tenants[slug]!.id;
    await setTenant(trx, tenantId);
    const { actor, access } = adminOf(slug);
    for (const a of accounts) {
      const created = await createGovAccount(
        trx,
        access,
        actor,
        tenantId,
        {
          platform: a.platform,
          name: a.name,
          handle: a.handle,
          unitId: a.unit ? (units[slug]![a.unit]?.id ?? null) : null,
          sponsor: a.sponsor,
          supervisor: a.supervisor ?? `${tenants[slug]!.name}人民政府`,
          verifiedSubject: a.sponsor,
          operation: a.operator ? 'operator' : 'self',
          operatorOrgId: a.operator === 'valid' ? org.id : a.operator === 'expired' ? expired.id : null,
          contractStart: a.operator ? '2024-01-01' : null,
          contractEnd: a.operator ? '2026-12-31' : null,
          reviewers: a.reviewers ?? [],
          note: a.note ?? '',
        },
        {
          lastUpdatedAt: a.silent === null ? undefined : new Date(now.getTime() - a.silent * 86_400_000 - 3 * 3600_000),
          ...(a.figures ? { followers: a.figures[0], posts: a.figures[1], reads: a.figures[2] } : {}),
        },
      );
      if (a.retire) await retireGovAccount(trx, access, actor, tenantId, created.id, a.retire, a.note);
    }
  }
  await setPlatform(trx);
}
