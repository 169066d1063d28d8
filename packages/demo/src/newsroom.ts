import {
  createRule,
  createSection,
  createUnit,
  DEFAULT_CHAIN,
  setTenantChain,
  type Actor,
  type RuleInput,
} from '@yiduan/core';
import type { ReviewRole, Section, Trx, Unit } from '@yiduan/db';
import type { SectionSlug } from './content/index.js';
import { placeOf } from './places.js';

/** The four sections every face's navigation points at (see NAVIGATION in seed.ts). */
export const DEMO_SECTIONS: readonly { slug: SectionSlug; name: string; position: number }[] = [
  { slug: 'bendi', name: '本地', position: 10 },
  { slug: 'zhengwu', name: '政务', position: 20 },
  { slug: 'minsheng', name: '民生', position: 30 },
  { slug: 'wenlv', name: '文旅', position: 40 },
];

/** One section with a shorter chain, so the console shows a section override: 汝阳 文旅 skips the reviewer. */
export const SECTION_OVERRIDES: Record<string, Partial<Record<SectionSlug, ReviewRole[]>>> = {
  ruyang: { wenlv: ['editor', 'chief_editor'] },
};

/** The province's starter dictionary; it applies to every city and county below it. */
export const PROVINCE_RULES: readonly RuleInput[] = [
  {
    pattern: '台湾总统',
    kind: 'literal',
    severity: 'block',
    replacement: '台湾地区领导人',
    note: '不得称"台湾总统"，应称"台湾地区领导人"',
  },
  {
    pattern: '台湾政府',
    kind: 'literal',
    severity: 'block',
    replacement: '台湾当局',
    note: '对 1949 年以后的台湾地区政权，应称"台湾当局"',
  },
  {
    pattern: '中华民国(?:总统|政府|国旗|外交部)',
    kind: 'regex',
    severity: 'block',
    note: '不得使用"中华民国"指称 1949 年以后的台湾地区及其机构',
  },
  {
    pattern: '国民党政府',
    kind: 'literal',
    severity: 'warn',
    replacement: '台湾当局',
    note: '指称 1949 年以后的台湾地区政权时应称"台湾当局"；历史语境请核实',
  },
  { pattern: '北韩', kind: 'literal', severity: 'warn', replacement: '朝鲜', note: '应称"朝鲜"' },
  { pattern: '做为', kind: 'literal', severity: 'warn', replacement: '作为', note: '规范写法为"作为"' },
  { pattern: '截止目前', kind: 'literal', severity: 'warn', replacement: '截至目前', note: '"截至"表示到某一时间为止' },
  {
    pattern: '其它',
    kind: 'literal',
    severity: 'warn',
    replacement: '其他',
    note: '依《通用规范汉字表》及新闻出版用字习惯统一用"其他"',
  },
  { pattern: '好象', kind: 'literal', severity: 'warn', replacement: '好像', note: '规范写法为"好像"' },
  { pattern: '想像', kind: 'literal', severity: 'warn', replacement: '想象', note: '规范写法为"想象"' },
  {
    pattern: '(\\d{4}年\\d{1,2}月\\d{1,2})号',
    kind: 'regex',
    severity: 'warn',
    replacement: '$1日',
    note: '书面语日期用"日"不用"号"',
  },
];

/** A county's own additions on top of the province's. */
export const TENANT_RULES: Record<string, readonly RuleInput[]> = {
  ruyang: [
    {
      pattern: '汝阳县政府',
      kind: 'literal',
      severity: 'warn',
      replacement: '汝阳县人民政府',
      note: '正式名称为"汝阳县人民政府"',
    },
  ],
};

export interface TenantDesk {
  sections: Record<SectionSlug, Section>;
  units: Record<string, Unit>;
}

/** Sections, chain, units and rules of one tenant, as an operator sets them up (platform scope). */
export async function setUpNewsroom(trx: Trx, actor: Actor, slug: string, tenantId: string): Promise<TenantDesk> {
  const sections = {} as Record<SectionSlug, Section>;
  for (const s of DEMO_SECTIONS) {
    sections[s.slug] = await createSection(trx, actor, tenantId, {
      slug: s.slug,
      name: s.name,
      position: s.position,
      reviewSteps: SECTION_OVERRIDES[slug]?.[s.slug] ?? null,
    });
  }
  // set explicitly (not left to the default) so the chain shows as configured in the console
  await setTenantChain(trx, actor, tenantId, [...DEFAULT_CHAIN]);
  const units: Record<string, Unit> = {};
  for (const u of placeOf(slug).units)
    units[u.slug] = await createUnit(trx, actor, tenantId, { slug: u.slug, name: u.name, kind: u.kind });
  const rules = slug === 'henan' ? PROVINCE_RULES : (TENANT_RULES[slug] ?? []);
  for (const rule of rules) await createRule(trx, actor, tenantId, rule);
  return { sections, units };
}
