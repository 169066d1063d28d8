import { dayText } from '../text.js';
import { area, fullName, lead, pct, spot, tier, village, we, year } from './common.js';
import { h2, list, para, picture, quote, type StoryCtx, type StoryDraft, type Template } from './types.js';

// What a hosted government unit drafts itself: notices, checks, services.

const unitName = (c: StoryCtx, fallback: string): string => c.unit?.name ?? `${c.p.name}${fallback}`;

function studentAid(c: StoryCtx): StoryDraft {
  const { r } = c;
  const u = unitName(c, '教育局');
  return {
    title: `${u}：${year(c)}年秋季学期学生资助政策问答`,
    summary: `${u}发布秋季学期学生资助政策问答，涉及学前教育、义务教育、普通高中等各学段，符合条件的学生可向就读学校提出申请。`,
    tags: ['学生资助', '教育'],
    body: [
      para(`为确保每一名家庭经济困难学生都能享受资助政策，${u}就本学期资助工作答复如下。`),
      h2('有哪些资助政策？'),
      list([
        '学前教育：对家庭经济困难幼儿给予保育教育费补助',
        '义务教育：免除学杂费，免费提供教科书，对家庭经济困难寄宿生补助生活费',
        '普通高中：国家助学金，对建档立卡等家庭经济困难学生免除学杂费',
        '中等职业教育：免学费和国家助学金',
      ]),
      h2('怎么申请？'),
      para(
        '学生或家长向就读学校提出申请，填写申请表并提供相关证明材料，经学校评议、公示后报教育部门审核。资金原则上通过银行卡发放到学生或监护人手中。',
      ),
      h2('咨询渠道'),
      para(
        `学生资助咨询电话在工作日正常受理。${r.pick(['请家长注意：资助不收取任何费用，谨防以发放助学金为名的诈骗。', '任何学校和个人不得以任何理由截留、挪用资助资金。'])}`,
      ),
    ],
  };
}

function campusSafety(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '教育局');
  const schools = r.some(p.schools, 2);
  const cold = c.season === 'autumn' || c.season === 'winter';
  return {
    title: r.pick([
      `${u}开展${cold ? '冬季' : '春季'}校园安全专项检查`,
      `筑牢校园安全防线 ${u}检查组走进${schools[0]}`,
    ]),
    summary: `${u}组成检查组，对全${tier(p)}中小学校和幼儿园的食堂、宿舍、消防设施和校车进行检查，发现的问题已限期整改。`,
    tags: ['校园安全', '教育'],
    body: [
      para(
        `${lead(c)}${u}检查组来到${schools.join('和')}，对学校食堂、学生宿舍、消防设施、${cold ? '取暖设施' : '防溺水宣传'}等进行逐项检查。`,
      ),
      para(
        `在${schools[0]}的食堂，检查人员查看了食材进货台账和留样记录，并对后厨卫生、燃气管道进行检查；在学生宿舍，检查人员逐一测试了应急照明和烟感报警装置。`,
      ),
      picture(`检查人员在学校食堂检查（示意图）`),
      para(
        `此次专项检查覆盖全${tier(p)}中小学校和幼儿园${r.int(60, 180)}所，发现问题${r.int(10, 40)}个，均已下发整改通知书，明确整改时限和责任人。`,
      ),
      quote('安全无小事，我们将把检查发现的问题一项项整改到位。', `${schools[0]}负责人`),
    ],
  };
}

function townMeeting(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '城关镇人民政府');
  const town = u.replace(p.name, '').replace('人民政府', '').replace('办事处', '');
  const v = village(c);
  const issues = r.some(
    ['村内道路照明', '小广场健身器材', '排水沟清淤', '农田灌溉机井', '垃圾清运频次', '冬季取暖安全'],
    3,
  );
  return {
    title: r.pick([`${town}：民情恳谈会开到群众家门口`, `${town}召开民情恳谈会 现场认领群众"微心愿"`]),
    summary: `${town}在${v}召开民情恳谈会，收集群众关于${issues.join('、')}等方面的意见建议，能立即办的当场明确责任人。`,
    tags: ['基层治理', '民情恳谈', town],
    body: [
      para(
        `${lead(c)}${town}在${v}文化广场召开民情恳谈会，镇村干部和${r.int(30, 80)}名群众代表围坐在一起，面对面拉家常、听意见。`,
      ),
      para(
        `"村西头那段路晚上太黑，老人出门不方便。""小广场的健身器材坏了两件，能不能修一修？"恳谈会上，群众你一言我一语，提出了${issues.join('、')}等方面的意见建议。`,
      ),
      list(issues.map((i) => `${i}：已明确责任人，${r.pick(['一周内', '半个月内', '本月底前'])}办结`)),
      para(
        `据了解，${town}建立了"群众点单、干部接单、群众评单"工作机制，每月在各村轮流召开民情恳谈会，今年以来累计收集意见建议${r.int(80, 260)}条，办结率${pct(r, 92, 99)}。`,
      ),
    ],
  };
}

