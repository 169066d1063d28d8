import { PLATFORM_NAMES } from '../model.js';
import {
  CHECKLIST_BY_CODE,
  passes,
  type GovFixOrderView,
  type GovRoundFindingView,
  type GovRoundSampleView,
  type GovRoundView,
} from './model.js';

/** The 通报 of one county in one round, as plain text and as HTML (the console shows and exports both). */
export interface GovRoundReport {
  roundId: string;
  tenantId: string;
  tenantName: string;
  title: string;
  sampled: number;
  passed: number;
  /** passed / sampled, 0 to 1 */
  passRate: number;
  text: string;
  html: string;
}

export interface ReportInput {
  round: GovRoundView;
  tenantId: string;
  tenantName: string;
  samples: readonly GovRoundSampleView[];
  findings: readonly GovRoundFindingView[];
  orders: readonly GovFixOrderView[];
}

const percent = (r: number): string => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
const cnDay = (day: string): string => {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Section {
  heading: string;
  paragraphs: string[];
}

/**
 * Drafts the report: who checked what and when, the pass rate, the accounts failed by a veto, those
 * scoring below 60, the deductions of the others, and the fix orders with their due days. Pure: the
 * same round and findings give the same text.
 */
export function draftReport(input: ReportInput): GovRoundReport {
  const { round, samples, findings, orders, tenantName } = input;
  const passed = samples.filter((s) => passes(s.verdict)).length;
  const rate = samples.length ? passed / samples.length : 0;
  const title = `关于${tenantName}政务新媒体抽查情况的通报`;
  const byAccount = new Map<string, GovRoundFindingView[]>();
  for (const f of findings) byAccount.set(f.accountId, [...(byAccount.get(f.accountId) ?? []), f]);
  const label = (s: GovRoundSampleView) => `${PLATFORM_NAMES[s.platform]}“${s.accountName}”`;
  const problems = (s: GovRoundSampleView) =>
    (byAccount.get(s.accountId) ?? [])
      .map(
        (f) =>
          `${CHECKLIST_BY_CODE.get(f.item)?.name ?? f.item}${f.kind === 'deduction' ? `（扣 ${f.points} 分）` : ''}${f.note ? `：${f.note}` : ''}`,
      )
      .join('；');

  const platforms = new Map<string, number>();
  for (const s of samples)
    platforms.set(PLATFORM_NAMES[s.platform], (platforms.get(PLATFORM_NAMES[s.platform]) ?? 0) + 1);
  const sections: Section[] = [
    {
      heading: '一、基本情况',
      paragraphs: [
        `根据${round.tenantName}“${round.title}”工作安排，于${cnDay(round.checkDay)}对${tenantName}政务新媒体进行了抽查。` +
          `本次按各平台不低于 ${Math.round(round.share * 100)}% 的比例随机抽取账号 ${samples.length} 个（${[...platforms].map(([p, n]) => `${p} ${n} 个`).join('、') || '无'}），` +
          `合格 ${passed} 个，合格率 ${percent(rate)}。`,
      ],
    },
  ];
  const vetoed = samples.filter((s) => s.verdict === 'veto');
  const failed = samples.filter((s) => s.verdict === 'fail');
  const deducted = samples.filter((s) => passes(s.verdict) && (byAccount.get(s.accountId)?.length ?? 0) > 0);
  const list = (xs: GovRoundSampleView[], withScore: boolean) =>
    xs.map((s, i) => `${i + 1}. ${label(s)}${withScore ? `，得分 ${s.score}` : ''}：${problems(s) || '—'}`);
  sections.push({
    heading: '二、存在的问题',
    paragraphs:
      vetoed.length + failed.length + deducted.length === 0
        ? ['本次抽查未发现问题。']
        : [
            ...(vetoed.length ? [`（一）单项否决（${vetoed.length} 个）`, ...list(vetoed, false)] : []),
            ...(failed.length ? [`（二）得分低于 60 分（${failed.length} 个）`, ...list(failed, true)] : []),
            ...(deducted.length ? [`（三）其他扣分情况（${deducted.length} 个）`, ...list(deducted, true)] : []),
          ],
  });
  const excellent = samples.filter((s) => s.verdict === 'excellent' && !(byAccount.get(s.accountId)?.length ?? 0));
  if (excellent.length)
    sections.push({
      heading: '三、表现较好的账号',
      paragraphs: [excellent.map(label).join('、') + `，得分在 80 分以上，予以通报表扬。`],
    });
  sections.push({
    heading: `${excellent.length ? '四' : '三'}、整改要求`,
    paragraphs: orders.length
      ? [
          '请相关单位对照问题逐项整改，按期报送整改情况，逾期未完成的将报上级督办：',
          ...orders.map(
            (o, i) =>
              `${i + 1}. ${PLATFORM_NAMES[o.platform]}“${o.accountName}”：${o.requirement}（整改期限：${cnDay(o.dueOn)}，状态：${o.status === 'closed' ? '已销号' : o.overdue ? '已逾期' : '整改中'}）`,
          ),
        ]
      : ['请各单位对照检查标准自查自纠，持续规范政务新媒体运维管理。'],
  });

  const text = [
    title,
    '',
    ...sections.flatMap((s) => [s.heading, ...s.paragraphs, '']),
    `${round.tenantName}`,
    cnDay(round.checkDay),
    '',
  ].join('\n');
  const html = [
    '<article class="gov-report">',
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.flatMap((s) => [
      `<h2>${escapeHtml(s.heading)}</h2>`,
      ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ]),
    `<p class="signature">${escapeHtml(round.tenantName)}<br>${escapeHtml(cnDay(round.checkDay))}</p>`,
    '</article>',
  ].join('\n');
  return {
    roundId: round.id,
    tenantId: input.tenantId,
    tenantName,
    title,
    sampled: samples.length,
    passed,
    passRate: rate,
    text,
    html,
  };
}
