import type { TenantLevel } from '@yiduan/db';
import type { Theme } from '@yiduan/core';

/** The demo province: one tenant per institution, each with its own colours. */
export interface DemoTenant {
  slug: string;
  name: string;
  level: TenantLevel;
  parent: string | null;
  siteName: string;
  tagline: string;
  theme: Theme;
}

const theme = (primary: string, accent: string): Theme => ({
  primary,
  accent,
  background: '#ffffff',
  text: '#1f2328',
  headerText: '#ffffff',
});

export const DEMO_TREE: readonly DemoTenant[] = [
  {
    slug: 'henan',
    name: '河南',
    level: 'province',
    parent: null,
    siteName: '河南融媒',
    tagline: '一端百面 · 全省融媒体平台',
    theme: theme('#b71c1c', '#f9a825'),
  },
  {
    slug: 'zhengzhou',
    name: '郑州',
    level: 'city',
    parent: 'henan',
    siteName: '郑州融媒',
    tagline: '郑州市融媒体中心',
    theme: theme('#0d47a1', '#ffb300'),
  },
  {
    slug: 'luoyang',
    name: '洛阳',
    level: 'city',
    parent: 'henan',
    siteName: '洛阳融媒',
    tagline: '洛阳市融媒体中心',
    theme: theme('#6a1b9a', '#ffca28'),
  },
  {
    slug: 'shangqiu',
    name: '商丘',
    level: 'city',
    parent: 'henan',
    siteName: '商丘融媒',
    tagline: '商丘市融媒体中心',
    theme: theme('#1b5e20', '#fdd835'),
  },
  {
    slug: 'guancheng',
    name: '管城回族区',
    level: 'county',
    parent: 'zhengzhou',
    siteName: '管城融媒',
    tagline: '管城回族区融媒体中心',
    theme: theme('#004d40', '#ffab00'),
  },
  {
    slug: 'ruyang',
    name: '汝阳县',
    level: 'county',
    parent: 'luoyang',
    siteName: '汝阳县融媒体中心',
    tagline: '杜康故里 · 恐龙之乡',
    theme: theme('#bf360c', '#ffd54f'),
  },
  {
    slug: 'yichuan',
    name: '伊川县',
    level: 'county',
    parent: 'luoyang',
    siteName: '伊川县融媒体中心',
    tagline: '伊水之滨 · 二程故里',
    theme: theme('#01579b', '#ffd740'),
  },
  {
    slug: 'zhecheng',
    name: '柘城县',
    level: 'county',
    parent: 'shangqiu',
    siteName: '柘城县融媒体中心',
    tagline: '中国辣椒之乡',
    theme: theme('#4e342e', '#ffcc80'),
  },
];
