import { dayText } from '../text.js';
import { about, area, elder, fullName, lead, mrOrMs, pct, spot, tier, we, year } from './common.js';
import { h2, list, para, picture, quote, type StoryCtx, type StoryDraft, type Template } from './types.js';

// 民生: what touches households — insurance, jobs, prices, care, safety.

function insurance(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const next = year(c) + 1;
  return {
    title: r.pick([
      `${next}年度城乡居民医保集中缴费进行中 这些问题请关注`,
      `城乡居民医保开始缴费 ${p.short}医保部门答疑解惑`,
    ]),
    summary: `${next}年度城乡居民基本医疗保险集中缴费期为今年9月1日至12月31日，群众可通过线上线下多种渠道缴费。`,
    tags: ['医保', '民生', '缴费'],
    body: [
      para(
        `${next}年度城乡居民基本医疗保险集中缴费正在进行。记者从${p.short}医疗保障部门了解到，集中缴费期为今年9月1日至12月31日，参保群众可通过线上线下多种渠道缴费。`,
      ),
      h2('怎么缴？'),
      list(
        [
          '手机缴费：通过"豫事办"、税务部门小程序或各大银行手机客户端缴纳',
          '线下缴费：到村（社区）便民服务站、合作银行网点或税务大厅缴纳',
          '集中代缴：学生可通过所在学校统一办理',
        ],
        true,
      ),
      h2('不按时缴费有什么影响？'),
      para(
        '集中缴费期内未参保缴费的，除新生儿等特殊群体外，设置待遇等待期，等待期内发生的医疗费用医保基金不予支付。连续参保的居民还可享受大病保险起付线降低、封顶线提高等激励政策。',
      ),
      quote('医保缴费一定要通过正规渠道，不要轻信陌生人代缴，谨防上当受骗。', `${p.short}医疗保障部门工作人员`),
      para(`截至${dayText(c.date)}，${we(p)}城乡居民医保参保缴费进度已达${pct(r, 58, 82)}。`),
    ],
  };
}

function elevator(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const estates = r.int(20, 90);
  const n = r.int(12, 60);
  const who = elder(r);
  const estate = `${r.pick(p.roads)}${r.pick(['家属院', '小区', '一号院'])}`;
  return {
    title: r.pick([`老旧小区加装电梯 ${n}部电梯投用圆了"上楼梦"`, `老旧小区改造让居民住得更舒心`]),
    summary: `今年${we(p)}改造老旧小区${estates}个，加装电梯${n}部，同步实施管网更新、停车位和充电设施建设。`,
    tags: ['老旧小区改造', '加装电梯', '民生实事'],
    body: [
      para(
        `"住了二十多年的老楼终于有电梯了！"${lead(c)}在${estate}的一栋6层住宅楼前，${r.int(68, 83)}岁的${who}按下电梯按钮，几十秒就回到了家门口。`,
      ),
      para(
        `这栋楼建于上世纪90年代，楼里老年人多，上下楼一直是难题。今年，社区牵头召开居民协商会，从征求意见、设计方案到费用分摊，一户户上门沟通，最终全体业主同意加装电梯。`,
      ),
      picture(`改造后的老旧小区（示意图）`),
      para(
        `据了解，今年${we(p)}共实施老旧小区改造项目${estates}个，惠及居民${r.int(3000, 20000)}户，改造内容包括管网更新、外墙保温、加装电梯、增设停车位和电动自行车充电设施等。`,
      ),
      quote('改造前，我们先开居民议事会，大家想改啥就改啥，改得好不好由居民说了算。', `社区党支部书记${fullName(r)}`),
    ],
  };
}

function jobFair(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const firms = r.int(40, 160);
  const jobs = firms * r.int(30, 70);
  const cold = c.season === 'autumn' || c.season === 'winter';
  return {
    title: r.pick([
      `${firms}家企业提供岗位${jobs}个 ${p.short}${cold ? '秋冬季' : '春季'}招聘会举行`,
      `家门口的招聘会：${jobs}个岗位等你来`,
    ]),
    summary: `招聘会吸引${firms}家企业参加，提供${r.pick(p.industries)}、商贸物流、家政服务等岗位${jobs}个，现场初步达成就业意向${Math.round(jobs * 0.12)}人。`,
    tags: ['就业', '招聘会', '稳就业'],
    body: [
      para(
        `${lead(c)}${p.short}${cold ? '秋冬季' : '春季'}专场招聘会在人力资源市场举行。${firms}家企业参会，提供岗位${jobs}个，涉及${r.pick(p.industries)}、电子商务、商贸物流、家政服务等多个行业。`,
      ),
      para(
        `招聘会现场人头攒动，求职者手拿简历，在各展位前详细了解岗位要求和薪资待遇。${mrOrMs(r, '求职者')}说："离家近，工资也不错，已经和两家企业谈好了面试时间。"`,
      ),
      picture(`招聘会现场（示意图）`),
      para(`为提高供需对接效率，招聘会还设置了政策咨询、职业指导和技能培训报名等服务区，并同步开展网络直播带岗。`),
      para(
        `据统计，当天进场求职者${r.int(1500, 6000)}人次，初步达成就业意向${Math.round(jobs * 0.12)}人。${tier(p)}人社部门表示，今后每周三将举办小型专场招聘会。`,
      ),
    ],
  };
}

