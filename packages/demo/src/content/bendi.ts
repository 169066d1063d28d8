import { num } from '../text.js';
import { about, area, elder, fullName, lead, mrOrMs, mu, pct, person, spot, tier, we } from './common.js';
import { h2, list, para, picture, quote, type StoryCtx, type StoryDraft, type Template } from './types.js';

// 本地: the place's own news — farming, industry, projects, people.

function farmSeason(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const where = p.level === 'province' ? '全省' : p.level === 'city' ? `${r.pick(p.areas)}` : area(c);
  const size = mu(c, [12, 30], [180, 420], '8500万亩以上');
  const expert = `${p.level === 'province' ? '省农业农村厅' : `${tier(p)}农业农村局`}高级农艺师${fullName(r)}`;
  const farmer = elder(r);
  const byseason = {
    autumn: {
      title: r.pick([
        `冬前麦田管理正当时 ${p.short}农技人员田间"把脉"`,
        `${where}：${size}万亩冬小麦出苗整齐 田管跟进`,
        `抓好冬前管理 ${p.short}冬小麦苗情总体偏好`,
      ]),
      work: '冬前麦田管理',
      tips: [
        '墒情适宜的地块及时镇压，踏实土壤、保墒防冻',
        '日均气温稳定在10℃以上时开展化学除草',
        '缺墒地块在立冬至小雪期间浇好越冬水',
        '密切关注蚜虫、红蜘蛛等病虫害发生动态',
      ],
      scene: '麦苗已经长到三叶一心，放眼望去一片嫩绿',
    },
    winter: {
      title: r.pick([`入冬麦田管理不松劲 ${p.short}农技专家进村指导`, `${where}：${size}万亩小麦安全越冬有保障`]),
      work: '越冬期麦田管理',
      tips: ['禁止在麦田放牧啃青', '降雪后及时清理田间沟渠', '苗情偏弱的地块适时追施少量氮肥', '大棚蔬菜做好保温增光'],
      scene: '冬日的麦田里，麦苗贴地生长，根系扎得正深',
    },
    spring: {
      title: r.pick([`春管春灌忙 ${p.short}${size}万亩小麦进入返青拔节期`, `${where}：抢抓农时搞好春季麦田管理`]),
      work: '春季麦田管理',
      tips: [
        '返青期及时划锄，提高地温',
        '拔节期适时浇水追肥',
        '做好条锈病、赤霉病的监测和统防统治',
        '"一喷三防"物资提前到位',
      ],
      scene: '返青的麦苗长势旺盛，田间一派繁忙景象',
    },
    summer: {
      title: r.pick([`"三夏"生产有序推进 ${p.short}小麦机收进度过半`, `${where}：颗粒归仓保丰收`]),
      work: '"三夏"生产',
      tips: [
        '合理调度收割机，减少跨区作业等待',
        '收获后及时晾晒，防止霉变',
        '抢墒播种夏玉米、大豆',
        '严禁焚烧秸秆，推进秸秆还田',
      ],
      scene: '金黄的麦浪里，一台台收割机来回穿梭',
    },
  }[c.season];
  return {
    title: byseason.title,
    summary: `${we(p)}组织农技人员深入田间地头，指导群众抓好${byseason.work}，为来年丰收打下基础。`,
    tags: ['农业生产', '小麦', p.short],
    body: [
      para(
        `${lead(c)}记者在${where}看到，${byseason.scene}。几名农技人员蹲在地头，查看苗情、测量墒情，并向种植户讲解下一阶段的管理要点。`,
      ),
      para(
        `据了解，${p.level === 'province' ? '全省' : `${we(p)}`}今年小麦种植面积${size}万亩，播种质量总体较好，一类苗和二类苗占比${pct(r, 78, 88)}。${expert}介绍，当前正是${byseason.work}的关键时期，"管得好不好，直接关系到明年的收成"。`,
      ),
      picture(`农技人员在田间查看小麦长势（示意图）`),
      para(
        `为把技术送到农民手中，${we(p)}组建了${r.int(12, 40)}支农技服务小分队，采取"专家包片、技术员包村"的办法，逐地块开展指导。`,
      ),
      h2('管理要点'),
      list(byseason.tips),
      quote(`以前种地靠经验，现在有专家上门指导，心里踏实多了。`, `种植户${farmer}`),
      para(`下一步，${we(p)}将持续做好气象预警和技术服务，确保小麦稳产增产。`),
    ],
  };
}

