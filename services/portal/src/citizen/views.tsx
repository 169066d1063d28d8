import type { ComponentChildren } from 'preact';
import {
  CONSENT_LABELS,
  MESSAGE_CATEGORIES,
  MESSAGE_STATUS_LABELS,
  type MembershipView,
  type PublicComment,
  type PublicReply,
} from '@yiduan/core';
import type { CitizenMessage, CitizenMessageEvent, CommentRow } from '@yiduan/db';
import type { FaceView } from '../views/face-view.js';
import { FaceLayout } from '../views/face-layout.js';
import { formatDateTime, isoShanghai } from '../views/format.js';

/** Form styles shared by the citizens' pages (faces and the sign-in host). */
export const FORM_CSS = [
  '.form{display:grid;gap:1rem;max-width:32rem;margin:1rem 0}',
  '.form label{display:grid;gap:.25rem;font-weight:600}',
  '.form input[type=text],.form input[type=password],.form input[type=tel],.form textarea,.form select{font:inherit;padding:.5rem;border:1px solid currentColor;min-height:2.75rem}',
  '.form textarea{min-height:8rem}',
  '.form .check{display:flex;gap:.5rem;align-items:center;font-weight:400}',
  '.hint{font-size:.875rem;margin:0}',
  '.alert{padding:.75rem 1rem;border:2px solid #b42318;color:#b42318}',
  '.ok{padding:.75rem 1rem;border:2px solid #067647}',
  '.inline{display:inline}',
  '.link-button{background:none;border:0;padding:0;font:inherit;text-decoration:underline;cursor:pointer;color:inherit}',
  '.comments{margin:2rem 0 0;padding:1rem 0 0;border-top:2px solid var(--accent, #ccc)}',
  '.comment{margin:0 0 1rem}',
  '.comment .who{font-weight:600}',
  '.official{display:inline-block;margin-left:.5rem;padding:0 .25rem;border:1px solid currentColor;font-size:.75rem}',
  '.reply-box{margin:.5rem 0 0;padding:.5rem 1rem;border-left:4px solid var(--accent, #ccc)}',
  '.table{border-collapse:collapse;width:100%}.table td,.table th{border-bottom:1px solid #ccc;padding:.5rem;text-align:left}',
].join('\n');

export function Alert({ message }: { message?: string | null }) {
  return message ? (
    <p class="alert" role="alert">
      {message}
    </p>
  ) : null;
}

/** A citizen page on a face, in the face's own look. */
export function CitizenPage({ face, title, children }: { face: FaceView; title: string; children: ComponentChildren }) {
  return (
    <FaceLayout face={face} title={title} path={null} head={<style>{FORM_CSS}</style>}>
      <h1 class="page-title">{title}</h1>
      {children}
    </FaceLayout>
  );
}

/** The face a citizen came to the sign-in host from: its look and the way back. */
export interface AccountBrand {
  face: FaceView;
  /** `scheme://host[:port]` of the face */
  origin: string;
  /** the face's host as the request named it (carried to the agreement pages) */
  host: string;
  tenantId: string;
}

/** The sign-in host's stylesheet, per face (its colours) or the platform's look. */
export const accountCssHref = (brand: AccountBrand | null | undefined): string =>
  brand ? `/account.css?face=${encodeURIComponent(brand.host)}` : '/account.css';

/** A logo on the face's own host (a site-relative URL) is named absolutely from the sign-in host. */
const logoOf = (brand: AccountBrand): string | null =>
  brand.face.logoUrl
    ? brand.face.logoUrl.startsWith('/')
      ? `${brand.origin}${brand.face.logoUrl}`
      : brand.face.logoUrl
    : null;

/**
 * A page of the central sign-in host: in the look of the face the citizen came from (name, logo,
 * colours, a link back), or the platform's neutral look. Styles come from the portal's own
 * stylesheet (no inline style, no script: the host's policy allows neither).
 */