function freeClinic(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const patients = about(r, 200, 500);
  const v = spot(c);
  const depts = r.some(['心内科', '内分泌科', '骨科', '眼科', '中医科', '儿科', '皮肤科'], 4);
  return {
    title: r.pick([`${p.hospital}专家进村义诊 群众家门口看名医`, `义诊送到${v} ${patients}余名群众受益`]),
    summary: `${p.hospital}${depts.join('、')}等科室专家走进${v}开展义诊，为群众免费测量血压血糖、提供健康咨询。`,
    tags: ['义诊', '健康', '基层医疗'],
    body: [
      para(
        `${lead(c)}${p.hospital}组织${depts.join('、')}等科室的${r.int(10, 25)}名医护人员来到${v}，开展"健康进基层"义诊活动。`,
      ),
      para(
        `义诊现场，医护人员为群众免费测量血压、血糖，开展心电图检查，并耐心解答群众提出的健康问题。针对老年人常见的高血压、糖尿病等慢性病，专家还详细讲解了日常用药和饮食注意事项。`,
      ),
      picture(`医生为群众测量血压（示意图）`),
      quote('平时去县城看病得跑半天，今天专家来到家门口，还不花钱，真是太好了。', `村民${elder(r)}`),
      para(
        `当天共接诊群众${patients}余人次，发放健康宣传资料${r.int(500, 1500)}份。据了解，${p.hospital}每月都会组织专家下基层义诊，并与乡镇卫生院建立了帮扶机制。`,
      ),
    ],
  };
}

function vegetables(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const items = r.some(['白菜', '萝卜', '土豆', '西红柿', '黄瓜', '芹菜', '菠菜', '青椒'], 4);
  const prices = items.map((v) => `${v}每斤${(r.int(8, 45) / 10).toFixed(1)}元`);
  return {
    title: r.pick([`菜价平稳 供应充足：记者走访${p.market}`, `"菜篮子"拎得稳 ${p.short}蔬菜价格总体平稳`]),
    summary: `记者走访${p.market}发现，蔬菜、肉蛋等供应充足，价格总体平稳，部分本地蔬菜价格小幅回落。`,
    tags: ['菜篮子', '物价', '民生'],
    body: [
      para(`${lead(c)}记者来到${p.market}，各摊位上的蔬菜品种丰富、新鲜水灵，前来采购的市民络绎不绝。`),
      para(
        `从价格看，${prices.join('，')}，与上周相比基本持平。猪肉、鸡蛋价格稳定，本地产${r.pick(p.crops)}随着大量上市，价格略有下降。`,
      ),
      quote(`最近菜价挺稳当，一家三口一天买菜二三十块钱就够了。`, `正在买菜的${mrOrMs(r, '市民')}`),
      para(`${tier(p)}发展改革部门表示，将加强重要民生商品价格监测，做好产销衔接，确保"菜篮子"量足价稳。`),
    ],
  };
}

function canteen(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const points = r.int(40, 160);
  const v = spot(c);
  const price = r.int(6, 12);
  return {
    title: r.pick([
      `社区食堂开张 老人吃上"热乎饭"`,
      `${v}的长者食堂：一荤两素${price}元`,
      `小食堂里的大民生：${p.short}老年助餐服务覆盖${points}个村（社区）`,
    ]),
    summary: `${v}长者食堂正式运营，一荤两素的午餐老人只需花${price}元，80岁以上老人还享受额外补贴。`,
    tags: ['养老服务', '老年助餐', '民生实事'],
    body: [
      para(
        `中午11点半，${v}长者食堂里飘出饭菜香。红烧肉、炒青菜、番茄鸡蛋汤……${r.int(30, 60)}多位老人围坐在餐桌旁，吃得津津有味。`,
      ),
      para(
        `"一荤两素只要${price}元，饭菜软和，适合我们老年人。"${r.int(72, 86)}岁的${elder(r)}说，儿女在外地工作，以前自己做饭凑合，现在天天来食堂吃，还能和老伙计们聊聊天。`,
      ),
      picture(`老人在长者食堂用餐（示意图）`),
      para(
        `据介绍，长者食堂由村（社区）提供场地，引入专业餐饮企业运营，政府给予建设和运营补贴。对80岁以上老人、困难老人另有就餐补贴，行动不便的老人还可以预约送餐上门。`,
      ),
      para(`目前，${we(p)}已建成老年助餐点${points}个，日均服务老年人${r.int(2000, 9000)}人次。`),
    ],
  };
}