function industryProject(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const industry = r.pick(p.industries);
  const amount = p.level === 'county' ? r.int(3, 18) : r.int(20, 85);
  const jobs = p.level === 'county' ? about(r, 200, 900) : about(r, 1000, 4000, 100);
  const verb = r.pick(['开工', '投产', '签约落地']);
  const where = p.level === 'province' ? r.pick(p.areas) : area(c);
  return {
    title: r.pick([
      `总投资${amount}亿元 ${p.short}${industry}项目${verb}`,
      `${industry}产业链再添新成员 ${where}一重点项目${verb}`,
    ]),
    summary: `该项目总投资${amount}亿元，${verb === '投产' ? '投产' : '建成'}后预计可带动就业${jobs}余人，进一步壮大${p.short}${industry}产业。`,
    tags: ['项目建设', industry, '招商引资'],
    body: [
      para(
        `${lead(c)}位于${where}的${industry}项目现场${verb === '开工' ? '机器轰鸣，一期工程正式开工建设' : verb === '投产' ? '正式投产，首批产品顺利下线' : '举行签约仪式，项目正式落户'}。`,
      ),
      para(
        `据介绍，该项目总投资${amount}亿元，主要建设生产车间、研发中心及配套设施，全部达产后年产值预计可达${Math.round(amount * r.int(12, 20)) / 10}亿元，可带动就业${jobs}余人。`,
      ),
      picture(`项目建设现场（示意图）`),
      quote(
        `从洽谈到${verb}只用了${r.int(3, 9)}个月，各部门全程帮办代办，审批事项能并联的都并联了。`,
        `项目负责人${fullName(r)}`,
      ),
      para(
        `近年来，${we(p)}围绕${industry}产业延链补链强链，引进了一批上下游配套企业，产业集聚效应逐步显现。今年以来，${we(p)}新签约亿元以上项目${r.int(8, 36)}个。`,
      ),
      para(`下一步，${we(p)}将持续优化营商环境，为项目建设提供要素保障，推动项目早建成、早见效。`),
    ],
  };
}

function ecommerce(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const crop = r.pick(p.crops);
  const where = p.level === 'province' ? r.pick(p.villages) : spot(c);
  const host = fullName(r);
  const orders = r.int(800, 6000);
  return {
    title: r.pick([
      `直播间里卖${crop} ${p.short}农产品"触网"走俏`,
      `小屏幕连着大市场：${where}的${crop}搭上电商快车`,
      `${crop}"线上热卖" 一场直播成交${orders}单`,
    ]),
    summary: `借助直播电商，${where}的${crop}卖向全国，一场直播成交${orders}单，村民在家门口增收。`,
    tags: ['电商', crop, '乡村振兴'],
    body: [
      para(
        `"家人们看一看，这是咱刚收的${crop}，都是自家地里种的……"${lead(c)}在${where}的电商服务站里，返乡青年${host}正对着手机镜头介绍产品，屏幕上的订单提示音不断响起。`,
      ),
      para(
        `当天的直播持续了${r.int(3, 5)}个小时，共成交${orders}单，销售额${num(Math.round((orders * r.int(30, 80)) / 1000) / 10)}万元。${host}说，直播间的粉丝大多来自省外，不少老顾客已经是第三次下单。`,
      ),
      picture(`村民在电商服务站打包发货（示意图）`),
      para(
        `为帮助农产品走出去，${we(p)}建成了覆盖${tier(p)}、乡、村三级的电商服务体系，并与快递企业合作开通了农产品寄递"绿色通道"，村里打包的货物当天就能发出。`,
      ),
      quote(
        `以前${crop}只能等着收购商上门，价格人家说了算；现在自己开直播，价钱高了，心里也有底了。`,
        `村民${elder(r)}`,
      ),
      para(`今年以来，${we(p)}累计培训电商人才${r.int(300, 1500)}人次，农产品网络零售额同比增长${pct(r, 12, 28)}。`),
    ],
  };
}

function villageEnvironment(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const v = spot(c);
  return {
    title: r.pick([
      `${v}：小村庄变身"美丽庭院"`,
      `人居环境整治让${v}美起来`,
      `走进${v}：干净整洁的村道，错落有致的小游园`,
    ]),
    summary: `通过拆除残垣断壁、建设小游园、推行垃圾分类，${v}的人居环境明显改善，村民的获得感不断增强。`,
    tags: ['人居环境', '乡村振兴', '和美乡村'],
    body: [
      para(
        `走进${v}，平整的水泥路通到家家户户门口，墙面上的彩绘描绘着村里的老故事，房前屋后的小菜园用篱笆围得整整齐齐。`,
      ),
      para(
        `"以前这儿是一片废弃宅基地，堆满了杂物。"村党支部书记${fullName(r)}指着村口的小游园说，今年村里发动群众投工投劳，拆除残垣断壁${r.int(20, 60)}处，建成小游园、小菜园${r.int(6, 18)}个。`,
      ),
      picture(`${v}一角（示意图）`),
      h2('村民成了主角'),
      para(
        `村里开展"美丽庭院"评比，每月评一次，得分张榜公布，积分可以在"爱心超市"兑换日用品。村民参与的积极性越来越高，${r.pick(['不少在外务工的村民回来后都说认不出自己的村子了', '村里的红白喜事也简办了，文明新风吹进了千家万户'])}。`,
      ),
      quote('环境好了，住着舒心，来村里串门的亲戚朋友也多了。', `村民${elder(r)}`),
      para(`目前，${we(p)}已创建人居环境示范村${r.int(15, 60)}个，农村生活垃圾收运处置体系实现行政村全覆盖。`),
    ],
  };
}