function serviceCenter(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const services = r.int(60, 150);
  const u = unitName(c, '城关镇人民政府');
  const town = u.replace(p.name, '').replace('人民政府', '').replace('办事处', '');
  return {
    title: r.pick([`${town}便民服务中心推出"帮办代办"服务`, `在家门口就能办 ${town}${services}项服务事项下沉到村`]),
    summary: `${town}便民服务中心设立帮办代办窗口，为老年人、残疾人等群体提供上门服务，${services}项高频事项可在村级服务站办理。`,
    tags: ['便民服务', '政务服务', town],
    body: [
      para(
        `"我腿脚不方便，工作人员直接上门帮我办好了养老待遇资格认证。"${lead(c)}${town}${village(c)}的${fullName(r)}说起便民服务中心的帮办代办服务，连连称赞。`,
      ),
      para(
        `今年以来，${town}便民服务中心设立帮办代办窗口，组建了由镇村干部组成的代办员队伍，为老年人、残疾人等特殊群体提供预约办、上门办服务。同时将社保、医保、民政等${services}项高频服务事项下沉到村级便民服务站。`,
      ),
      h2('可在村里办理的部分事项'),
      list([
        '城乡居民养老保险参保登记、待遇资格认证',
        '城乡居民医保参保缴费',
        '残疾人两项补贴申请',
        '高龄津贴申请',
        '农村危房改造申请',
      ]),
      para(`目前，${town}群众办理高频事项平均跑动次数由原来的${r.int(2, 4)}次减少到不超过1次。`),
    ],
  };
}

function agriTech(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const experts = r.int(10, 30);
  const u = unitName(c, '农业农村局');
  const crop = r.pick(p.crops);
  const where = spot(c);
  return {
    title: r.pick([`${u}组织农技专家开展田间技术指导`, `农技服务进田间 ${u}为${crop}种植户送技术`]),
    summary: `${u}组织${experts}名农技专家深入${where}等地，围绕${crop}田间管理和病虫害防治开展现场指导。`,
    tags: ['农技服务', crop, '农业农村'],
    body: [
      para(`${lead(c)}${u}组织农技专家来到${where}，围绕${crop}田间管理、病虫害绿色防控等开展现场指导。`),
      para(
        `在种植大户${fullName(r)}的地里，专家一边查看长势，一边讲解施肥和病虫害防治要点。"今年雨水偏多，要特别注意排水防渍。"专家叮嘱说。`,
      ),
      picture(`农技专家在田间讲解种植技术（示意图）`),
      para(
        `本次活动共组织农技专家${experts}名，发放技术资料${r.int(800, 3000)}份，解答群众咨询${r.int(100, 500)}人次。`,
      ),
      para(
        `${u}表示，将持续开展科技服务下乡活动，推广绿色高产高效技术模式，为${we(p)}农业增效、农民增收提供技术支撑。`,
      ),
    ],
  };
}

function landSubsidy(c: StoryCtx): StoryDraft {
  const { r } = c;
  const u = unitName(c, '农业农村局');
  return {
    title: `${u}关于${year(c)}年耕地地力保护补贴发放工作的公告`,
    summary: `${year(c)}年耕地地力保护补贴发放工作启动，补贴资金通过惠民惠农财政补贴资金"一卡通"直接发放到农户账户。`,
    tags: ['惠农政策', '耕地地力保护补贴', '公告'],
    body: [
      para(`根据上级有关文件精神，现将${year(c)}年耕地地力保护补贴发放有关事项公告如下：`),
      list(
        [
          '补贴对象：拥有耕地承包权的种地农民',
          '补贴依据：以二轮承包耕地面积、确权耕地面积或粮食种植面积为依据，具体以乡镇核实公示的面积为准',
          '发放方式：通过惠民惠农财政补贴资金"一卡通"直接发放到农户',
          '已改变用途的耕地、长期抛荒地不再给予补贴',
        ],
        true,
      ),
      para(`各乡镇将对补贴面积进行公示，公示期不少于7天。群众对公示内容有异议的，可在公示期内向所在乡镇或${u}反映。`),
      para(
        `${r.pick(['特别提醒：补贴发放不收取任何费用，请群众谨防诈骗。', '任何单位和个人不得截留、挤占、挪用补贴资金。'])}`,
      ),
      para(u),
      para(dayText(c.date)),
    ],
  };
}

