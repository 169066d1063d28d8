import { sql } from 'kysely';
import {
  accessFor,
  answerAssignment,
  assignTopic,
  closeTopic,
  createCampaign,
  createTopic,
  decidePitch,
  decideTopic,
  fileAssignment,
  pitchTopic,
  proposeTopic,
  staffActor,
  updateCampaign,
  type Access,
  type Actor,
  type AssignmentTask,
} from '@yiduan/core';
import { setPlatform, setTenant, type Staff, type Tenant, type Trx } from '@yiduan/db';

/**
 * The demo province's planning desk (选题策划), as of the day the demo is seeded: the province runs
 * a winter campaign that reaches every level and has closed its summer harvest one; it assigns a
 * topic to three desks (洛阳 accepts and passes it on to 伊川, 汝阳 accepts, covers it with its
 * reporter and files a published story, 商丘 has not answered yet) and a second one that 柘城
 * declines; 汝阳's reporter has a proposal waiting and one declined, 汝阳 pitches a topic into the
 * province's campaign (waiting) and one to 洛阳 (accepted); 柘城's pitch to 商丘 was declined; 管城
 * has an assignment past its due time; the province gives a short video to every county of 洛阳 at
 * once (伊川 declines with a reason, 汝阳's reporter files a story under review on it). Everything is done by each tenant's own staff in its own
 * scope, through the planning context, as the console would.
 */

const DAY = 86_400_000;
const beijingDay = (at: number): string => new Date(at + 8 * 3600_000).toISOString().slice(0, 10);

interface Desk {
  access: Access;
  actor: Actor;
}

/** A published story of the tenant whose title matches, else its latest published one. */
async function publishedStory(trx: Trx, tenantId: string, like: string): Promise<string | null> {
  const r = await sql<{ id: string }>`
    SELECT s.id FROM stories s JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.current_revision
     WHERE s.tenant_id = ${tenantId} AND s.state = 'published'
     ORDER BY (r.title LIKE ${like}) DESC, s.published_at DESC
     LIMIT 1`.execute(trx);
  return r.rows[0]?.id ?? null;
}

/** A story of the tenant in one of the states (the first listed first), the latest first. */
async function storyIn(trx: Trx, tenantId: string, states: string[]): Promise<string | null> {
  const r = await sql<{ id: string }>`
    SELECT s.id FROM stories s WHERE s.tenant_id = ${tenantId} AND s.state = ANY(${states}::text[])
     ORDER BY array_position(${states}::text[], s.state), s.updated_at DESC LIMIT 1`.execute(trx);
  return r.rows[0]?.id ?? null;
}