function returnee(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const households = r.int(60, 300);
  const crop = r.pick(p.crops);
  const { name, pron } = person(r);
  const where = spot(c);
  const years = r.int(3, 8);
  return {
    title: r.pick([`返乡青年${name}：把${crop}做成致富产业`, `从打工者到"新农人"：${name}的${crop}创业路`]),
    summary: `${years}年前，${name}从外地回到${where}创业，如今${pron}的合作社带动周边${households}户群众种植${crop}，户均年增收上万元。`,
    tags: ['返乡创业', crop, '人物'],
    body: [
      para(
        `清晨，${where}的${crop}基地里，${name}正和工人们一起忙活。${years}年前，${pron}辞去在外地的工作回到家乡，流转了${r.int(50, 300)}亩土地，成立了专业合作社。`,
      ),
      para(
        `创业之初并不顺利。"第一年没经验，销路也没打开，差点赔光了积蓄。"${name}说，后来${pron}跑遍周边市场，又请来农技专家驻点指导，慢慢摸索出了一套标准化种植和初加工的办法。`,
      ),
      picture(`${name}在基地查看${crop}长势（示意图）`),
      para(
        `如今，合作社注册了自有品牌，产品进入商超和电商平台，年销售额突破${r.int(200, 900)}万元。合作社采取"合作社+农户"模式，统一提供种苗、技术和收购，带动周边${households}户群众参与种植。`,
      ),
      quote(`一个人富不算富，大家一起干，村里才有奔头。`, name),
      para(
        `近年来，${we(p)}出台返乡创业扶持政策，在场地、贷款、培训等方面给予支持，目前已有${about(r, 300, 2000, 100)}余名返乡人员在家乡创业。`,
      ),
    ],
  };
}

function volunteers(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const v = c.r.pick(p.villages);
  const services = r.some(
    ['义务理发', '家电维修', '健康咨询', '法律咨询', '磨剪子菜刀', '手机使用教学', '量血压测血糖'],
    4,
  );
  return {
    title: r.pick([`"红马甲"走进${v} 便民服务送到家门口`, `志愿服务进${v}：${services[0]}、${services[1]}样样有`]),
    summary: `${p.short}新时代文明实践志愿者走进${v}，开展${services.join('、')}等志愿服务，受到群众欢迎。`,
    tags: ['志愿服务', '文明实践'],
    body: [
      para(
        `${lead(c)}${v}的广场上格外热闹。${r.int(20, 60)}名身穿红马甲的志愿者摆开桌椅，为群众提供${services.join('、')}等服务，前来咨询和体验的群众排起了长队。`,
      ),
      list(services.map((s) => `${s}：${r.pick(['现场服务', '一对一指导', '预约上门', '专人负责'])}`)),
      para(
        `${r.pick(['在手机教学摊位前', '在义务理发点', '在健康咨询台前'])}，${elder(r)}说："这些志愿者每个月都来，有啥困难跟他们说，都给解决。"`,
      ),
      para(
        `据介绍，${we(p)}依托新时代文明实践中心（所、站），组建了${r.int(80, 400)}支志愿服务队伍，常态化开展"我们的节日""邻里守望"等志愿服务活动，今年以来累计服务群众${r.int(2, 20)}万人次。`,
      ),
    ],
  };
}

function roadWorks(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const road = r.pick(p.roads);
  const km = num(r.int(12, 58) / 10);
  return {
    title: r.pick([`${road}改造提升工程进入收尾阶段`, `${road}"焕新"在即 预计${r.int(2, 4)}周后全线通车`]),
    summary: `${road}改造提升工程全长${km}公里，目前主体工程已基本完成，正在进行路面标线和绿化施工。`,
    tags: ['城市建设', '道路改造', road],
    body: [
      para(
        `${lead(c)}记者在${road}施工现场看到，工人们正在进行路面标线施划和人行道铺装，部分路段的路灯和绿化带已经完工。`,
      ),
      para(
        `据项目负责人介绍，${road}改造提升工程全长${km}公里，主要实施道路拓宽、雨污分流、管线入地、人行道改造和绿化亮化等内容。项目于今年${r.int(3, 6)}月开工，目前主体工程已基本完成。`,
      ),
      picture(`${road}改造施工现场（示意图）`),
      h2('施工期间请绕行'),
      para(
        `为减少施工对群众出行的影响，施工单位采取分段、半幅施工的方式，并在路口设置了绕行提示。附近居民${mrOrMs(r, '')}说："虽然这段时间出行不太方便，但看着路一天天变宽变亮，大家都很期待。"`,
      ),
      para(`${tier(p)}住房和城乡建设部门表示，将在确保质量和安全的前提下加快施工进度，争取早日全线通车。`),
    ],
  };
}