function fluVaccine(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '卫生健康委员会');
  return {
    title: r.pick([`秋冬季呼吸道疾病高发 ${u}提醒：这些人群建议接种流感疫苗`, `${u}：流感疫苗接种正当时`]),
    summary: `${u}提醒，每年10月至11月是接种流感疫苗的好时机，老年人、儿童、慢性病患者等重点人群建议尽早接种。`,
    tags: ['健康', '流感疫苗', '卫生健康'],
    body: [
      para(`进入秋冬季，流感等呼吸道传染病进入高发期。${u}提醒，接种流感疫苗是预防流感最经济、最有效的手段。`),
      h2('哪些人群建议接种？'),
      list(
        [
          '60岁及以上老年人',
          '6月龄至5岁儿童',
          '慢性病患者',
          '孕妇及6月龄以下婴儿的家庭成员和看护人员',
          '医务人员、托幼机构及中小学校师生',
        ],
        true,
      ),
      h2('在哪里接种？'),
      para(`群众可到${p.short}各社区卫生服务中心、乡镇卫生院预防接种门诊接种，建议提前电话预约。接种后需留观30分钟。`),
      quote('流感疫苗需要每年接种，接种后大约两周产生保护作用。', `${p.hospital}感染科医生${fullName(r)}`),
      para('此外，勤洗手、常通风、科学佩戴口罩、出现发热等症状及时就医，也是预防呼吸道疾病的有效措施。'),
    ],
  };
}

function familyDoctor(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const coverage = pct(r, 80, 92);
  const teams = r.int(80, 300);
  const u = unitName(c, '卫生健康委员会');
  const v = spot(c);
  return {
    title: r.pick([`家庭医生上门来 健康服务暖人心`, `${u}：家庭医生签约服务覆盖重点人群${coverage}`]),
    summary: `${we(p)}组建家庭医生团队${teams}个，为老年人、慢性病患者等重点人群提供签约服务和定期随访。`,
    tags: ['家庭医生', '基层医疗', '卫生健康'],
    body: [
      para(`${lead(c)}家庭医生团队来到${v}，为签约的老人测血压、查血糖，并根据检查结果调整用药建议。`),
      para(`"医生每个月都来，还给了我联系电话，有不舒服随时打。"患高血压多年的${fullName(r)}说。`),
      para(
        `据${u}介绍，${we(p)}共组建家庭医生团队${teams}个，团队由基层医生、护士、公卫人员组成，上级医院专家参与技术指导。目前，重点人群签约服务覆盖率达到${coverage}。`,
      ),
      h2('签约后可享受哪些服务'),
      list(['基本医疗和公共卫生服务', '慢性病定期随访和用药指导', '预约转诊到上级医院', '健康咨询和健康教育']),
    ],
  };
}

function foodCheck(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '市场监督管理局');
  const total = r.int(120, 400);
  const bad = r.int(1, 4);
  return {
    title: `${u}公布最新一期食品安全监督抽检结果`,
    summary: `本期共抽检食品${total}批次，合格${total - bad}批次，不合格${bad}批次，不合格产品已依法处置。`,
    tags: ['食品安全', '市场监管', '抽检'],
    body: [
      para(
        `近期，${u}组织对${we(p)}生产、流通和餐饮环节的食品开展监督抽检，共抽检${r.some(['粮食加工品', '食用农产品', '肉制品', '调味品', '饮料', '糕点', '蔬菜制品'], 5).join('、')}等类别食品${total}批次。`,
      ),
      para(
        `检验结果显示，合格${total - bad}批次，不合格${bad}批次，合格率${(((total - bad) / total) * 100).toFixed(1)}%。不合格项目主要为${r.pick(['农药残留超标', '微生物污染', '食品添加剂超范围使用'])}。`,
      ),
      para(`对抽检中发现的不合格产品，${u}已责令相关经营者立即下架、召回，并依法立案调查。`),
      h2('消费提示'),
      list([
        '购买食品时选择正规渠道，查看标签和生产日期',
        '蔬菜水果食用前充分浸泡、清洗',
        '发现食品安全问题可拨打12315投诉举报',
      ]),
    ],
  };
}

