import type { TenantLevel } from '@yiduan/db';
import type { UnitKind } from '@yiduan/core';

/** What a government unit mostly writes about; picks its story templates. */
export type UnitTopic = 'education' | 'township' | 'culture' | 'agriculture' | 'health' | 'market' | 'transport';

export interface DemoUnit {
  slug: string;
  name: string;
  kind: UnitKind;
  topic: UnitTopic;
  /** the unit's own staff member (counties only): display name */
  member?: string;
}

/** editor2: a second editor, so an editor's own story finds a colleague to sign its first step */
export type DeskRole = 'reporter' | 'editor' | 'editor2' | 'reviewer' | 'chief' | 'admin';

/** Facts of one place that story templates draw from, so each face reads like its own town. */
export interface Place {
  slug: string;
  /** full name used in running text: 汝阳县, 洛阳市, 河南省 */
  name: string;
  /** short name: 汝阳 */
  short: string;
  level: TenantLevel;
  /** farming is a topic here (not in an urban district) */
  rural: boolean;
  /** towns for a county, districts for a city, cities for the province */
  areas: string[];
  /** villages (or urban communities) */
  villages: string[];
  crops: string[];
  industries: string[];
  sights: string[];
  heritage: string[];
  foods: string[];
  river: string;
  hospital: string;
  schools: string[];
  roads: string[];
  market: string;
  units: DemoUnit[];
  people: Record<DeskRole, string>;
  /** 通讯员 and 实习生 named in author lines */
  stringers: string[];
}