function fireSafety(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const cold = c.season === 'autumn' || c.season === 'winter';
  const found = r.int(40, 260);
  return {
    title: r.pick([
      `${cold ? '冬季' : '夏季'}消防安全大排查 ${p.short}整改隐患${found}处`,
      `守住安全底线 ${p.short}开展${cold ? '冬春' : '夏季'}火灾防控专项行动`,
    ]),
    summary: `${p.short}组织消防、应急、住建等部门对人员密集场所、高层建筑、"九小场所"开展检查，发现并督促整改隐患${found}处。`,
    tags: ['安全生产', '消防'],
    body: [
      para(
        `${lead(c)}${we(p)}${cold ? '冬春' : '夏季'}火灾防控专项行动全面铺开。由消防、应急管理、住房和城乡建设等部门组成的检查组，深入商场、学校、养老机构、"九小场所"等重点单位开展拉网式排查。`,
      ),
      para(
        `在${area(c)}一家商场，检查人员逐一查看疏散通道、消防设施和电气线路，发现一处安全出口被货物占用，当场要求负责人清理。截至目前，专项行动共检查单位${r.int(300, 1600)}家，发现并督促整改隐患${found}处。`,
      ),
      h2('消防部门提醒'),
      list([
        '不在楼道、安全出口停放电动自行车或充电',
        '使用取暖器具时远离可燃物，人走断电',
        '家中常备灭火器，学会"一问二拔三握四压"',
        '发现火情立即拨打119',
      ]),
      para(`${tier(p)}消防救援部门表示，将持续加大检查力度，对屡查屡犯的单位依法依规严肃处理。`),
    ],
  };
}

function villageDoctor(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const { name, pron } = person(r);
  const where = spot(c);
  const years = r.int(18, 35);
  return {
    title: r.pick([`${name}：扎根乡村${years}年的"健康守门人"`, `一个药箱 ${years}年坚守：记${where}乡村医生${name}`]),
    summary: `${years}年来，乡村医生${name}守护着${where}群众的健康，随叫随到，被村民亲切地称为"自家医生"。`,
    tags: ['人物', '乡村医生', '身边好人'],
    body: [
      para(
        `早上七点多，${where}卫生室的门就开了。${name}换上白大褂，先给候诊的几位老人量血压，再翻开随诊记录，一一叮嘱用药。`,
      ),
      para(
        `${years}年前，卫校毕业的${name}回到村里当了乡村医生。"那时候村里看病难，头疼脑热都得往镇上跑。"${years}年来，${pron}的出诊包换了好几个，村里每户人家的健康情况${pron}都记在心里。`,
      ),
      quote(`只要村里人需要，我就得在。`, name),
      para(
        `近年来，随着家庭医生签约服务推开，${name}和镇卫生院的医生组成团队，为村里的老年人、慢性病患者提供定期随访。村卫生室也配上了远程会诊设备，遇到拿不准的病情，可以直接连线${p.hospital}的专家。`,
      ),
      para(`"有${pron}在，我们心里踏实。"${elder(r)}说。`),
    ],
  };
}

export const BENDI: readonly Template[] = [
  { id: 'farm-season', section: 'bendi', rural: true, scene: 'fields', make: farmSeason },
  { id: 'industry-project', section: 'bendi', scene: 'city', make: industryProject },
  { id: 'ecommerce', section: 'bendi', rural: true, scene: 'fields', make: ecommerce },
  {
    id: 'village-environment',
    section: 'bendi',
    rural: true,
    levels: ['county', 'city'],
    scene: 'hills',
    make: villageEnvironment,
  },
  { id: 'returnee', section: 'bendi', rural: true, levels: ['county', 'city'], scene: 'fields', make: returnee },
  { id: 'volunteers', section: 'bendi', levels: ['county', 'city'], scene: 'city', make: volunteers },
  { id: 'road-works', section: 'bendi', levels: ['county', 'city'], scene: 'city', make: roadWorks },
  { id: 'fire-safety', section: 'bendi', scene: 'dusk', make: fireSafety },
  {
    id: 'village-doctor',
    section: 'bendi',
    rural: true,
    levels: ['county', 'city'],
    scene: 'dawn',
    make: villageDoctor,
  },
];
