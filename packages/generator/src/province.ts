import type { TenantLevel } from '@yiduan/db';
import type { UnitKind } from '@yiduan/core';
import { PLACES, type DemoUnit, type Place, type UnitTopic } from '@yiduan/demo';

/**
 * The shape of the generated province: names, places (the facts story templates
 * draw from) and units. Real city names; county names are composed (enough
 * distinct ones for any configured count); every place borrows the landscape,
 * crops and sights of one of the demo places of its level, so stories read true.
 */

export const CITY_NAMES = [
  '郑州',
  '开封',
  '洛阳',
  '平顶山',
  '安阳',
  '鹤壁',
  '新乡',
  '焦作',
  '濮阳',
  '许昌',
  '漯河',
  '三门峡',
  '南阳',
  '商丘',
  '信阳',
  '周口',
  '驻马店',
  '济源',
];
export const COUNTY_FIRST = [
  '汝',
  '伊',
  '嵩',
  '栾',
  '宜',
  '新',
  '孟',
  '偃',
  '洛',
  '登',
  '巩',
  '荥',
  '中',
  '兰',
  '杞',
  '通',
  '尉',
  '鄢',
  '宝',
  '叶',
  '鲁',
  '郏',
  '舞',
  '林',
  '滑',
  '浚',
  '淇',
  '获',
  '原',
  '延',
  '封',
  '长',
  '修',
  '博',
  '武',
  '温',
  '清',
  '南',
  '范',
  '台',
  '濮',
  '鄢',
  '襄',
  '禹',
  '临',
  '舞',
  '卢',
  '渑',
  '义',
  '灵',
];
export const COUNTY_SECOND = [
  '阳',
  '川',
  '山',
  '安',
  '城',
  '平',
  '丰',
  '宁',
  '乡',
  '水',
  '源',
  '溪',
  '陵',
  '县',
  '河',
  '垣',
  '武',
  '台',
  '丘',
  '泉',
];

export interface GenTenant {
  index: number;
  slug: string;
  name: string;
  level: TenantLevel;
  /** index of the parent in the tenant list; null for the province */
  parent: number | null;
  place: Place;
  siteName: string;
}

export interface UnitSpec {
  slug: string;
  name: string;
  kind: UnitKind;
  topic: UnitTopic;
}

// what a county center hosts: bureaus and townships (20 by default; more repeat with a number)
const COUNTY_UNITS: readonly { slug: string; suffix: string; kind: UnitKind; topic: UnitTopic }[] = [
  { slug: 'jiaoyu', suffix: '教育局', kind: 'bureau', topic: 'education' },
  { slug: 'weijian', suffix: '卫生健康委员会', kind: 'bureau', topic: 'health' },
  { slug: 'nongye', suffix: '农业农村局', kind: 'bureau', topic: 'agriculture' },
  { slug: 'shichang', suffix: '市场监督管理局', kind: 'bureau', topic: 'market' },
  { slug: 'jiaotong', suffix: '交通运输局', kind: 'bureau', topic: 'transport' },
  { slug: 'wenlv', suffix: '文化广电和旅游局', kind: 'bureau', topic: 'culture' },
  { slug: 'renshe', suffix: '人力资源和社会保障局', kind: 'bureau', topic: 'market' },
  { slug: 'yibao', suffix: '医疗保障局', kind: 'bureau', topic: 'health' },
  { slug: 'zhujian', suffix: '住房和城乡建设局', kind: 'bureau', topic: 'transport' },
  { slug: 'shuili', suffix: '水利局', kind: 'bureau', topic: 'agriculture' },
  { slug: 'minzheng', suffix: '民政局', kind: 'bureau', topic: 'health' },
  { slug: 'gongan', suffix: '公安局', kind: 'bureau', topic: 'transport' },
  { slug: 'yingji', suffix: '应急管理局', kind: 'bureau', topic: 'market' },
  { slug: 'shengtai', suffix: '生态环境分局', kind: 'bureau', topic: 'agriculture' },
  { slug: 'tiyu', suffix: '体育事业发展中心', kind: 'institution', topic: 'culture' },
  { slug: 'tushuguan', suffix: '图书馆', kind: 'institution', topic: 'culture' },
];

