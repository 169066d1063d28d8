import { sql } from 'kysely';
import { dueDate, hashPassword, nextMessageSerial, type Consents } from '@yiduan/core';
import {
  setPlatform,
  setTenant,
  type CommentStatus,
  type MessageCategory,
  type MessageStatus,
  type Staff,
  type Tenant,
  type Trx,
} from '@yiduan/db';
import { DEMO_PASSWORD } from './staff.js';
import { rng } from './text.js';

/** The demo citizen: signs in on any face with this phone and the demo password. */
export const DEMO_CITIZEN = { phone: '13800138000', name: '王小丽' } as const;

const SURNAMES = ['张', '李', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '建国',
];

const COMMENTS = [
  '家乡的变化越来越大，点赞！',
  '希望这样的好政策能一直坚持下去。',
  '报道很及时，给记者点个赞。',
  '我们村也在推进这项工作，效果很好。',
  '请问具体的办理地点在哪里？',
  '期待后续报道。',
];

interface MessageSeed {
  tenant: string;
  unit: boolean;
  category: MessageCategory;
  title: string;
  body: string;
  status: MessageStatus;
  daysAgo: number;
  reply?: string;
  replyPublic?: boolean;
  rating?: number;
}

const MESSAGES: MessageSeed[] = [
  {
    tenant: 'ruyang',
    unit: true,
    category: 'complaint',
    title: '城关镇建设路路灯不亮',
    body: '建设路小区门口的路灯坏了一个月，晚上出行不便，请尽快修复。',
    status: 'replied',
    daysAgo: 9,
    reply: '已联系供电所，路灯已修复。感谢您的监督！',
    replyPublic: true,
    rating: 5,
  },
  {
    tenant: 'ruyang',
    unit: false,
    category: 'consultation',
    title: '医保异地备案怎么办理',
    body: '在郑州工作，父母在汝阳参保，异地就医备案需要哪些材料？',
    status: 'closed',
    daysAgo: 20,
    reply: '可通过国家医保服务平台APP线上备案，或携带身份证到县医保中心窗口办理。',
    replyPublic: true,
    rating: 4,
  },
  {
    tenant: 'ruyang',
    unit: true,
    category: 'suggestion',
    title: '建议增加学校门口护学岗',
    body: '上下学高峰时段学校门口车辆拥堵，建议增加交警护学岗。',
    status: 'assigned',
    daysAgo: 2,
  },
  {
    tenant: 'ruyang',
    unit: false,
    category: 'help',
    title: '老人走失求助',
    body: '家中老人早上出门未归，穿蓝色外套，请帮忙扩散寻找。',
    status: 'received',
    daysAgo: 0,
  },
  {
    tenant: 'ruyang',
    unit: false,
    category: 'complaint',
    title: '夜间施工噪音扰民',
    body: '工业园区附近工地每晚施工到凌晨，严重影响休息。',
    status: 'received',
    daysAgo: 12,
  },
  {
    tenant: 'yichuan',
    unit: true,
    category: 'consultation',
    title: '农村危房改造补贴标准',
    body: '想了解今年农村危房改造的补贴标准和申请流程。',
    status: 'replied',
    daysAgo: 6,
    reply: '补贴按改造方式分档，详情请咨询所在乡镇住建服务站。',
    replyPublic: false,
  },
  {
    tenant: 'yichuan',
    unit: false,
    category: 'suggestion',
    title: '公交线路延伸到产业园',
    body: '建议将3路公交延伸到产业园区，方便职工通勤。',
    status: 'assigned',
    daysAgo: 8,
  },
  {
    tenant: 'henan',
    unit: false,
    category: 'suggestion',
    title: '希望多报道县域特色产业',
    body: '各县都有特色产业，希望省平台多做专题报道。',
    status: 'replied',
    daysAgo: 4,
    reply: '感谢建议，我们正在策划“县域特色产业”系列报道。',
    replyPublic: true,
  },
];

const DAY = 24 * 3600 * 1000;

/**
 * Citizens for the demo: the demo citizen (README) following several faces with
 * consents, readers following the counties, comments in every moderation state
 * and messages in every handling state, one of them overdue. Platform scope.
 */