export const PLACES: Record<string, Place> = {
  henan: {
    slug: 'henan',
    name: '河南省',
    short: '河南',
    level: 'province',
    rural: true,
    areas: ['郑州', '洛阳', '开封', '南阳', '周口', '信阳', '商丘', '新乡', '驻马店', '安阳'],
    villages: ['兰考县张庄村', '光山县东岳村', '新县田铺大塆', '辉县市裴寨村'],
    crops: ['小麦', '玉米', '花生', '大豆'],
    industries: ['新能源汽车', '超硬材料', '现代食品', '电子信息', '先进装备制造'],
    sights: ['龙门石窟', '少林寺', '清明上河园', '云台山', '殷墟博物馆'],
    heritage: ['豫剧', '朱仙镇木版年画', '汝瓷烧制技艺', '太极拳'],
    foods: ['烩面', '胡辣汤', '道口烧鸡'],
    river: '黄河',
    hospital: '河南省人民医院',
    schools: ['郑州大学', '河南大学'],
    roads: ['沿黄高速', '郑开大道'],
    market: '万邦国际农产品物流城',
    units: [{ slug: 'wenlvting', name: '河南省文化和旅游厅', kind: 'bureau', topic: 'culture' }],
    people: {
      reporter: '王嘉宁',
      editor: '刘书恒',
      editor2: '周若涵',
      reviewer: '陈静怡',
      chief: '赵国栋',
      admin: '孙立新',
    },
    stringers: ['周晓雯', '郭子涵', '马天宇'],
  },
  zhengzhou: {
    slug: 'zhengzhou',
    name: '郑州市',
    short: '郑州',
    level: 'city',
    rural: false,
    areas: ['金水区', '二七区', '中原区', '管城回族区', '惠济区', '郑东新区', '航空港区', '中牟县'],
    villages: ['凤凰台社区', '淮河路社区', '燕庄社区', '大学路社区'],
    crops: ['中牟大蒜', '新郑大枣', '河阴石榴'],
    industries: ['新能源汽车', '电子信息', '航空物流', '现代食品'],
    sights: ['郑州商代都城遗址', '黄河风景名胜区', '郑州博物馆', '郑州植物园'],
    heritage: ['豫剧', '少林功夫', '超化吹歌'],
    foods: ['烩面', '葛记焖饼', '蔡记蒸饺'],
    river: '贾鲁河',
    hospital: '郑州市中心医院',
    schools: ['郑州市第一中学', '郑州外国语学校'],
    roads: ['中州大道', '农业路', '陇海路'],
    market: '万邦国际农产品物流城',
    units: [
      { slug: 'jiaotong', name: '郑州市交通运输局', kind: 'bureau', topic: 'transport' },
      { slug: 'weijian', name: '郑州市卫生健康委员会', kind: 'bureau', topic: 'health' },
    ],
    people: {
      reporter: '李梦瑶',
      editor: '张海涛',
      editor2: '秦雨萱',
      reviewer: '黄文博',
      chief: '吴建华',
      admin: '徐晓峰',
    },
    stringers: ['冯雨桐', '韩冬', '曹一鸣'],
  },
  luoyang: {
    slug: 'luoyang',
    name: '洛阳市',
    short: '洛阳',
    level: 'city',
    rural: true,
    areas: ['老城区', '西工区', '涧西区', '洛龙区', '孟津区', '偃师区', '汝阳县', '伊川县', '栾川县'],
    villages: ['孟津区卫坡村', '栾川县重渡沟村', '偃师区缑氏镇', '洛龙区安乐镇'],
    crops: ['孟津梨', '新安樱桃', '牡丹籽油'],
    industries: ['农机装备', '新材料', '轴承制造', '文化旅游'],
    sights: ['龙门石窟', '白马寺', '应天门遗址博物馆', '洛邑古城', '老君山'],
    heritage: ['唐三彩烧制技艺', '河洛大鼓', '洛阳宫灯'],
    foods: ['洛阳水席', '牛肉汤', '浆面条', '不翻汤'],
    river: '洛河',
    hospital: '洛阳市中心医院',
    schools: ['洛阳市第一高级中学', '洛阳理工学院'],
    roads: ['王城大道', '开元大道', '九都路'],
    market: '宏进农副产品批发市场',
    units: [{ slug: 'wenlv', name: '洛阳市文化广电和旅游局', kind: 'bureau', topic: 'culture' }],
    people: {
      reporter: '杨思远',
      editor: '朱丽娟',
      editor2: '范志强',
      reviewer: '高明轩',
      chief: '林振华',
      admin: '何佳',
    },
    stringers: ['罗晓光', '郑一帆', '梁雪'],
  },
  shangqiu: {
    slug: 'shangqiu',
    name: '商丘市',
    short: '商丘',
    level: 'city',
    rural: true,
    areas: ['梁园区', '睢阳区', '永城市', '夏邑县', '虞城县', '柘城县', '民权县', '宁陵县', '睢县'],
    villages: ['宁陵县石桥镇', '民权县王公庄村', '虞城县营廓镇', '夏邑县歧河乡'],
    crops: ['宁陵酥梨', '柘城辣椒', '小麦', '夏邑西瓜'],
    industries: ['制冷装备', '超硬材料', '制鞋', '食品加工'],
    sights: ['商丘古城', '燧皇陵', '应天书院', '芒砀山', '阏伯台'],
    heritage: ['商丘火文化', '木兰传说', '睢县木版年画'],
    foods: ['水激馍', '垛子羊肉', '商丘烧鸡'],
    river: '黄河故道',
    hospital: '商丘市第一人民医院',
    schools: ['商丘市第一高级中学', '商丘师范学院'],
    roads: ['神火大道', '凯旋路', '归德路'],
    market: '商丘农产品中心批发市场',
    units: [
      { slug: 'nongye', name: '商丘市农业农村局', kind: 'bureau', topic: 'agriculture' },
      { slug: 'shichang', name: '商丘市市场监督管理局', kind: 'bureau', topic: 'market' },
    ],
    people: {
      reporter: '宋雅琪',
      editor: '唐志刚',
      editor2: '袁梦琪',
      reviewer: '许文静',
      chief: '邓国强',
      admin: '韩磊',
    },
    stringers: ['彭晓东', '曾琳', '谢宇航'],
  },
  guancheng: {
    slug: 'guancheng',
    name: '管城回族区',
    short: '管城',
    level: 'county',
    rural: false,
    areas: [
      '北下街街道',
      '西大街街道',
      '南关街道',
      '城东路街道',
      '东大街街道',
      '紫荆山南路街道',
      '航海东路街道',
      '十八里河街道',
    ],
    villages: ['书院街社区', '东三街社区', '商城路社区', '南关社区', '文庙社区'],
    crops: ['蔬菜', '葡萄'],
    industries: ['商贸物流', '文化旅游', '数字经济', '现代服务业'],
    sights: ['郑州商代都城遗址', '郑州城隍庙', '郑州文庙', '北顺城街历史文化街区', '熊耳河滨河公园'],
    heritage: ['豫剧', '剪纸', '面塑', '糖画'],
    foods: ['烩面', '胡辣汤', '牛肉烧饼'],
    river: '熊耳河',
    hospital: '管城回族区人民医院',
    schools: ['管城回族区实验小学', '书院街小学', '管城回族区第一初级中学'],
    roads: ['紫荆山路', '城东路', '商城路', '航海东路'],
    market: '南关农贸市场',
    units: [
      { slug: 'jiaoyu', name: '管城回族区教育局', kind: 'bureau', topic: 'education', member: '秦玉洁' },
      { slug: 'beixiajie', name: '管城回族区北下街街道办事处', kind: 'township', topic: 'township', member: '袁立军' },
      { slug: 'weijian', name: '管城回族区卫生健康委员会', kind: 'bureau', topic: 'health', member: '潘晓丽' },
    ],
    people: {
      reporter: '蒋晨曦',
      editor: '沈浩然',
      editor2: '潘晓东',
      reviewer: '贾芳',
      chief: '崔志强',
      admin: '程亮',
    },
    stringers: ['杜雨萱', '夏天', '钟晓明'],
  },
  ruyang: {
    slug: 'ruyang',
    name: '汝阳县',
    short: '汝阳',
    level: 'county',
    rural: true,
    areas: ['城关镇', '上店镇', '付店镇', '小店镇', '刘店镇', '内埠镇', '三屯镇', '陶营镇', '柏树乡', '十八盘乡'],
    villages: ['王坪村', '马兰村', '河西村', '东保村', '南街村'],
    crops: ['红薯', '香菇', '核桃', '艾草'],
    industries: ['杜康酒酿造', '红薯粉条加工', '新型材料', '香菇种植'],
    sights: ['西泰山景区', '杜康仙庄', '汝阳恐龙遗迹园', '炎黄科技园'],
    heritage: ['杜康酒传统酿造技艺', '豫剧', '剪纸', '汝阳旱船'],
    foods: ['红薯粉条', '浆面条', '香菇酱'],
    river: '北汝河',
    hospital: '汝阳县人民医院',
    schools: ['汝阳县第一高级中学', '汝阳县实验小学', '城关镇第二小学'],
    roads: ['杜康大道', '汝河路', '紫罗山路'],
    market: '城关农贸市场',
    units: [
      { slug: 'jiaoyu', name: '汝阳县教育局', kind: 'bureau', topic: 'education', member: '范志红' },
      { slug: 'chengguan', name: '汝阳县城关镇人民政府', kind: 'township', topic: 'township', member: '石建伟' },
      { slug: 'wenlv', name: '汝阳县文化广电和旅游局', kind: 'bureau', topic: 'culture', member: '姚佳慧' },
    ],
    people: { reporter: '张明', editor: '李华', editor2: '杜雅文', reviewer: '王秀兰', chief: '刘建国', admin: '陈磊' },
    stringers: ['赵晓燕', '孙浩', '周一凡'],
  },
  yichuan: {
    slug: 'yichuan',
    name: '伊川县',
    short: '伊川',
    level: 'county',
    rural: true,
    areas: ['城关街道', '鸣皋镇', '白沙镇', '彭婆镇', '吕店镇', '高山镇', '江左镇', '鸦岭镇'],
    villages: ['北沟村', '南府店村', '顺阳村', '西村', '马庄村'],
    crops: ['小米', '红薯', '丹参', '设施蔬菜'],
    industries: ['铝精深加工', '耐火材料', '新能源', '农产品加工'],
    sights: ['二程故里', '伊川书院', '范园', '伊河湿地公园'],
    heritage: ['二程理学文化', '豫剧', '伊川社火', '剪纸'],
    foods: ['小米粥', '小米煎饼', '浆面条'],
    river: '伊河',
    hospital: '伊川县人民医院',
    schools: ['伊川县第一高级中学', '伊川县实验小学', '鸣皋镇中心小学'],
    roads: ['伊河路', '程园路', '杜康大道'],
    market: '城关农贸市场',
    units: [
      { slug: 'nongye', name: '伊川县农业农村局', kind: 'bureau', topic: 'agriculture', member: '段红梅' },
      { slug: 'minggao', name: '伊川县鸣皋镇人民政府', kind: 'township', topic: 'township', member: '雷振宇' },
      { slug: 'weijian', name: '伊川县卫生健康委员会', kind: 'bureau', topic: 'health', member: '侯艳' },
    ],
    people: {
      reporter: '董佳琪',
      editor: '萧文涛',
      editor2: '邹明杰',
      reviewer: '田淑芬',
      chief: '任志远',
      admin: '姜涛',
    },
    stringers: ['薛梅', '邵鹏', '万小川'],
  },
  zhecheng: {
    slug: 'zhecheng',
    name: '柘城县',
    short: '柘城',
    level: 'county',
    rural: true,
    areas: ['城关镇', '起台镇', '胡襄镇', '慈圣镇', '安平镇', '远襄镇', '岗王镇', '陈青集镇'],
    villages: ['王楼村', '李庄村', '后屯村', '大魏村', '张桥村'],
    crops: ['辣椒', '小麦', '花生', '大蒜'],
    industries: ['超硬材料', '辣椒深加工', '食品加工', '纺织服装'],
    sights: ['容湖', '孟庄遗址', '中国辣椒城', '惠济河湿地'],
    heritage: ['豫剧', '唢呐', '剪纸', '柘城大鼓'],
    foods: ['辣椒酱', '羊肉汤', '柘城烧饼'],
    river: '惠济河',
    hospital: '柘城县人民医院',
    schools: ['柘城县第一高级中学', '柘城县实验小学', '起台镇中心小学'],
    roads: ['长江路', '人民路', '朱襄路'],
    market: '城区农贸市场',
    units: [
      { slug: 'nongye', name: '柘城县农业农村局', kind: 'bureau', topic: 'agriculture', member: '黎晓冬' },
      { slug: 'shichang', name: '柘城县市场监督管理局', kind: 'bureau', topic: 'market', member: '易红' },
    ],
    people: { reporter: '常乐', editor: '武文斌', editor2: '彭雪梅', reviewer: '龚丽', chief: '孔德明', admin: '白杨' },
    stringers: ['毛晓雨', '康宁', '尹子轩'],
  },
};

export const placeOf = (slug: string): Place => {
  const p = PLACES[slug];
  if (!p) throw new Error(`no demo facts for tenant ${slug}`);
  return p;
};
