import { about, area, fullName, person, lead, pct, spot, we } from './common.js';
import { h2, list, para, picture, quote, type StoryCtx, type StoryDraft, type Template } from './types.js';

// 文旅: sights, crafts, food, stage and books of the place.

const SEASON_WORD = { spring: '春季', summer: '夏季', autumn: '秋冬', winter: '冬季' } as const;

function scenicRoute(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const routes = r.int(3, 6);
  const [a, b] = r.some(p.sights, 2) as [string, string];
  const season = SEASON_WORD[c.season];
  const food = r.pick(p.foods);
  return {
    title: r.pick([
      `${p.short}推出${season}文旅精品线路 串起${a}与${b}`,
      `这个${season}，来${p.short}走一走：${a}、${b}一日游攻略`,
    ]),
    summary: `${p.short}推出${routes}条${season}文旅精品线路，把${a}、${b}等景点与特色美食、民宿串联起来。`,
    tags: ['文旅线路', a, b],
    body: [
      para(
        `${lead(c)}${p.short}发布${season}文旅精品线路，${routes}条线路把${p.sights.slice(0, 4).join('、')}等景点与特色美食、乡村民宿串联起来，满足游客观光、研学、休闲等不同需求。`,
      ),
      h2('推荐线路：经典一日游'),
      list(
        [
          `上午：游览${a}，${r.pick(['跟着讲解员听一听这里的老故事', '登高远眺，感受山水之美', '参观展陈，了解地方历史文化'])}`,
          `中午：品尝${food}`,
          `下午：前往${b}，${r.pick(['漫步步道，拍一组好看的照片', '体验非遗手工', '看一场特色演出'])}`,
          '傍晚：返程，或入住周边民宿',
        ],
        true,
      ),
      picture(`${a}（示意图）`),
      para(
        `据${p.short}文化旅游部门介绍，今年以来${we(p)}接待游客人次同比增长${pct(r, 8, 22)}，旅游综合收入同比增长${pct(r, 9, 25)}。为迎接${season}客流，各景区完善了停车、餐饮、卫生间等配套设施。`,
      ),
    ],
  };
}

function heritageCraft(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const craft = r.pick(p.heritage.filter((h) => h !== '豫剧'));
  const { name: master, pron } = person(r);
  const years = r.int(25, 45);
  return {
    title: r.pick([`非遗传承人${master}：${years}年守着一门老手艺`, `${craft}：老手艺收了新徒弟`]),
    summary: `${craft}传承人${master}从艺${years}年，如今${pron}把课堂搬进学校和社区，让更多年轻人爱上这门手艺。`,
    tags: ['非遗', craft, '传承'],
    body: [
      para(
        `在${spot(c)}的一间工作室里，${master}正在手把手地教几名年轻人学习${craft}。屋子的墙上、柜子里，摆满了师生们的作品。`,
      ),
      para(
        `${master}从小跟着长辈学艺，至今已有${years}年。"老手艺不能在我们这一代断了。"这些年，${pron}在${area(c)}的学校和社区开设了传习课堂，累计带出学员${r.int(100, 600)}多人。`,
      ),
      picture(`${craft}作品（示意图）`),
      quote('年轻人愿意学，这门手艺就有希望。现在我们还尝试把传统图案做成文创产品，很受游客欢迎。', master),
      para(`近年来，${we(p)}加大非遗保护力度，建设非遗传习所、开展非遗进校园活动，${craft}等项目焕发出新的生机。`),
    ],
  };
}

function food(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const years = r.int(15, 30);
  const dish = r.pick(p.foods);
  const owner = fullName(r);
  return {
    title: r.pick([`舌尖上的${p.short}：一碗${dish}里的烟火气`, `寻味${p.short} | ${dish}`]),
    summary: `在${p.short}，${dish}是不少人心中的家乡味道。一家开了${years}年的老店，守着传统做法，也在琢磨新口味。`,
    tags: ['美食', dish, p.short],
    body: [
      para(
        `清晨六点，${area(c)}一家老店已经飘出香味。店主${owner}正在准备当天的${dish}，这家店开了${years}年，不少老顾客从小吃到大。`,
      ),
      para(`"做${dish}没有捷径，用料要实在，火候要到位。"${owner}说，店里的做法是父辈传下来的，几十年没变过。`),
      picture(`${dish}（示意图）`),
      para(
        `如今，越来越多的外地游客循着短视频找到这里。为了方便游客，${owner}开通了线上订单，还推出了真空包装的伴手礼。`,
      ),
      quote(`来${p.short}一定要尝尝这一口，吃完就知道这里的人为啥这么实在。`, `游客${fullName(r)}`),
    ],
  };
}