function productCheck(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const shops = r.int(40, 120);
  const u = unitName(c, '市场监督管理局');
  return {
    title: r.pick([
      `${u}开展电动自行车及充电器产品质量专项检查`,
      `守护"车轮上的安全" ${u}检查电动自行车销售门店${shops}家`,
    ]),
    summary: `${u}对${we(p)}电动自行车销售门店开展专项检查，重点检查产品强制性认证、非法改装和充电器质量。`,
    tags: ['产品质量', '电动自行车', '市场监管'],
    body: [
      para(
        `${lead(c)}${u}执法人员来到${area(c)}的电动自行车销售门店，逐一查看在售车辆的强制性产品认证标志、合格证和铭牌信息，并对店内销售的充电器、电池进行抽样。`,
      ),
      para(
        `此次专项检查共检查销售门店${shops}家，发现${r.int(3, 12)}家门店存在销售无认证产品、提供改装服务等问题，执法人员已责令整改，对涉嫌违法的依法立案。`,
      ),
      picture(`执法人员检查电动自行车产品（示意图）`),
      h2('购车、用车提示'),
      list([
        '购买带有强制性产品认证（CCC）标志的电动自行车和充电器',
        '不私自改装、加装大容量电池',
        '不在室内、楼道充电，充电时间不宜过长',
      ]),
    ],
  };
}

function trafficNotice(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '交通运输局');
  const road = r.pick(p.roads);
  const days = r.int(20, 60);
  return {
    title: `关于${road}部分路段施工期间交通管制的通告`,
    summary: `因${road}改造施工，自${dayText(c.date)}起对部分路段实行交通管制，工期约${days}天，请过往车辆提前绕行。`,
    tags: ['交通管制', '通告', road],
    body: [
      para(
        `因${road}改造提升工程施工需要，为保障施工安全和道路交通安全畅通，经研究决定，对${road}部分路段实行交通管制。现将有关事项通告如下：`,
      ),
      list(
        [
          `管制时间：${dayText(c.date)}起，预计${days}天`,
          `管制路段：${road}${r.pick(['东段', '西段', '南段', '北段'])}（具体以现场交通标志为准）`,
          '管制措施：施工路段半幅封闭，机动车单向通行，行人和非机动车沿临时通道通行',
          '公交线路：途经该路段的公交线路临时绕行，具体见公交站牌公告',
        ],
        true,
      ),
      para('请过往车辆和行人遵守现场交通标志和交通警察指挥，提前规划出行路线。因施工给您带来的不便，敬请谅解。'),
      para(u),
      para(dayText(c.date)),
    ],
  };
}

function busLines(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const stops = r.int(5, 20);
  const u = unitName(c, '交通运输局');
  const n = r.int(3, 8);
  return {
    title: r.pick([`${u}：${n}条公交线路优化调整`, `方便群众出行 ${p.short}优化调整${n}条公交线路`]),
    summary: `为方便群众出行，${u}对${n}条公交线路进行优化调整，新增站点${stops}个，部分线路延长运营时间。`,
    tags: ['公交', '出行', '交通'],
    body: [
      para(
        `记者从${u}获悉，为进一步方便群众出行，根据群众意见和客流调查结果，自${dayText(c.date)}起对${n}条公交线路进行优化调整。`,
      ),
      list([
        `新开通社区接驳线，连接${area(c)}多个小区与地铁站`,
        `${r.int(2, 3)}条线路延伸至新建学校、医院周边`,
        '部分线路末班车延长至22时',
        `新增站点${stops}个`,
      ]),
      para(
        `调整后，${r.pick(['周边居民步行10分钟即可到达公交站点', '多个新建小区实现了公交"零换乘"'])}。群众可通过公交站牌、乘车码小程序查询线路调整详情。`,
      ),
      quote('以前下了地铁还得走二十多分钟，现在有了接驳线，方便多了。', `乘客${fullName(r)}`),
    ],
  };
}

