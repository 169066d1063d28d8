import { fullName, lead, month, pct, spot, tier, we } from './common.js';
import { h2, list, para, picture, quote, type StoryCtx, type StoryDraft, type Template } from './types.js';

// 政务: the government's own work (the units' own notices are in units.ts).

function oneThing(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const faster = r.int(40, 75);
  const items = r.some(['新生儿出生', '企业开办', '退休', '不动产登记', '二手房转移登记', '残疾人服务', '员工录用'], 3);
  return {
    title: r.pick([
      `"一件事一次办"再提速 ${items[0]}等事项实现一窗通办`,
      `少跑腿、快办事：${p.short}政务服务推出"${items[0]}一件事"套餐`,
    ]),
    summary: `${p.short}政务服务中心将${items.join('、')}等高频事项整合为"一件事"，办理时间平均压缩${faster}%。`,
    tags: ['政务服务', '一件事一次办', '营商环境'],
    body: [
      para(
        `${lead(c)}在${p.short}政务服务中心综合受理窗口，市民${fullName(r)}只提交了一套材料，不到半小时就办完了${items[0]}相关的全部手续。"原来要跑好几个部门，现在一个窗口就办好了。"`,
      ),
      para(
        `据介绍，${we(p)}围绕群众和企业眼中的"一件事"，对${items.join('、')}等高频事项进行流程再造，推行"一次告知、一表申请、一窗受理、一网通办"，办理时间平均压缩${faster}%，提交材料平均减少${r.int(30, 60)}%。`,
      ),
      h2('怎么办'),
      list(
        [
          `线下：到${p.short}政务服务中心综合受理窗口办理`,
          '线上：登录"豫事办"或河南政务服务网搜索相应事项',
          '咨询：拨打12345政务服务便民热线',
        ],
        true,
      ),
      para(`下一步，${we(p)}将继续拓展"一件事"覆盖范围，让更多事项"网上办、掌上办、就近办"。`),
    ],
  };
}

function hotline(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const m = month(c) === 1 ? 12 : month(c) - 1;
  const total =
    p.level === 'province' ? r.int(120000, 260000) : p.level === 'city' ? r.int(30000, 90000) : r.int(3000, 9000);
  const topics = r.some(
    ['供暖', '物业管理', '噪声扰民', '道路维修', '劳动欠薪', '公交出行', '燃气供应', '市场价格'],
    4,
  );
  return {
    title: `${m}月份12345热线受理群众诉求${total}件 按时办结率${pct(r, 97, 99.6)}`,
    summary: `${m}月份，${p.short}12345政务服务便民热线共受理群众诉求${total}件，群众关注的热点集中在${topics.slice(0, 3).join('、')}等方面。`,
    tags: ['12345热线', '政务服务'],
    body: [
      para(
        `记者从${p.short}12345政务服务便民热线获悉，${m}月份热线共受理群众诉求${total}件，其中咨询类占${pct(r, 40, 55)}，求助类占${pct(r, 20, 30)}，投诉类占${pct(r, 15, 25)}，按时办结率和群众满意率均保持在较高水平。`,
      ),
      para(`从诉求内容看，群众反映较为集中的问题主要有：`),
      list(
        topics.map((t, i) => `${t}类诉求${Math.round(total * (0.12 - i * 0.02))}件`),
        true,
      ),
      para(
        `针对${topics[0]}类诉求较多的情况，热线已会同相关部门建立专项协调机制，对反复投诉的问题挂牌督办。${r.pick(['一名反映小区路灯不亮的市民在工单派发后第二天就收到了回复。', '一位反映楼道堆放杂物的居民表示，问题三天内就得到了解决。'])}`,
      ),
      para(`热线工作人员提醒，群众可通过拨打12345或登录网上平台反映诉求，也可对办理结果进行评价。`),
    ],
  };
}