export function AccountPage({
  title,
  brand,
  children,
}: {
  title: string;
  brand?: AccountBrand | null;
  children: ComponentChildren;
}) {
  const logo = brand ? logoOf(brand) : null;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${brand ? brand.face.siteName : '统一账号'}`}</title>
        <meta name="robots" content="noindex" />
        <link rel="stylesheet" href={accountCssHref(brand)} />
      </head>
      <body class="account-host">
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        <header class="site-header">
          <div class="wrap header-inner">
            {brand ? (
              <a class="brand" href={`${brand.origin}/`}>
                {logo ? <img src={logo} alt={`${brand.face.siteName}标志`} height={40} /> : null}
                <span>
                  <span class="site-name">{brand.face.siteName}</span>
                  <span class="tagline">统一账号登录</span>
                </span>
              </a>
            ) : (
              <span class="brand">
                <span>
                  <span class="site-name">统一账号</span>
                  <span class="tagline">一端百面 · 全省融媒体门户</span>
                </span>
              </span>
            )}
          </div>
        </header>
        <main id="main" class="wrap account">
          {brand ? (
            <p class="back-link">
              <a href={`${brand.origin}/`}>← 返回{brand.face.siteName}</a>
            </p>
          ) : null}
          <div class="account-card">
            <h1 class="page-title">{title}</h1>
            {children}
          </div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>一个账号即可登录全省各融媒体门户。{brand ? `您正在登录${brand.face.siteName}。` : ''}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** What the sign-in host's stylesheet adds to a face's base look. */
export const ACCOUNT_CSS = [
  'body.account-host{min-height:100vh;display:flex;flex-direction:column}',
  '.account-host main{flex:1}',
  '.account{max-width:40rem}',
  '.account-card{margin:1rem 0;padding:1.5rem;border:1px solid var(--accent);border-radius:.5rem;background:var(--bg)}',
  '.account-card .form{max-width:none}',
  '.account-card h2{font-size:1.125rem;margin:1.5rem 0 .5rem}',
  '.back-link{margin:0;font-size:.9375rem}',
  '.back-link a{display:inline-block;padding:.5rem 0;min-height:2.75rem}',
  '.form input[type=text],.form input[type=password],.form input[type=tel],.form textarea,.form select{border-radius:.25rem;border-color:var(--text);background:var(--bg);color:var(--text)}',
  '.form input:focus-visible,.form textarea:focus-visible,.form select:focus-visible{outline:3px solid var(--primary);outline-offset:1px}',
  '.form input[type=checkbox]{width:1.25rem;height:1.25rem;accent-color:var(--primary)}',
  '.form .button{margin:0;justify-self:start;border-radius:.25rem}',
  '.form fieldset{border:1px solid var(--accent);border-radius:.25rem;padding:.75rem 1rem}',
  '.agreement-body p{margin:0 0 1rem}',
  '.divider{margin:2rem 0 0;border:0;border-top:1px solid var(--accent)}',
].join('\n');

/** An agreement as a page: its title, version and paragraphs. */
export function AgreementBody({
  text,
}: {
  text: { kind: string; version: number; title: string; body: string; publishedAt: Date | null; isDefault: boolean };
}) {
  return (
    <div class="agreement-body">
      <p class="hint">
        版本 {text.isDefault ? '平台默认文本' : `第 ${text.version} 版`}
        {text.publishedAt ? `，发布于 ${formatDateTime(text.publishedAt)}` : ''}
      </p>
      {text.body.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{para}</p>
      ))}
    </div>
  );
}

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function PasswordSignIn({
  csrf,
  back,
  identifier,
  error,
}: {
  csrf: string;
  back: string;
  identifier?: string;
  error?: string | null;
}) {
  return (
    <form class="form" method="post" action="/login" aria-labelledby="pw-heading">
      <h2 id="pw-heading">密码登录</h2>
      <Alert message={error} />
      <Csrf token={csrf} />
      <input type="hidden" name="return" value={back} />
      <label>
        手机号或邮箱
        <input type="text" name="identifier" autocomplete="username" required value={identifier ?? ''} />
      </label>
      <label>
        密码
        <input type="password" name="password" autocomplete="current-password" required />
      </label>
      <button class="button" type="submit">
        登录
      </button>
    </form>
  );
}

export function CodeRequest({
  csrf,
  back,
  identifier,
  heading,
  error,
}: {
  csrf: string;
  back: string;
  identifier?: string;
  heading: string;
  error?: string | null;
}) {
  return (
    <form class="form" method="post" action="/code" aria-labelledby="code-heading">
      <h2 id="code-heading">{heading}</h2>
      <Alert message={error} />
      <Csrf token={csrf} />
      <input type="hidden" name="return" value={back} />
      <label>
        手机号或邮箱
        <input type="text" name="identifier" autocomplete="username" required value={identifier ?? ''} />
      </label>
      <button class="button" type="submit">
        获取验证码
      </button>
      <p class="hint">未注册的手机号或邮箱验证后将自动注册。</p>
    </form>
  );
}

/** The versions shown on the sign-up form, and where to read them. */
export interface AgreementOffer {
  terms: number;
  privacy: number;
  /** the face's host for the reading pages (null: the platform's texts) */
  faceHost: string | null;
}

export function CodeEntry({
  csrf,
  back,
  identifier,
  error,
  agreements,
  code,
}: {
  csrf: string;
  back: string;
  identifier: string;
  error?: string | null;
  agreements: AgreementOffer;
  code?: string;
}) {
  const read = (kind: string) =>
    `/agreements/${kind}${agreements.faceHost ? `?face=${encodeURIComponent(agreements.faceHost)}` : ''}`;
  return (
    <form class="form" method="post" action="/login/code" aria-labelledby="enter-heading">
      <h2 id="enter-heading">输入验证码</h2>
      <p class="hint">验证码已发送至 {identifier}，10 分钟内有效。</p>
      <Alert message={error} />
      <Csrf token={csrf} />
      <input type="hidden" name="return" value={back} />
      <input type="hidden" name="identifier" value={identifier} />
      <label>
        验证码
        <input
          type="text"
          name="code"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          value={code ?? ''}
        />
      </label>
      <label>
        昵称（新用户填写）
        <input type="text" name="displayName" maxLength={20} />
      </label>
      <label>
        设置密码（可选，至少 10 位，含字母和数字）
        <input type="password" name="password" autocomplete="new-password" />
      </label>
      <input type="hidden" name="terms_version" value={String(agreements.terms)} />
      <input type="hidden" name="privacy_version" value={String(agreements.privacy)} />
      <fieldset>
        <legend>新用户注册须知</legend>
        <label class="check">
          <input type="checkbox" name="agree_terms" value="1" /> 我已阅读并同意
          <a href={read('terms')} target="_blank" rel="noopener">
            《用户协议》
          </a>
        </label>
        <label class="check">
          <input type="checkbox" name="agree_privacy" value="1" /> 我已阅读并同意
          <a href={read('privacy')} target="_blank" rel="noopener">
            《隐私政策》
          </a>
        </label>
        <p class="hint">已有账号的用户直接登录，无需勾选。</p>
      </fieldset>
      <button class="button" type="submit">
        登录 / 注册
      </button>
    </form>
  );
}

export function ConsentFields({ checked }: { checked: Partial<Record<keyof typeof CONSENT_LABELS, boolean>> }) {
  return (
    <fieldset>
      <legend>授权选项（可随时在“我的账号”中撤回）</legend>
      {(Object.keys(CONSENT_LABELS) as (keyof typeof CONSENT_LABELS)[]).map((p) => (
        <label class="check" key={p}>
          <input type="checkbox" name={p} value="1" checked={checked[p] ?? false} /> {CONSENT_LABELS[p]}
        </label>
      ))}
    </fieldset>
  );
}

export function MembershipTable({ rows, csrf, action }: { rows: MembershipView[]; csrf: string; action: string }) {
  if (rows.length === 0) return <p>您还没有关注任何单位。</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">关注对象</th>
          <th scope="col">关注时间</th>
          <th scope="col">授权</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id}>
            <td>
              {m.tenantName}
              {m.unitName ? ` · ${m.unitName}` : ''}
              {m.endedAt ? '（已取消）' : ''}
            </td>
            <td>
              <time dateTime={isoShanghai(m.createdAt)}>{formatDateTime(m.createdAt)}</time>
            </td>
            <td>
              {m.consents.map((c) => (
                <form key={c.purpose} method="post" action={`${action}/consent`} class="inline-form">
                  <Csrf token={csrf} />
                  <input type="hidden" name="membershipId" value={m.id} />
                  <input type="hidden" name="purpose" value={c.purpose} />
                  <input type="hidden" name="granted" value={c.granted ? '0' : '1'} />
                  {CONSENT_LABELS[c.purpose]}：{c.granted ? '已授权' : '未授权'}（
                  <time dateTime={isoShanghai(c.at)}>{formatDateTime(c.at)}</time>）
                  {m.endedAt ? null : (
                    <button class="link-button" type="submit">
                      {c.granted ? '撤回' : '授权'}
                    </button>
                  )}
                </form>
              ))}
            </td>
            <td>
              {m.endedAt ? null : (
                <form method="post" action={`${action}/unfollow`}>
                  <Csrf token={csrf} />
                  <input type="hidden" name="membershipId" value={m.id} />
                  <button class="link-button" type="submit">
                    取消关注
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approved comments under a story (part of the cached story page: no per-visitor content). */
export function CommentList({ comments, storyPath }: { comments: PublicComment[]; storyPath: string }) {
  const top = comments.filter((c) => !c.parentId);
  const replies = (id: string) => comments.filter((c) => c.parentId === id);
  return (
    <section class="comments" aria-labelledby="comments-heading" id="comments">
      <h2 id="comments-heading">评论（{comments.length}）</h2>
      {top.length === 0 ? <p>暂无评论。</p> : null}
      {top.map((c) => (
        <div class="comment" key={c.id}>
          <p>
            <span class="who">{c.authorName}</span>
            {c.official ? <span class="official">官方回复</span> : null}{' '}
            <time dateTime={isoShanghai(c.createdAt)}>{formatDateTime(c.createdAt)}</time>
          </p>
          <p>{c.body}</p>
          {replies(c.id).map((r) => (
            <div class="reply-box" key={r.id}>
              <p>
                <span class="who">{r.authorName}</span>
                {r.official ? <span class="official">官方回复</span> : null}
              </p>
              <p>{r.body}</p>
            </div>
          ))}
          <p class="hint">
            <a href={`/comments/${c.id}/report`} rel="nofollow">
              举报
            </a>
          </p>
        </div>
      ))}
      <p>
        <a class="button" href={`${storyPath}/comment`} rel="nofollow">
          发表评论
        </a>
      </p>
    </section>
  );
}

/**
 * A citizen's own comment right after posting (a per-visitor page, never cached): what happened
 * to it, the comment itself, and the story's published comments around it.
 */
export function OwnComment({
  comment,
  storyId,
  storyTitle,
  others,
}: {
  comment: CommentRow;
  storyId: string;
  storyTitle: string;
  others: PublicComment[];
}) {
  const path = `/a/${storyId}`;
  const state =
    comment.status === 'approved'
      ? '您的评论已发布，所有读者都能看到。稿件页面稍后更新。'
      : comment.status === 'pending'
        ? '您的评论已提交，正在等待审核：审核通过后公开显示，在此之前只有您本人能看到。'
        : '您的评论未通过审核，不会公开显示。';
  return (
    <>
      <p class={comment.status === 'approved' || comment.status === 'pending' ? 'ok' : 'alert'} role="status">
        {state}
      </p>
      <p>
        评论稿件：<a href={path}>{storyTitle}</a>
      </p>
      <section class="comments" aria-labelledby="my-comment-heading" id="my-comment">
        <h2 id="my-comment-heading">我的评论</h2>
        <div class="comment comment-mine">
          <p>
            <span class="who">{comment.author_name}</span>{' '}
            <time dateTime={isoShanghai(comment.created_at)}>{formatDateTime(comment.created_at)}</time>{' '}
            <span class="official">
              {comment.status === 'approved' ? '已发布' : comment.status === 'pending' ? '待审核' : '未通过'}
            </span>
          </p>
          <p>{comment.body}</p>
        </div>
      </section>
      {others.length ? (
        <section class="comments" aria-labelledby="others-heading">
          <h2 id="others-heading">其他读者的评论（{others.length}）</h2>
          {others.slice(-20).map((c) => (
            <div class="comment" key={c.id}>
              <p>
                <span class="who">{c.authorName}</span>
                {c.official ? <span class="official">官方回复</span> : null}
              </p>
              <p>{c.body}</p>
            </div>
          ))}
        </section>
      ) : null}
      <p>
        <a class="button" href={`${path}#comments`}>
          返回稿件
        </a>
      </p>
    </>
  );
}

