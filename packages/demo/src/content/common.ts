import type { Place } from '../places.js';
import { cstParts, dayText, type Rng } from '../text.js';
import type { StoryCtx } from './types.js';

/** Surnames and given names (his, hers) of the people stories follow; the province generator draws from them too. */
export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '罗',
  '宋',
];
export const HIS = ['志强', '建军', '晓峰', '国庆', '春生', '永刚', '明亮', '新民', '振东'];
export const HERS = ['秀英', '丽娜', '海燕', '红霞', '玉梅', '文静', '桂芳', '素珍', '雪莲'];

/** 我县 / 我区 / 我市 / 我省 as the place speaks of itself. */
export const we = (p: Place): string =>
  p.level === 'province' ? '我省' : p.level === 'city' ? '我市' : p.name.endsWith('区') ? '我区' : '我县';

/** 县 / 区 / 市 / 省: for "全县" and "县人民医院". */
export const tier = (p: Place): string =>
  p.level === 'province' ? '省' : p.level === 'city' ? '市' : p.name.endsWith('区') ? '区' : '县';

export const fullName = (r: Rng): string => r.pick(SURNAMES) + r.pick(r.chance(0.5) ? HIS : HERS);

/** Someone the story follows, with the pronoun that goes with the name. */
export function person(r: Rng): { name: string; pron: '他' | '她' } {
  const his = r.chance(0.5);
  return { name: r.pick(SURNAMES) + r.pick(his ? HIS : HERS), pron: his ? '他' : '她' };
}
export const mrOrMs = (r: Rng, who: string): string => `${who}${r.pick(SURNAMES)}${r.pick(['先生', '女士'])}`;
export const elder = (r: Rng): string => `${r.pick(SURNAMES)}${r.pick(['大爷', '大娘', '师傅', '大姐'])}`;

/** How the first paragraph opens: a date, or 近日 / 日前. */
export const lead = (c: StoryCtx): string =>
  c.r.pick([`${dayText(c.date)}，`, `${dayText(c.date)}上午，`, '近日，', '日前，', `${dayText(c.date)}下午，`]);

export const year = (c: StoryCtx): number => cstParts(c.date).year;
export const month = (c: StoryCtx): number => cstParts(c.date).month;

/** A place's farmland in 万亩, scaled to its level. */
export const mu = (c: StoryCtx, county: [number, number], city: [number, number], province: string): string =>
  c.p.level === 'province' ? province : String(c.p.level === 'city' ? c.r.int(...city) : c.r.int(...county));

/** One of the place's towns, districts or cities. */
export const area = (c: StoryCtx): string => c.r.pick(c.p.areas);
export const village = (c: StoryCtx): string => c.r.pick(c.p.villages);
/** A village with its town (county), or a community or village already named with its district (city, province). */
export const spot = (c: StoryCtx): string => (c.p.level === 'county' ? `${area(c)}${village(c)}` : village(c));

/** A round figure for "N余": 200–500 → 200, 210 … 500. */
export const about = (r: Rng, min: number, max: number, step = 10): number => Math.round(r.int(min, max) / step) * step;

export const pct = (r: Rng, min: number, max: number): string => `${(min + r.next() * (max - min)).toFixed(1)}%`;