function culturePerks(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '文化广电和旅游局');
  const sights = r.some(p.sights, Math.min(3, p.sights.length));
  const cold = c.season === 'autumn' || c.season === 'winter';
  return {
    title: `${u}关于部分A级旅游景区${cold ? '冬季' : '春季'}惠民开放的公告`,
    summary: `${sights.join('、')}等景区推出门票减免、周末半价等惠民措施，活动持续至${cold ? '明年2月底' : '5月底'}。`,
    tags: ['文旅惠民', '景区', '公告'],
    body: [
      para(
        `为丰富群众${cold ? '冬季' : '春季'}文化旅游生活，进一步激发文旅消费活力，经研究，${p.short}部分A级旅游景区推出惠民开放措施，现公告如下：`,
      ),
      list(
        [
          `${sights[0]}：${cold ? '冬季' : '春季'}期间门票半价`,
          `${sights[1] ?? sights[0]}：每周三对本地居民免门票`,
          '60周岁以上老年人、现役军人、残疾人凭有效证件免门票',
          '全日制在校学生凭学生证享受门票优惠',
        ],
        true,
      ),
      para('游客入园请提前通过景区官方渠道预约，服从景区管理，文明旅游。惠民措施具体执行时间以各景区公告为准。'),
      para(u),
      para(dayText(c.date)),
    ],
  };
}

function culturalTour(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const u = unitName(c, '文化广电和旅游局');
  const v = spot(c);
  const shows = r.some(
    [
      '豫剧《穆桂英挂帅》选段',
      '豫剧《朝阳沟》选段',
      '快板',
      '小品',
      '舞蹈',
      p.heritage[p.heritage.length - 1] ?? '剪纸',
    ],
    4,
  );
  return {
    title: r.pick([`"文化惠民 送戏下乡"演出走进${v}`, `${u}送戏下乡 群众家门口看大戏`]),
    summary: `${u}组织文艺演出队走进${v}，为群众送上${shows.join('、')}等节目。`,
    tags: ['送戏下乡', '文化惠民', '豫剧'],
    body: [
      para(
        `${lead(c)}${v}的文化广场上锣鼓喧天，${u}组织的"文化惠民 送戏下乡"演出在这里举行，${r.int(300, 900)}多名群众早早搬着板凳赶来观看。`,
      ),
      para(
        `演出在欢快的开场舞中拉开帷幕，${shows.join('、')}等节目轮番上演。当熟悉的唱段响起，台下不少老人跟着轻声哼唱。`,
      ),
      picture(`送戏下乡演出现场（示意图）`),
      quote('不出村就能看上大戏，演员唱得好，看着得劲儿！', `村民${fullName(r)}`),
      para(`据了解，今年${u}计划送戏下乡${r.int(100, 300)}场，覆盖${we(p)}所有行政村。`),
    ],
  };
}

/** Templates a hosted unit writes, by the unit's topic. */
export const UNIT_TEMPLATES: readonly Template[] = [
  { id: 'student-aid', section: 'zhengwu', topic: 'education', scene: 'dawn', make: studentAid },
  { id: 'campus-safety', section: 'zhengwu', topic: 'education', scene: 'city', make: campusSafety },
  { id: 'town-meeting', section: 'zhengwu', topic: 'township', scene: 'hills', make: townMeeting },
  { id: 'service-center', section: 'zhengwu', topic: 'township', scene: 'city', make: serviceCenter },
  { id: 'agri-tech', section: 'zhengwu', topic: 'agriculture', scene: 'fields', make: agriTech },
  { id: 'land-subsidy', section: 'zhengwu', topic: 'agriculture', scene: 'fields', make: landSubsidy },
  {
    id: 'flu-vaccine',
    section: 'minsheng',
    topic: 'health',
    seasons: ['autumn', 'winter'],
    scene: 'dawn',
    make: fluVaccine,
  },
  { id: 'family-doctor', section: 'minsheng', topic: 'health', scene: 'dawn', make: familyDoctor },
  { id: 'food-check', section: 'zhengwu', topic: 'market', scene: 'city', make: foodCheck },
  { id: 'product-check', section: 'zhengwu', topic: 'market', scene: 'city', make: productCheck },
  { id: 'traffic-notice', section: 'zhengwu', topic: 'transport', scene: 'city', make: trafficNotice },
  { id: 'bus-lines', section: 'minsheng', topic: 'transport', scene: 'city', make: busLines },
  { id: 'culture-perks', section: 'wenlv', topic: 'culture', scene: 'hills', make: culturePerks },
  { id: 'cultural-tour', section: 'wenlv', topic: 'culture', scene: 'dusk', make: culturalTour },
];