export async function seedPlanning(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  now: Date,
): Promise<void> {
  const at = (days: number, hour = 18): Date =>
    new Date(Date.parse(`${beijingDay(now.getTime() + days * DAY)}T${String(hour).padStart(2, '0')}:00:00+08:00`));
  /** works in the tenant's scope as this desk (slug-role, e.g. ruyang-editor) */
  const as = async (login: string): Promise<Desk & { tenantId: string }> => {
    const slug = login.slice(0, login.indexOf('-'));
    const tenantId = tenants[slug]!.id;
    await setTenant(trx, tenantId);
    const s = staff[login]!;
    return { access: await accessFor(trx, s, tenantId), actor: staffActor(s), tenantId };
  };
  const person = (login: string) => ({ staffId: staff[login]!.id });
  const desk = (slug: string) => ({ tenantId: tenants[slug]!.id });
  const assign = async (
    d: Desk,
    topicId: string,
    who: ({ staffId: string } | { tenantId: string })[],
    task: AssignmentTask,
    instructions: string,
    dueAt?: Date,
  ) =>
    assignTopic(trx, d.access, d.actor, topicId, { assignees: who, task, instructions, ...(dueAt ? { dueAt } : {}) });

  // ---- 河南: the campaigns, and two topics assigned down the tree
  let hn = await as('henan-chief');
  const winter = await createCampaign(trx, hn.access, hn.actor, {
    title: '岁末年初 · 民生温度',
    brief:
      '全省统筹报道冬季清洁取暖保供、农民工工资支付、冬季安全生产、节日市场保供和困难群众帮扶。各市县可据此安排选题并向省里报题，优秀稿件纳入全省联动刊发。',
    startsOn: beijingDay(now.getTime() - 10 * DAY),
    endsOn: beijingDay(now.getTime() + 60 * DAY),
    reach: 'subtree',
  });
  const summer = await createCampaign(trx, hn.access, hn.actor, {
    title: '2026年“三夏”生产报道',
    brief: '麦收进度、农机跨区作业、烘干收储。',
    startsOn: '2026-05-25',
    endsOn: '2026-06-30',
    reach: 'subtree',
  });
  await updateCampaign(trx, hn.access, hn.actor, summer.id, { status: 'closed' });
  // shared by list: the Yellow River counties and their city only (商丘, 柘城 do not see it)
  await createCampaign(trx, hn.access, hn.actor, {
    title: '黄河流域生态保护沿线行',
    brief: '沿黄市县联动报道生态修复、水土保持和文旅融合，仅向指定的沿黄单位共享。',
    startsOn: beijingDay(now.getTime() - 3 * DAY),
    endsOn: beijingDay(now.getTime() + 90 * DAY),
    reach: 'list',
    shareTenantIds: [tenants.luoyang!.id, tenants.ruyang!.id, tenants.yichuan!.id],
  });
  await createCampaign(trx, hn.access, hn.actor, {
    title: '省台跨年晚会宣传',
    brief: '本单位内部统筹，不向下级发布。',
    reach: 'own',
  });

  hn = await as('henan-editor');
  const heating = await createTopic(trx, hn.access, hn.actor, {
    title: '冬季清洁取暖保供一线',
    brief:
      '走进热电厂、燃气门站和城中村“煤改气”用户家中，看保供措施落实、供暖价格和困难群众取暖补贴发放。每地一篇，附现场图片。',
    dueAt: at(5),
    campaignId: winter.id,
  });
  const [toLuoyang, toRuyang] = await assign(
    hn,
    heating.id,
    [desk('luoyang'), desk('ruyang'), desk('shangqiu')],
    'write',
    '请各地报送本地保供一线稿件一篇，省级客户端统一推送。',
  );
  await assign(hn, heating.id, [person('henan-reporter')], 'video', '剪辑全省保供短视频一条（2 分钟以内）。');
  const wheat = await createTopic(trx, hn.access, hn.actor, {
    title: '冬小麦越冬期田管调查',
    brief: '苗情、墒情和越冬期管理措施，采访农技人员和种粮大户。',
    dueAt: at(9),
    campaignId: winter.id,
  });
  const [, toZhecheng] = await assign(
    hn,
    wheat.id,
    [desk('yichuan'), desk('zhecheng')],
    'write',
    '重点反映旱情较重地块的应对措施。',
  );

  // ---- 洛阳 accepts and passes the assignment on to 伊川; 汝阳 answers it itself
  let ly = await as('luoyang-editor');
  const lyAccepted = await answerAssignment(trx, ly.access, ly.actor, toLuoyang!.id, true);
  await assign(ly, lyAccepted.localTopicId!, [desk('yichuan')], 'write', '伊川县请报送热电联产项目保供情况。', at(4));
  const lyOwn = await createTopic(trx, ly.access, ly.actor, {
    title: '洛阳冬季文旅推介：古都赏雪',
    brief: '龙门、白马寺、老城雪景，配合“古都夜八点”夜游活动。',
    dueAt: at(12),
  });
  await assign(ly, lyOwn.id, [person('luoyang-reporter')], 'photo', '雪后第一时间出图。');

  let ry = await as('ruyang-editor');
  const ryAccepted = await answerAssignment(trx, ry.access, ry.actor, toRuyang!.id, true);
  const [ryLocal] = await assign(
    ry,
    ryAccepted.localTopicId!,
    [person('ruyang-reporter')],
    'write',
    '城关镇供暖站和两户“煤改电”家庭。',
    at(3),
  );
  let ryReporter = await as('ruyang-reporter');
  await answerAssignment(trx, ryReporter.access, ryReporter.actor, ryLocal!.id, true);
  const covered = await publishedStory(trx, ry.tenantId, '%暖%');
  if (covered) await fileAssignment(trx, ryReporter.access, ryReporter.actor, ryLocal!.id, covered);

  // 汝阳's own plan: a reporter's proposals, a planned topic with people on it, pitches up
  await proposeTopic(trx, ryReporter.access, ryReporter.actor, {
    title: '十八盘乡红薯粉条电商直播带货',
    brief: '合作社负责人直播卖粉条，一场能卖多少？跟拍一场直播，算算增收账。',
    dueAt: at(6),
    campaignId: winter.id,
  });
  const milkTea = await proposeTopic(trx, ryReporter.access, ryReporter.actor, {
    title: '县城新开一家网红奶茶店',
    brief: '开业排长队。',
  });
  ry = await as('ruyang-editor');
  await decideTopic(trx, ry.access, ry.actor, milkTea.id, false, '商业宣传色彩较重，新闻价值不足');
  const dukang = await createTopic(trx, ry.access, ry.actor, {
    title: '杜康故里冬酿季',
    brief: '酒企冬酿、杜康仙庄酒文化研学，配短视频。',
    dueAt: at(2),
  });
  const [dukangWriter] = await assign(ry, dukang.id, [person('ruyang-reporter')], 'write', '采访酿酒师傅和研学团队。');
  await assign(ry, dukang.id, [person('ruyang-editor2')], 'photo', '车间和窖池的图片各三张。');
  ryReporter = await as('ruyang-reporter');
  const dukangStory = await publishedStory(trx, ry.tenantId, '%杜康%');
  if (dukangStory) await fileAssignment(trx, ryReporter.access, ryReporter.actor, dukangWriter!.id, dukangStory);
  ry = await as('ruyang-editor');
  const heatingVisit = await createTopic(trx, ry.access, ry.actor, {
    title: '城关镇冬季供暖入户走访',
    brief: '随供暖站检修人员入户，看老旧小区供暖改造效果。',
    dueAt: at(7),
    campaignId: winter.id,
  });
  await pitchTopic(trx, ry.access, ry.actor, {
    topicId: heatingVisit.id,
    toTenantId: tenants.henan!.id,
    note: '老旧小区供暖改造我县完成率全市第一，群众反响好。',
  });
  const toCity = await pitchTopic(trx, ry.access, ry.actor, {
    topicId: dukang.id,
    toTenantId: tenants.luoyang!.id,
    note: '可纳入洛阳冬季文旅推介。',
  });
  ly = await as('luoyang-editor');
  await decidePitch(trx, ly.access, ly.actor, toCity.id, true, '纳入“古都赏雪”系列，请按期交稿');

  // ---- 柘城 declines the province's assignment; its pitch to 商丘 is declined
  const zc = await as('zhecheng-editor');
  await answerAssignment(trx, zc.access, zc.actor, toZhecheng!.id, false, '本县已安排“冬季田管”专版，另行报送');
  const pepper = await createTopic(trx, zc.access, zc.actor, {
    title: '柘城辣椒冬季外销走俏',
    brief: '冷库、物流和电商三条线。',
    dueAt: at(8),
  });
  const zcPitch = await pitchTopic(trx, zc.access, zc.actor, {
    topicId: pepper.id,
    toTenantId: tenants.shangqiu!.id,
    note: '外销订单同比增长明显。',
  });
  const sq = await as('shangqiu-editor');
  await decidePitch(trx, sq.access, sq.actor, zcPitch.id, false, '本月已安排辣椒产业报道，请转为县级稿件刊发');

  // ---- 河南: a short video from every county of 洛阳 at once (冬季供暖); 伊川 declines, 汝阳 accepts
  // and its reporter is drafting (采写中)
  hn = await as('henan-editor');
  const warmth = await createTopic(trx, hn.access, hn.actor, {
    title: '暖气进万家 · 县级短视频联动',
    brief: '各县拍摄一条供暖一线竖屏短视频（90 秒以内），省级客户端统一推送。',
    dueAt: at(4),
    campaignId: winter.id,
  });
  const clips = await assignTopic(trx, hn.access, hn.actor, warmth.id, {
    under: { tenantId: tenants.luoyang!.id, level: 'county' },
    task: 'video',
    instructions: '竖屏拍摄，突出供暖一线人员和群众感受。',
    dueAt: at(4),
  });
  const clipOf = (slug: string) => clips.find((c) => c.assigneeTenantId === tenants[slug]!.id)!;
  const yc = await as('yichuan-editor');
  await answerAssignment(
    trx,
    yc.access,
    yc.actor,
    clipOf('yichuan').id,
    false,
    '本周摄像力量全部投入防汛应急演练，请改派',
  );
  ry = await as('ruyang-editor');
  const ryClip = await answerAssignment(trx, ry.access, ry.actor, clipOf('ruyang').id, true);
  const [ryClipLocal] = await assign(
    ry,
    ryClip.localTopicId!,
    [person('ruyang-reporter')],
    'video',
    '跟拍供暖站夜班巡检。',
    at(3, 12),
  );
  ryReporter = await as('ruyang-reporter');
  await answerAssignment(trx, ryReporter.access, ryReporter.actor, ryClipLocal!.id, true);
  // one of 汝阳's stories under review covers it: the coverage shows 已送审 up to the province
  const inReview = await storyIn(trx, ry.tenantId, ['in_review', 'draft']);
  if (inReview) await fileAssignment(trx, ryReporter.access, ryReporter.actor, ryClipLocal!.id, inReview);

  // ---- 管城: an assignment past its due time, and a topic done
  const gc = await as('guancheng-editor');
  const late = await createTopic(trx, gc.access, gc.actor, {
    title: '北下街老旧小区加装电梯进展',
    brief: '三个小区的加装进度和资金分摊。',
    dueAt: at(-2, 12),
  });
  await assign(gc, late.id, [person('guancheng-reporter')], 'write', '');
  const market = await createTopic(trx, gc.access, gc.actor, {
    title: '元旦前农贸市场保供稳价',
    brief: '菜价、肉价和储备投放。',
    dueAt: at(-5),
  });
  await closeTopic(trx, gc.access, gc.actor, market.id, 'done', '已刊发');

  await setPlatform(trx);
}