export async function seedAudience(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  now: Date,
): Promise<void> {
  await setPlatform(trx);
  const dice = rng('audience');
  const pick = <T>(list: readonly T[]): T => dice.pick(list);
  const ago = (days: number, hours = 0): Date => new Date(now.getTime() - days * DAY - hours * 3600 * 1000);

  const demo = await trx
    .insertInto('citizens')
    .values({
      phone: DEMO_CITIZEN.phone,
      display_name: DEMO_CITIZEN.name,
      password_hash: await hashPassword(DEMO_PASSWORD),
      created_at: ago(40),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const readers = await trx
    .insertInto('citizens')
    .values(
      Array.from({ length: 40 }, (_, i) => ({
        phone: `1390000${String(i).padStart(4, '0')}`,
        display_name: `${pick(SURNAMES)}${pick(GIVEN)}`,
        created_at: ago(60 - i),
      })),
    )
    .returning(['id', 'display_name'])
    .execute();

  const unitsOf = async (tenantId: string) =>
    trx
      .selectFrom('units')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'active')
      .orderBy('slug')
      .execute();
  const follow = async (tenantId: string, citizenId: string, unitId: string | null, consents: Consents, at: Date) => {
    const m = await trx
      .insertInto('memberships')
      .values({ tenant_id: tenantId, citizen_id: citizenId, unit_id: unitId, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('membership_consents')
      .values(
        (Object.keys(consents) as (keyof Consents)[]).map((purpose) => ({
          tenant_id: tenantId,
          membership_id: m.id,
          purpose,
          granted: consents[purpose],
          at,
        })),
      )
      .execute();
  };

  const ruyangUnits = await unitsOf(tenants.ruyang!.id);
  await follow(tenants.ruyang!.id, demo.id, null, { news: true, contact: true, share_parent: false }, ago(30));
  if (ruyangUnits[0])
    await follow(
      tenants.ruyang!.id,
      demo.id,
      ruyangUnits[0].id,
      { news: true, contact: false, share_parent: false },
      ago(20),
    );
  await follow(tenants.yichuan!.id, demo.id, null, { news: true, contact: false, share_parent: false }, ago(15));
  await follow(tenants.henan!.id, demo.id, null, { news: true, contact: false, share_parent: true }, ago(10));
  const counties = Object.values(tenants).filter((t) => t.level === 'county');
  for (const [i, r] of readers.entries()) {
    const county = counties[i % counties.length]!;
    await follow(
      county.id,
      r.id,
      null,
      { news: dice.chance(0.8), contact: dice.chance(0.3), share_parent: dice.chance(0.5) },
      ago(50 - i),
    );
    if (i % 3 === 0)
      await follow(tenants.henan!.id, r.id, null, { news: true, contact: false, share_parent: false }, ago(45 - i));
  }
  // one reader left again
  await trx
    .updateTable('memberships')
    .set({ ended_at: ago(3) })
    .where('citizen_id', '=', readers[5]!.id)
    .execute();

  // comments on the newest own stories of two counties: every moderation state
  for (const slug of ['ruyang', 'yichuan']) {
    const tenantId = tenants[slug]!.id;
    const editor = staff[`${slug}-editor`]!;
    const stories = await trx
      .selectFrom('stories')
      .select(['id', 'unit_id'])
      .where('tenant_id', '=', tenantId)
      .where('published_revision', 'is not', null)
      .where('retracted_at', 'is', null)
      .orderBy('first_published_at', 'desc')
      .limit(4)
      .execute();
    const states: [CommentStatus, string | null][] = [
      ['approved', null],
      ['approved', null],
      ['pending', '本站评论先审后发'],
      ['rejected', null],
      ['hidden', null],
    ];
    for (const [si, story] of stories.entries()) {
      for (const [ci, [status, held]] of states.entries()) {
        const author =
          ci === 0 && si === 0
            ? { id: demo.id, display_name: DEMO_CITIZEN.name }
            : readers[(si * 5 + ci) % readers.length]!;
        const at = ago(si + 1, ci * 2);
        const c = await trx
          .insertInto('comments')
          .values({
            tenant_id: tenantId,
            story_tenant_id: tenantId,
            story_id: story.id,
            citizen_id: author.id,
            author_name: author.display_name,
            body: status === 'rejected' ? '广告：低价代办各类证件，加微信详询。' : pick(COMMENTS),
            status,
            held_reason: held,
            findings: '[]',
            moderated_by: status === 'pending' ? null : editor.id,
            moderated_at: status === 'pending' ? null : at,
            moderation_note: status === 'rejected' ? '广告信息' : status === 'hidden' ? '多名读者举报' : null,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (ci === 0) {
          await trx
            .insertInto('comments')
            .values({
              tenant_id: tenantId,
              story_tenant_id: tenantId,
              story_id: story.id,
              parent_id: c.id,
              staff_id: editor.id,
              author_name: tenants[slug]!.name,
              body: '感谢您的关注，我们会持续跟进报道。',
              official: true,
              status: 'approved',
              findings: '[]',
              moderated_by: editor.id,
              moderated_at: at,
              created_at: new Date(at.getTime() + 3600 * 1000),
            })
            .execute();
        }
        if (ci === 1) {
          await trx
            .insertInto('comment_reports')
            .values({
              tenant_id: tenantId,
              comment_id: c.id,
              citizen_id: readers[(si + 7) % readers.length]!.id,
              reason: '其他',
            })
            .execute();
        }
      }
    }
  }

  // messages in every state; each is numbered in its tenant's scope, which is restored after
  const scope = (await sql<{ tenant: string }>`SELECT current_setting('app.tenant_id', true) AS tenant`.execute(trx))
    .rows[0]!.tenant;
  for (const [i, m] of MESSAGES.entries()) {
    const tenant = tenants[m.tenant]!;
    const editor = staff[`${m.tenant}-editor`]!;
    const units = m.unit ? await unitsOf(tenant.id) : [];
    const created = ago(m.daysAgo, 3);
    const author =
      i < 3
        ? { id: demo.id, name: DEMO_CITIZEN.name, phone: DEMO_CITIZEN.phone }
        : { id: readers[i]!.id, name: readers[i]!.display_name, phone: null };
    const answered = m.status === 'replied' || m.status === 'closed';
    const repliedAt = answered ? new Date(created.getTime() + 2 * DAY) : null;
    // the same numbering as the application's: LY + Beijing date + the tenant's daily sequence
    await setTenant(trx, tenant.id);
    const serial = await nextMessageSerial(trx, tenant.id, created);
    const row = await trx
      .insertInto('citizen_messages')
      .values({
        tenant_id: tenant.id,
        serial,
        unit_id: units[0]?.id ?? null,
        citizen_id: author.id,
        category: m.category,
        title: m.title,
        body: m.body,
        contact_name: author.name,
        contact_phone: author.phone,
        allow_public: m.replyPublic ?? false,
        status: m.status,
        assignee_id: m.status === 'received' ? null : editor.id,
        due_at: dueDate(created, 5),
        reply: m.reply ?? null,
        reply_public: m.replyPublic ?? false,
        replied_by: answered ? editor.id : null,
        replied_at: repliedAt,
        rating: m.rating ?? null,
        rated_at: m.rating ? new Date(created.getTime() + 3 * DAY) : null,
        closed_at: m.status === 'closed' ? new Date(created.getTime() + 4 * DAY) : null,
        created_at: created,
        updated_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const steps: MessageStatus[] = [
      'received',
      ...(m.status === 'received' ? [] : (['assigned'] as const)),
      ...(answered ? (['replied'] as const) : []),
      ...(m.status === 'closed' ? (['closed'] as const) : []),
    ];
    for (const [si, to] of steps.entries()) {
      await trx
        .insertInto('citizen_message_events')
        .values({
          tenant_id: tenant.id,
          message_id: row.id,
          from_status: si === 0 ? null : steps[si - 1]!,
          to_status: to,
          staff_id: si === 0 ? null : editor.id,
          by_citizen: si === 0,
          at: new Date(created.getTime() + si * DAY),
        })
        .execute();
    }
  }
  if (scope) await setTenant(trx, scope);
}
