import { sql } from 'kysely';
import type { AgreementKind, Executor } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';

export const AGREEMENT_KINDS: Record<AgreementKind, string> = { terms: '用户协议', privacy: '隐私政策' };
export const isAgreementKind = (v: unknown): v is AgreementKind => v === 'terms' || v === 'privacy';
export const AGREEMENT_BODY_MAX = 30000;

/** An agreement as a citizen reads it: a tenant's published version, or the platform default (version 0). */
export interface AgreementText {
  kind: AgreementKind;
  version: number;
  title: string;
  body: string;
  publishedAt: Date | null;
  /** the platform's default text: the tenant has published none */
  isDefault: boolean;
}

/** The platform's texts for a tenant that has written none (version 0). Paragraphs are separated by blank lines. */
export const DEFAULT_AGREEMENTS: Record<AgreementKind, { title: string; body: string }> = {
  terms: {
    title: '用户协议',
    body: [
      '欢迎使用本平台提供的新闻资讯与政务互动服务（以下简称“本服务”）。本服务由您所访问网站的主办单位（以下简称“主办单位”）依托省级融媒体平台提供。请您在注册前仔细阅读本协议；勾选同意并完成注册，即表示您已阅读、理解并接受本协议的全部内容。',
      '一、账号注册与使用。您可使用本人手机号或电子邮箱注册统一账号，一个账号可登录平台上的各融媒体门户。您应妥善保管验证码和密码，不得将账号出借、转让或出售给他人。如发现账号被盗用，请及时修改密码或联系主办单位。',
      '二、用户行为规范。您在发表评论、提交留言或投诉建议时，应遵守国家法律法规，不得发布危害国家安全、破坏民族团结、宣扬违法犯罪、散布谣言、侮辱诽谤他人、侵犯他人隐私或知识产权的内容，不得发布广告、垃圾信息。主办单位有权依法对评论进行审核，对违规内容不予发布或予以删除。',
      '三、留言办理。您提交的留言将由主办单位或其指定的政务号在承诺时限内办理答复。经您同意公开的留言及答复，可能在网站上公开展示，但不会公开您的联系方式。',
      '四、知识产权。本服务中的新闻稿件、图片、音视频等内容的著作权归主办单位或原作者所有，未经许可不得转载或用于商业用途。',
      '五、服务的变更与终止。主办单位可根据需要调整服务内容，并在网站上公告。您可随时在“我的账号”中注销账号，注销后您的个人信息将依法删除。',
      '六、协议的修改。本协议修改后将发布新版本并标注版本号，重大变更将以显著方式提示您。',
      '七、其他。本协议适用中华人民共和国法律。因本协议产生的争议，双方应友好协商解决。',
    ].join('\n\n'),
  },
  privacy: {
    title: '隐私政策',
    body: [
      '我们深知个人信息对您的重要性，将依照《中华人民共和国个人信息保护法》等法律法规，遵循合法、正当、必要和诚信原则处理您的个人信息。请您在注册前仔细阅读本政策。',
      '一、我们收集的信息。注册和登录时，我们收集您的手机号或电子邮箱、昵称以及您自行设置的密码（仅保存不可逆的加密摘要）；您发表评论、提交留言时，我们收集您填写的内容、您自愿提供的联系人和联系电话、上传的图片；为保障账号安全，我们记录登录时间、IP 地址和浏览器信息。',
      '二、信息的使用目的。我们仅为提供登录、评论、留言办理和账号安全保护使用上述信息。只有在您单独勾选同意后，主办单位才会向您推送新闻、通过您留下的方式联系您，或向上级融媒体中心提供您的关注信息。您可以随时在“我的账号”中撤回这些授权。',
      '三、信息的共享。您关注某一单位后，该单位可以看到您的昵称和关注时间；上级单位只能看到统计数据，看不到您的个人信息。除法律法规另有规定外，我们不会向其他第三方提供您的个人信息。',
      '四、信息的存储与保护。您的个人信息存储在中华人民共和国境内，我们采取加密传输、访问控制、操作审计等措施防止信息泄露、篡改和丢失。',
      '五、您的权利。您可以在“我的账号”中查阅、下载您的全部数据，撤回授权，取消关注，或注销账号。注销后，我们将删除您的手机号、邮箱、昵称和密码，您发表的评论将显示为“已注销用户”。',
      '六、未成年人保护。未满十四周岁的未成年人应在监护人同意和指导下使用本服务。',
      '七、政策的更新。本政策更新时将发布新版本并标注版本号。如您对本政策有疑问，可通过网站的留言功能联系主办单位。',
    ].join('\n\n'),
  },
};

const defaultText = (kind: AgreementKind): AgreementText => ({ kind, version: 0, ...DEFAULT_AGREEMENTS[kind], publishedAt: null, isDefault: true });