function enterpriseTalk(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const firms = r.int(15, 40);
  const solved = r.int(12, 48);
  return {
    title: r.pick([
      `${p.short}召开企业家座谈会 现场解决问题${solved}个`,
      `面对面听心声 ${p.short}"企业服务日"帮企解难题`,
    ]),
    summary: `座谈会上，${firms}家企业代表提出用工、融资、用地等方面的问题，相关部门现场回应，当场解决${solved}个。`,
    tags: ['营商环境', '企业服务', '万人助万企'],
    body: [
      para(
        `${lead(c)}${we(p)}召开企业家座谈会，来自${r.pick(p.industries)}、商贸物流等领域的${firms}家企业代表围绕用工、融资、用地、审批等问题畅所欲言，发改、人社、自然资源、税务等部门负责人现场回应。`,
      ),
      quote(`我们反映的一笔退税问题，会上当场就有了答复，效率非常高。`, `一家${r.pick(p.industries)}企业负责人`),
      para(
        `会上，各部门对企业反映的问题逐一登记、分类交办，能当场解决的当场解决，需要协调的明确责任单位和完成时限。当天共收集问题${solved + r.int(5, 20)}个，现场解决${solved}个。`,
      ),
      para(
        `据了解，${we(p)}深入开展"万人助万企"活动，建立了企业诉求"收集—交办—办理—反馈"闭环机制，今年以来累计帮助企业解决问题${r.int(300, 1500)}个。`,
      ),
    ],
  };
}

function forestFire(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const rangers = r.int(200, 800);
  return {
    title: r.pick([`${p.short}部署冬春森林防灭火工作`, `严防死守 ${p.short}全面进入森林防火紧要期`]),
    summary: `${we(p)}进入森林防火紧要期，${rangers}名护林员上岗巡查，重点林区实行野外用火审批和入山登记。`,
    tags: ['森林防火', '应急管理'],
    body: [
      para(`${lead(c)}${we(p)}召开冬春森林防灭火工作会议，对当前和今后一个时期的森林防灭火工作进行部署。`),
      para(
        `会议要求，各乡镇和有关部门要压实责任，落实网格化管理，加强野外火源管控，做好扑火队伍、物资和装备准备。目前，${we(p)}${rangers}名护林员已全部上岗，在重点林区和进山路口设置检查站${r.int(20, 90)}个。`,
      ),
      picture(`护林员在山林中巡查（示意图）`),
      h2('进山请注意'),
      list([
        '严禁携带火种进山',
        '严禁在林区吸烟、烧纸、燃放烟花爆竹',
        '严禁在林区及周边焚烧秸秆、杂草',
        '发现火情请立即拨打12119或119',
      ]),
      para(`${tier(p)}应急管理部门提醒，违规野外用火将依法追责，情节严重的将追究刑事责任。`),
    ],
  };
}

function ruralRoads(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const bridges = r.int(3, 15);
  const km = r.int(40, 180);
  const where = spot(c);
  return {
    title: r.pick([
      `"四好农村路"通到家门口 ${p.short}今年新改建农村公路${km}公里`,
      `路通了 产业旺了：${where}的"致富路"`,
    ]),
    summary: `今年以来，${we(p)}新改建农村公路${km}公里，实施危桥改造${bridges}座，群众出行和农产品外运更加便利。`,
    tags: ['四好农村路', '交通', '乡村振兴'],
    body: [
      para(
        `沿着新修的柏油路驶进${where}，道路两旁的路灯和护栏整齐排列。"以前是坑坑洼洼的土路，一下雨就没法走，收的庄稼也运不出去。"村民${fullName(r)}说。`,
      ),
      para(
        `今年以来，${we(p)}持续推进"四好农村路"建设，新改建农村公路${km}公里，实施危桥改造${bridges}座，安装安全防护设施${r.int(30, 120)}公里，农村公路优良中等路率达到${pct(r, 86, 94)}。`,
      ),
      picture(`新修的农村公路（示意图）`),
      para(
        `路通了，产业也跟着活了。${where}依托新修道路发展${r.pick(p.crops)}种植和乡村旅游，村集体经济收入逐年增加。`,
      ),
      para(`${tier(p)}交通运输部门表示，将坚持建管养运并重，让农村公路不仅修得好，更要管得好、养得好、运营好。`),
    ],
  };
}

export const ZHENGWU: readonly Template[] = [
  { id: 'one-thing', section: 'zhengwu', scene: 'city', make: oneThing },
  { id: 'hotline', section: 'zhengwu', scene: 'city', make: hotline },
  { id: 'enterprise-talk', section: 'zhengwu', scene: 'city', make: enterpriseTalk },
  {
    id: 'forest-fire',
    section: 'zhengwu',
    rural: true,
    seasons: ['autumn', 'winter', 'spring'],
    scene: 'hills',
    make: forestFire,
  },
  { id: 'rural-roads', section: 'zhengwu', rural: true, levels: ['county', 'city'], scene: 'hills', make: ruralRoads },
];