function antiFraud(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  return {
    title: r.pick([`警惕！这几类电信网络诈骗高发`, `${p.short}警方发布防骗提示：接到这些电话请立即挂断`]),
    summary: `${p.short}公安部门梳理了近期高发的几类电信网络诈骗手法，提醒群众"不轻信、不透露、不转账"。`,
    tags: ['反诈', '平安建设', '提示'],
    body: [
      para(
        `记者从${p.short}公安部门获悉，近期刷单返利、虚假投资理财、冒充客服退款等电信网络诈骗案件仍然高发。警方梳理了以下几类常见手法，提醒群众提高警惕。`,
      ),
      list(
        [
          '刷单返利：以"动动手指就能赚钱"为诱饵，先小额返利，再诱导大额垫付',
          '虚假投资理财：拉入所谓"投资群"，以"内部消息""稳赚不赔"诱导下载虚假App',
          '冒充客服：以商品质量问题、快递丢失为由，诱导开启屏幕共享或转账',
          '冒充公检法：称对方涉嫌违法犯罪，要求将资金转入"安全账户"',
          '虚假征信：以"注销校园贷""修复征信"为名实施诈骗',
        ],
        true,
      ),
      quote(
        '凡是要求转账到"安全账户"的都是诈骗，公检法机关不会通过电话办案。',
        `${p.short}公安部门反诈中心民警${fullName(r)}`,
      ),
      para('警方提醒，请下载安装"国家反诈中心"App，接到可疑电话可拨打96110咨询。一旦被骗，请第一时间拨打110报警。'),
    ],
  };
}

function heating(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  return {
    title: r.pick([`供暖季来了 ${p.short}供热服务热线24小时在线`, `暖气热不热？${p.short}供热部门入户测温`]),
    summary: `${we(p)}已全面进入供暖季，供热企业开通24小时服务热线，组织维修人员入户测温、排查管网。`,
    tags: ['供暖', '民生', '冬季'],
    body: [
      para(
        `随着气温下降，${we(p)}已全面进入供暖季。${lead(c)}记者跟随供热企业维修人员来到${area(c)}一处小区，他们正用测温枪逐户测量室温。`,
      ),
      para(
        `"客厅温度20.5℃，卧室19.8℃，达标了。"维修人员一边记录一边向居民讲解暖气片放气的方法。据介绍，供暖期间室内温度不低于18℃，对于温度不达标的住户，维修人员会现场排查原因。`,
      ),
      picture(`维修人员入户测温（示意图）`),
      h2('暖气不热怎么办'),
      list([
        '先检查阀门是否全部打开',
        '暖气片上热下凉，可能需要放气',
        '整栋楼都不热，请拨打供热服务热线',
        '不要私自改装、拆除暖气设施',
      ]),
      para(`今年${we(p)}新增供热面积${r.int(20, 120)}万平方米，改造老旧供热管网${r.int(5, 30)}公里。`),
    ],
  };
}

export const MINSHENG: readonly Template[] = [
  { id: 'insurance', section: 'minsheng', seasons: ['autumn'], scene: 'city', make: insurance },
  { id: 'elevator', section: 'minsheng', levels: ['county', 'city'], scene: 'city', make: elevator },
  { id: 'job-fair', section: 'minsheng', scene: 'city', make: jobFair },
  { id: 'free-clinic', section: 'minsheng', levels: ['county', 'city'], scene: 'dawn', make: freeClinic },
  { id: 'vegetables', section: 'minsheng', scene: 'fields', make: vegetables },
  { id: 'canteen', section: 'minsheng', scene: 'dawn', make: canteen },
  { id: 'anti-fraud', section: 'minsheng', scene: 'dusk', make: antiFraud },
  {
    id: 'heating',
    section: 'minsheng',
    seasons: ['autumn', 'winter'],
    levels: ['county', 'city'],
    scene: 'dusk',
    make: heating,
  },
];
