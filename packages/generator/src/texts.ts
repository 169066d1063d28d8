import { HERS, HIS, SURNAMES as DEMO_SURNAMES, type Rng } from '@yiduan/demo';
import type { MessageCategory } from '@yiduan/db';

/** Short texts for generated people, comments and messages (Simplified Chinese, as citizens write them). */

const SURNAMES = [...DEMO_SURNAMES, '郑', '梁', '谢', '韩', '唐', '冯', '于', '董', '萧', '程'];
const GIVEN = [...HIS, ...HERS, '子涵', '雨萱', '浩然', '一鸣', '佳琪', '思远', '梦瑶', '宇航', '欣怡', '俊杰'];
const NICK_A = [
  '快乐',
  '阳光',
  '老',
  '小',
  '爱笑的',
  '追风的',
  '安静的',
  '豫西',
  '豫东',
  '中原',
  '黄河边的',
  '伏牛山下的',
];
const NICK_B = [
  '老农',
  '教书匠',
  '小城青年',
  '退休职工',
  '宝妈',
  '骑手',
  '司机',
  '护士',
  '学生',
  '摄影爱好者',
  '老党员',
  '志愿者',
  '网友',
];

export function personName(r: Rng): string {
  return r.pick(SURNAMES) + r.pick(GIVEN);
}

/** A display name: a nickname or a masked real name, sometimes with a number. */
export function nickname(r: Rng, i: number): string {
  const x = r.next();
  if (x < 0.4) return `${r.pick(NICK_A)}${r.pick(NICK_B)}`;
  if (x < 0.7) return `${r.pick(SURNAMES)}${r.pick(['先生', '女士', '师傅', '老师'])}`;
  return `网友${String(i % 100_000).padStart(5, '0')}`;
}

export const COMMENT_TEXTS: readonly string[] = [
  '点赞！家乡越来越好了。',
  '这个政策好，实实在在惠及老百姓。',
  '希望能多报道一些我们乡镇的事情。',
  '请问具体在哪里办理？有没有咨询电话？',
  '去年去过一次，风景确实不错，推荐大家去看看。',
  '基层干部辛苦了！',
  '孩子上学的问题终于解决了，感谢！',
  '路修好了，出行方便多了。',
  '希望后续能持续跟进报道。',
  '为家乡的发展点赞，期待更多好消息。',
  '有没有线上办理的渠道？上班时间不方便去现场。',
  '我们村也在搞这个，效果很好。',
  '这个活动什么时候还有？错过了太可惜。',
  '数据很详实，报道很用心。',
  '支持！希望能覆盖到更多偏远村子。',
  '老人看病报销方便多了，政策暖心。',
  '加油！为家乡骄傲。',
  '建议在公交站也贴一下通知，很多老人不看手机。',
];

export interface MessageTopic {
  category: MessageCategory;
  title(place: string): string;
  body(place: string, r: Rng): string;
  reply: string;
}

export const MESSAGE_TOPICS: readonly MessageTopic[] = [
  {
    category: 'complaint',
    title: (p) => `${p}某小区楼下夜间噪音扰民`,
    body: (p, r) =>
      `我住在${p}城区，小区楼下有商户${r.pick(['夜间施工', '烧烤摊营业到凌晨', '广场舞音响声音过大'])}，已经持续${r.int(1, 4)}周，严重影响老人和孩子休息，希望有关部门尽快处理。`,
    reply: '您好，您反映的问题已转交属地街道和城管部门，经现场核查已责令整改，后续将加强巡查。感谢您的监督。',
  },
  {
    category: 'consultation',
    title: (p) => `咨询${p}城乡居民医保缴费事宜`,
    body: (p, r) =>
      `请问${p}今年城乡居民医保缴费截止到什么时候？${r.pick(['在外地打工', '孩子在外地上学', '家里老人不会用手机'])}，应该怎么缴费？`,
    reply:
      '您好，本年度集中缴费期至12月31日，可通过"豫事办"、税务小程序或村（社区）便民服务站缴纳。如有疑问可拨打医保服务热线咨询。',
  },
  {
    category: 'suggestion',
    title: (p) => `建议${p}增开早晚高峰公交班次`,
    body: (p, r) =>
      `${p}${r.pick(['城区到产业园', '火车站到新区', '县城到乡镇'])}的公交线路早晚高峰非常拥挤，等车时间长，建议增开班次或开通定制公交。`,
    reply: '您好，感谢您的建议。交通运输部门已对该线路客流进行调查，计划在高峰时段增加班次，具体调整将另行公告。',
  },
  {
    category: 'help',
    title: (p) => `${p}一位老人走失，请求帮助寻找`,
    body: (p, r) =>
      `我家老人${r.int(70, 86)}岁，有轻度认知障碍，今天上午在${p}${r.pick(['汽车站', '农贸市场', '人民公园'])}附近走失，身穿深色外套，请看到的好心人联系我们。`,
    reply: '您好，已联系属地派出所和社区网格员协助寻找，并通过本平台发布寻人信息。如有进展请及时告知。',
  },
  {
    category: 'complaint',
    title: (p) => `${p}某路段路灯长期不亮`,
    body: (p, r) =>
      `${p}${r.pick(['滨河路', '人民路东段', '学校门口'])}的路灯已经坏了${r.int(2, 8)}周，晚上出行很不安全，希望尽快维修。`,
    reply: '您好，经核实该路段路灯线路老化，市政部门已完成维修，目前路灯恢复正常。感谢您的反映。',
  },
  {
    category: 'consultation',
    title: (p) => `${p}新生入学报名需要哪些材料`,
    body: (p, r) => `孩子今年${r.pick(['上小学', '上初中'])}，户口在${p}，但房子是租的，请问报名需要准备哪些材料？`,
    reply: '您好，租房家庭可凭户口簿、居住证明（租赁合同备案）及监护人相关材料报名，具体以教育部门公布的招生简章为准。',
  },
];