export function MessageBoard({ rows, unitNames }: { rows: PublicReply[]; unitNames: Map<string, string> }) {
  if (rows.length === 0) return <p>暂无公开答复。</p>;
  return (
    <ol class="story-list">
      {rows.map((m) => (
        <li class="story-item" key={m.id}>
          <div>
            <h2 class="story-title">
              [{MESSAGE_CATEGORIES[m.category]}] {m.title}
            </h2>
            <p class="hint">
              编号 {m.serial}
              {m.unitId && unitNames.has(m.unitId) ? ` · ${unitNames.get(m.unitId)}` : ''} · 留言于{' '}
              {formatDateTime(m.createdAt)}
            </p>
            <p>{m.body}</p>
            <div class="reply-box">
              <p>
                <span class="official">官方答复</span> {formatDateTime(m.repliedAt)}
              </p>
              <p>{m.reply}</p>
              {m.rating ? <p class="hint">留言人满意度：{'★'.repeat(m.rating)}</p> : null}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

/** A citizen's own messages on this face, newest first. */
export function MyMessages({ rows }: { rows: { id: string; serial: string; title: string }[] }) {
  if (rows.length === 0) return <p>暂无留言。</p>;
  return (
    <ul>
      {rows.map((m) => (
        <li key={m.id}>
          <a href={`/messages/mine/${m.id}`}>
            {m.serial} {m.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function MessageDetail({
  m,
  events,
  unitName,
  csrf,
}: {
  m: CitizenMessage;
  events: CitizenMessageEvent[];
  unitName: string | null;
  csrf: string;
}) {
  return (
    <>
      <p>
        编号 {m.serial} · {MESSAGE_CATEGORIES[m.category]}
        {unitName ? ` · ${unitName}` : ''} · 状态：<strong>{MESSAGE_STATUS_LABELS[m.status]}</strong> · 办理时限{' '}
        {formatDateTime(m.due_at)}
      </p>
      <h2>{m.title}</h2>
      <p>{m.body}</p>
      {m.photos.length ? <p class="hint">附图 {m.photos.length} 张（仅办理人员可见）</p> : null}
      {m.reply ? (
        <div class="reply-box">
          <p>
            <span class="official">答复</span> {m.replied_at ? formatDateTime(m.replied_at) : ''}
            {m.reply_public ? '（已公开）' : ''}
          </p>
          <p>{m.reply}</p>
        </div>
      ) : null}
      <h2>办理记录</h2>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.at)} {MESSAGE_STATUS_LABELS[e.to_status]}
            {e.note ? `：${e.note}` : ''}
          </li>
        ))}
      </ol>
      {(m.status === 'replied' || m.status === 'closed') && m.rating === null ? (
        <form class="form" method="post" action={`/messages/mine/${m.id}/rate`}>
          <Csrf token={csrf} />
          <fieldset>
            <legend>对答复是否满意？</legend>
            {[5, 4, 3, 2, 1].map((n) => (
              <label class="check" key={n}>
                <input type="radio" name="rating" value={String(n)} required /> {'★'.repeat(n)}
              </label>
            ))}
          </fieldset>
          <button class="button" type="submit">
            提交评价
          </button>
        </form>
      ) : m.rating ? (
        <p>您的评价：{'★'.repeat(m.rating)}</p>
      ) : null}
    </>
  );
}