/** The units of a county (or a few for a city and the province). */
export function unitsOf(t: GenTenant, perCounty: number): UnitSpec[] {
  const count = t.level === 'county' ? perCounty : t.level === 'city' ? Math.min(5, perCounty) : Math.min(3, perCounty);
  const short = t.place.short;
  const out: UnitSpec[] = [];
  const towns = t.place.areas;
  for (let i = 0; i < count; i++) {
    // a quarter are townships, named after the place's towns
    if (t.level === 'county' && i % 4 === 3 && towns.length) {
      const town = towns[Math.floor(i / 4) % towns.length]!;
      out.push({
        slug: `town-${String(i + 1).padStart(2, '0')}`,
        name: `${t.name}${town}人民政府`.slice(0, 60),
        kind: 'township',
        topic: 'township',
      });
      continue;
    }
    const u = COUNTY_UNITS[i % COUNTY_UNITS.length]!;
    const round = Math.floor(i / COUNTY_UNITS.length);
    out.push({
      slug: round ? `${u.slug}-${round + 1}` : u.slug,
      name: `${t.level === 'county' ? t.name : `${short}${t.level === 'city' ? '市' : '省'}`}${u.suffix}${round ? `（${round + 1}）` : ''}`.slice(
        0,
        60,
      ),
      kind: u.kind,
      topic: u.topic,
    });
  }
  return out;
}

const BASES: Record<TenantLevel, readonly string[]> = {
  province: ['henan'],
  city: ['zhengzhou', 'luoyang', 'shangqiu'],
  county: ['ruyang', 'yichuan', 'zhecheng', 'guancheng'],
};

function placeFor(slug: string, name: string, short: string, level: TenantLevel, i: number): Place {
  const baseSlugs = BASES[level];
  const base = PLACES[baseSlugs[i % baseSlugs.length]!]!;
  return { ...base, slug, name, short, level, units: [] };
}

/** 1 province, `cities` cities, `counties` counties spread round-robin under the cities. */
export function provinceTree(cities: number, counties: number): GenTenant[] {
  if (cities < 1 || cities > 99) throw new Error('cities must be 1–99');
  if (counties < 0 || counties > COUNTY_FIRST.length * COUNTY_SECOND.length)
    throw new Error(`counties must be 0–${COUNTY_FIRST.length * COUNTY_SECOND.length}`);
  const out: GenTenant[] = [
    {
      index: 0,
      slug: 'henan',
      name: '河南省',
      level: 'province',
      parent: null,
      place: placeFor('henan', '河南省', '河南', 'province', 0),
      siteName: '河南融媒',
    },
  ];
  for (let i = 0; i < cities; i++) {
    const short =
      CITY_NAMES[i % CITY_NAMES.length]! +
      (i >= CITY_NAMES.length ? String(Math.floor(i / CITY_NAMES.length) + 1) : '');
    const slug = `city-${String(i + 1).padStart(2, '0')}`;
    out.push({
      index: out.length,
      slug,
      name: `${short}市`,
      level: 'city',
      parent: 0,
      place: placeFor(slug, `${short}市`, short, 'city', i),
      siteName: `${short}融媒`,
    });
  }
  const seen = new Set<string>();
  for (let i = 0; i < counties; i++) {
    // walk the name grid diagonally so neighbours differ in both characters
    let k = i;
    let short: string;
    do {
      short = `${COUNTY_FIRST[k % COUNTY_FIRST.length]}${COUNTY_SECOND[Math.floor(k / COUNTY_FIRST.length) % COUNTY_SECOND.length]}`;
      k += 7;
    } while (seen.has(short));
    seen.add(short);
    const slug = `county-${String(i + 1).padStart(3, '0')}`;
    out.push({
      index: out.length,
      slug,
      name: `${short}县`,
      level: 'county',
      parent: 1 + (i % cities),
      place: placeFor(slug, `${short}县`, short, 'county', i),
      siteName: `${short}县融媒体中心`,
    });
  }
  return out;
}

/** DemoUnit view of a generated unit, for the unit story templates. */
export function demoUnit(u: UnitSpec): DemoUnit {
  return { slug: u.slug, name: u.name, kind: u.kind, topic: u.topic };
}