function opera(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const v = spot(c);
  // the opening line quoted below is from 《花木兰》, so it is always on the bill
  const pieces = [
    '《花木兰》',
    ...r.some(['《朝阳沟》', '《穆桂英挂帅》', '《七品芝麻官》', '《程婴救孤》', '《卷席筒》'], 2),
  ];
  return {
    title: r.pick([`豫剧名段唱响${v}`, `戏曲进乡村：家门口的"文化大餐"`]),
    summary: `剧团演员走进${v}，为群众演出豫剧${pieces.join('、')}等经典剧目选段，现场观众${about(r, 300, 900)}余人。`,
    tags: ['豫剧', '戏曲进乡村', '文化惠民'],
    body: [
      para(`"刘大哥讲话理太偏……"${lead(c)}${v}的戏台前坐满了群众，豫剧演员字正腔圆的唱腔引来阵阵叫好。`),
      para(
        `当天，演员们先后演出了${pieces.join('、')}等经典剧目选段。${r.int(70, 85)}岁的老戏迷${fullName(r)}早早就来占了前排的位置，"年轻时就爱听戏，现在不出村就能看，真过瘾"。`,
      ),
      picture(`戏曲演出现场（示意图）`),
      para(
        `据了解，${we(p)}每年组织"戏曲进乡村"演出${r.int(100, 400)}场，并通过融媒体平台同步直播，让外出务工的老乡在手机上也能看到家乡的戏。`,
      ),
    ],
  };
}

function reading(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const readers = r.int(30, 80);
  const rooms = r.int(8, 40);
  const book = r.pick(['《平凡的世界》', '《人世间》', '《乡土中国》', '《红星照耀中国》', '《额尔古纳河右岸》']);
  return {
    title: r.pick([`${p.short}图书馆"周末读书会"开讲`, `书香满城：${p.short}城市书房成了"网红打卡地"`]),
    summary: `${p.short}图书馆"周末读书会"本期共读${book}，${readers}名读者参与分享；${we(p)}已建成城市书房${rooms}座。`,
    tags: ['全民阅读', '图书馆', '城市书房'],
    body: [
      para(
        `${lead(c)}${p.short}图书馆的"周末读书会"如期举行。本期读书会共读${book}，${readers}名读者围坐在一起，分享各自的阅读感受。`,
      ),
      quote('一本好书能陪人走很远的路。在读书会上听别人怎么读，自己也会有新的收获。', `读者${fullName(r)}`),
      para(
        `除了读书会，图书馆还推出了绘本故事会、非遗手工课、公益讲座等活动。位于${area(c)}的城市书房实行24小时开放、自助借还，晚上也常常座无虚席。`,
      ),
      picture(`读者在城市书房阅读（示意图）`),
      para(`目前，${we(p)}已建成城市书房和乡村阅读点${rooms}个，今年以来举办各类阅读推广活动${r.int(100, 500)}场次。`),
    ],
  };
}

function photoShow(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const n = r.int(80, 220);
  return {
    title: `"光影${p.short}"摄影作品展开展`,
    summary: `展览共展出摄影作品${n}幅，记录了${p.short}的山水风光、城乡变化和百姓生活，展期一个月，免费向公众开放。`,
    tags: ['摄影展', '文化活动'],
    body: [
      para(
        `${lead(c)}"光影${p.short}"摄影作品展在${p.short}文化馆开展。展览从${r.int(800, 2500)}幅投稿作品中精选出${n}幅，分为"山水之美""城乡巨变""百姓生活"三个板块。`,
      ),
      para(
        `展厅里，一幅幅作品记录了${p.sights.slice(0, 3).join('、')}的四季风光，也定格了田间劳作、街头巷尾的生活瞬间。`,
      ),
      picture(`摄影展作品（示意图）`),
      quote('很多照片拍的就是我们身边的地方，看着特别亲切。', `观众${fullName(r)}`),
      para('展览持续一个月，免费向公众开放。'),
    ],
  };
}

function studyTour(c: StoryCtx): StoryDraft {
  const { p, r } = c;
  const pupils = r.int(100, 400);
  const sight = r.pick(p.sights);
  return {
    title: r.pick([`研学游走进${sight}`, `把课堂搬进${sight} 中小学生研学之旅受欢迎`]),
    summary: `${pupils}名中小学生走进${sight}开展研学活动，在实践中了解家乡历史文化。`,
    tags: ['研学', sight, '教育'],
    body: [
      para(`${lead(c)}${pupils}名中小学生来到${sight}，开启了一场别开生面的研学之旅。`),
      para(
        `在讲解员的带领下，同学们一边参观，一边认真记录。${r.pick(['不少同学在互动体验区动手操作，兴致勃勃。', '研学结束后，同学们还完成了一份研学手册。'])}`,
      ),
      quote(`以前只在课本上读到，今天亲眼看见，印象特别深。`, `学生${fullName(r)}`),
      para(
        `据了解，${we(p)}已认定研学实践基地${r.int(8, 30)}个，开发研学课程${r.int(20, 80)}门，今年以来接待研学学生${r.int(2, 15)}万人次。`,
      ),
    ],
  };
}

export const WENLV: readonly Template[] = [
  { id: 'scenic-route', section: 'wenlv', scene: 'hills', make: scenicRoute },
  { id: 'heritage-craft', section: 'wenlv', scene: 'dusk', make: heritageCraft },
  { id: 'food', section: 'wenlv', scene: 'dawn', make: food },
  { id: 'opera', section: 'wenlv', levels: ['county', 'city'], scene: 'dusk', make: opera },
  { id: 'reading', section: 'wenlv', levels: ['county', 'city'], scene: 'city', make: reading },
  { id: 'photo-show', section: 'wenlv', scene: 'river', make: photoShow },
  { id: 'study-tour', section: 'wenlv', scene: 'hills', make: studyTour },
];