/** The version a citizen reads now: the tenant's newest published one, or the default (any scope; null tenant: the platform's). */
export async function currentAgreement(ex: Executor, tenantId: string | null, kind: AgreementKind): Promise<AgreementText> {
  if (!tenantId) return defaultText(kind);
  const row = await ex
    .selectFrom('agreements')
    .select(['version', 'title', 'body', 'published_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { kind, version: row.version, title: row.title, body: row.body, publishedAt: row.published_at, isDefault: false } : defaultText(kind);
}

export interface AgreementAdminView {
  kind: AgreementKind;
  current: AgreementText;
  draft: { title: string; body: string; updatedAt: Date } | null;
  /** published versions, newest first */
  history: { version: number; title: string; publishedAt: Date }[];
}

const EDITORS = ['tenant_admin'] as const;

/** Both agreements of the caller's tenant as its admin edits them: current text, draft, history (tenant scope). */
export async function agreementsForAdmin(ex: Executor, access: Access): Promise<AgreementAdminView[]> {
  access.require(EDITORS);
  const rows = await ex.selectFrom('agreements').selectAll().where('tenant_id', '=', access.tenantId).orderBy('version', 'desc').execute();
  return (['terms', 'privacy'] as const).map((kind) => {
    const mine = rows.filter((r) => r.kind === kind);
    const draft = mine.find((r) => r.status === 'draft');
    const published = mine.filter((r) => r.status === 'published');
    const top = published[0];
    return {
      kind,
      current: top ? { kind, version: top.version, title: top.title, body: top.body, publishedAt: top.published_at, isDefault: false } : defaultText(kind),
      draft: draft ? { title: draft.title, body: draft.body, updatedAt: draft.updated_at } : null,
      history: published.map((r) => ({ version: r.version, title: r.title, publishedAt: r.published_at! })),
    };
  });
}

export interface SaveAgreementInput {
  kind: AgreementKind;
  title: string;
  body: string;
  /** make it the next published version at once (otherwise it stays the tenant's draft) */
  publish: boolean;
}

/**
 * Saves the tenant's draft of an agreement, or publishes it as the next version (tenant admin).
 * A published version never changes again: every edit after it is a new version.
 */
export async function saveAgreement(ex: Executor, access: Access, actor: Actor, input: SaveAgreementInput): Promise<AgreementAdminView> {
  access.require(EDITORS);
  const title = input.title.normalize('NFC').trim();
  const body = input.body.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!isAgreementKind(input.kind)) throw new DomainError('BAD_USER_INPUT', '协议类型无效', [{ path: 'kind', message: '协议类型无效' }]);
  if (title.length < 1 || [...title].length > 60) throw new DomainError('BAD_USER_INPUT', '标题应为 1 到 60 字', [{ path: 'title', message: '标题应为 1 到 60 字' }]);
  if (body.length < 1 || body.length > AGREEMENT_BODY_MAX) {
    throw new DomainError('BAD_USER_INPUT', `正文应为 1 到 ${AGREEMENT_BODY_MAX} 字`, [{ path: 'body', message: `正文应为 1 到 ${AGREEMENT_BODY_MAX} 字` }]);
  }
  // one writer per tenant and kind at a time: version numbers are taken in order
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`agreements:${access.tenantId}:${input.kind}`}))`.execute(ex);
  const now = new Date();
  const draft = await ex.selectFrom('agreements').select('version').where('tenant_id', '=', access.tenantId).where('kind', '=', input.kind).where('status', '=', 'draft').executeTakeFirst();
  const status = input.publish ? ('published' as const) : ('draft' as const);
  let version: number;
  if (draft) {
    version = draft.version;
    await ex
      .updateTable('agreements')
      .set({ title, body, status, updated_at: now, published_at: input.publish ? now : null })
      .where('tenant_id', '=', access.tenantId)
      .where('kind', '=', input.kind)
      .where('version', '=', version)
      .execute();
  } else {
    const top = await ex.selectFrom('agreements').select((eb) => eb.fn.max('version').as('v')).where('tenant_id', '=', access.tenantId).where('kind', '=', input.kind).executeTakeFirst();
    version = (top?.v ?? 0) + 1;
    await ex
      .insertInto('agreements')
      .values({ tenant_id: access.tenantId, kind: input.kind, version, title, body, status, created_by: actor.kind === 'staff' ? actor.id : null, updated_at: now, published_at: input.publish ? now : null })
      .execute();
  }
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: input.publish ? 'agreement.publish' : 'agreement.draft', targetKind: 'agreement', targetId: `${input.kind}:${version}`, detail: { kind: input.kind, version } });
  return (await agreementsForAdmin(ex, access)).find((a) => a.kind === input.kind)!;
}

/** The versions a citizen saw and ticked on the sign-up form, checked against what is current. */
export interface AcceptedAgreements {
  /** the face whose texts were shown; null on the sign-in host without a face */
  tenantId: string | null;
  terms: number;
  privacy: number;
}

/** Records a citizen's acceptance of both agreements (platform or the citizen's own scope), refusing outdated versions. */
export async function acceptAgreements(ex: Executor, citizenId: string, accepted: AcceptedAgreements): Promise<void> {
  for (const kind of ['terms', 'privacy'] as const) {
    const now = await currentAgreement(ex, accepted.tenantId, kind);
    if (now.version !== accepted[kind]) throw new DomainError('AGREEMENTS_CHANGED');
  }
  await ex
    .insertInto('agreement_acceptances')
    .values((['terms', 'privacy'] as const).map((kind) => ({ citizen_id: citizenId, tenant_id: accepted.tenantId, kind, version: accepted[kind] })))
    .execute();
}

/** What a citizen has accepted, newest first (their own scope or the platform's). */
export async function myAcceptances(ex: Executor, citizenId: string): Promise<{ tenantId: string | null; kind: AgreementKind; version: number; acceptedAt: Date }[]> {
  const rows = await ex.selectFrom('agreement_acceptances').selectAll().where('citizen_id', '=', citizenId).orderBy('id', 'desc').execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, kind: r.kind, version: r.version, acceptedAt: r.accepted_at }));
}
