import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkAuthorizeRequest,
  createCentralSession,
  currentAgreement,
  isAgreementKind,
  AGREEMENT_KINDS,
  normalizeHost,
  deleteAccount,
  endCentralSession,
  exportMyData,
  isDomainError,
  issueAuthCode,
  myMemberships,
  parseIdentifier,
  resolveHost,
  sendCode,
  setConsent,
  signInWithCode,
  signInWithPassword,
  unfollow,
  type DomainError,
} from '@yiduan/core';
import { type ConsentPurpose, withCitizen, withPlatform, withPublic } from '@yiduan/db';
import { sendHtml } from '../http/html.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { faceCss } from '../views/styles.js';
import { resolveSite } from '../site/resolve.js';
import {
  accountHostname,
  CENTRAL_COOKIE,
  citizenOf,
  clearSessionCookie,
  requestOrigin,
  safeNext,
  setSessionCookie,
} from './session.js';
import { str, type Form } from './form.js';
import {
  ACCOUNT_CSS,
  AccountPage,
  AgreementBody,
  Alert,
  CodeEntry,
  CodeRequest,
  Csrf,
  FORM_CSS,
  MembershipTable,
  PasswordSignIn,
  type AccountBrand,
  type AgreementOffer,
} from './views.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A page that moves on by itself: a redirect after a form post must not leave the origin (CSP form-action). */
function Continue({ title, to, message }: { title: string; to: string; message: string }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content={`0;url=${to}`} />
        <title>{title}</title>
      </head>
      <body>
        <p>
          {message}
          <a href={to}>如未自动跳转，请点击这里</a>
        </p>
      </body>
    </html>
  );
}

/**
 * The sign-in host's pages load one stylesheet of its own and nothing else: no script at all, no
 * inline style, forms posting to itself only.
 */
const ACCOUNT_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' https: http: data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FACE_HOST = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/i;

/** The face named by a return address that goes through `/authorize` (its client_id), if any. */
export function faceHostIn(back: string): string | null {
  try {
    const url = new URL(back, 'http://local.invalid');
    return url.pathname === '/authorize' ? url.searchParams.get('client_id') : null;
  } catch {
    return null;
  }
}

export function sendContinue(reply: FastifyReply, to: string, message = '正在返回…'): FastifyReply {
  return sendHtml(reply, 200, renderDocument(<Continue title="请稍候" to={to} message={message} />));
}

/**
 * The central sign-in host (`config.accountHost`): sign-up and sign-in, the
 * authorization endpoint the faces redirect to, the account centre (every
 * membership and consent, data download, deletion) and signing out everywhere.
 */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const host = new RegExp(`^${escapeRegExp(accountHostname(app.config.accountHost))}(:\\d+)?$`);
  const constraints = { host };
  const requireHttps = app.config.env === 'production';

  const scheme = app.config.env === 'production' ? 'https' : 'http';
  const lookup = { readDb: app.readDb, cache: app.cache, baseDomain: app.config.publicBaseDomain };

  // the host's own pages; the shared error pages (inline style) keep the portal's policy
  app.addHook('onSend', async (_request, reply, payload) => {
    if (
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      typeof payload === 'string' &&
      !payload.includes('<style')
    ) {
      reply.header('content-security-policy', ACCOUNT_CSP);
    }
    return payload;
  });

  /** The face a citizen came from (a known face host of this platform), for its look and the way back. */
  const brandOf = async (raw: string | null | undefined): Promise<AccountBrand | null> => {
    if (!raw || !FACE_HOST.test(raw)) return null;
    const host = normalizeHost(raw);
    if (!host || host === accountHostname(app.config.accountHost)) return null;
    const found = await resolveSite(lookup, host);
    if (!found) return null;
    const named = raw.toLowerCase();
    return {
      face: faceView(found.site.face),
      origin: `${scheme}://${named}`,
      host: named,
      tenantId: found.site.tenant.id,
    };
  };
  const brandIn = (back: string) => brandOf(faceHostIn(back));

  /** The versions of both agreements a sign-up form offers (the face's, or the platform's). */
  const offerOf = async (brand: AccountBrand | null): Promise<AgreementOffer> => {
    const [terms, privacy] = await withPublic(
      app.readDb,
      async (trx) =>
        [
          await currentAgreement(trx, brand?.tenantId ?? null, 'terms'),
          await currentAgreement(trx, brand?.tenantId ?? null, 'privacy'),
        ] as const,
    );
    return { terms: terms.version, privacy: privacy.version, faceHost: brand?.host ?? null };
  };

  const codeEntryPage = async (
    reply: FastifyReply,
    back: string,
    identifier: string,
    opts: { status?: number; error?: string | null; code?: string } = {},
  ) => {
    const brand = await brandIn(back);
    return sendHtml(
      reply,
      opts.status ?? 200,
      renderDocument(
        <AccountPage title="输入验证码" brand={brand}>
          <CodeEntry
            csrf={reply.generateCsrf()}
            back={back}
            identifier={identifier}
            error={opts.error}
            code={opts.code}
            agreements={await offerOf(brand)}
          />
        </AccountPage>,
      ),
    );
  };

  // the stylesheet of the sign-in host, in the colours of the face the citizen came from
  app.get('/account.css', { constraints }, async (request, reply) => {
    const brand = await brandOf(str((request.query as Form).face) || null);
    const css = [faceCss(brand?.face.theme ?? {}), FORM_CSS, ACCOUNT_CSS].join('\n');
    return reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(css);
  });

  // 用户协议 / 隐私政策 as the citizen reads them before signing up
  app.get<{ Params: { kind: string } }>('/agreements/:kind', { constraints }, async (request, reply) => {
    const kind = request.params.kind;
    const brand = await brandOf(str((request.query as Form).face) || null);
    if (!isAgreementKind(kind))
      return sendHtml(
        reply,
        404,
        renderDocument(
          <AccountPage title="找不到该页面" brand={brand}>
            <p>找不到该协议。</p>
          </AccountPage>,
        ),
      );
    const text = await withPublic(app.readDb, (trx) => currentAgreement(trx, brand?.tenantId ?? null, kind));
    return sendHtml(
      reply,
      200,
      renderDocument(
        <AccountPage title={text.title || AGREEMENT_KINDS[kind]} brand={brand}>
          <AgreementBody text={text} />
        </AccountPage>,
      ),
    );
  });

  const signInPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    back: string,
    opts: { status?: number; error?: string | null; identifier?: string; codeError?: string | null } = {},
  ) => {
    const csrf = reply.generateCsrf();
    const brand = await brandIn(back);
    return sendHtml(
      reply,
      opts.status ?? 200,
      renderDocument(
        <AccountPage title={brand ? `登录${brand.face.siteName}` : '登录统一账号'} brand={brand}>
          <p>一个账号即可登录全省各融媒体门户。</p>
          <PasswordSignIn csrf={csrf} back={back} identifier={opts.identifier} error={opts.error} />
          <CodeRequest
            csrf={csrf}
            back={back}
            identifier={opts.identifier}
            heading="验证码登录 / 注册"
            error={opts.codeError}
          />
        </AccountPage>,
      ),
    );
  };

  const signedIn = async (request: FastifyRequest, reply: FastifyReply, citizenId: string, back: string) => {
    const session = await withPlatform(app.db, (trx) =>
      createCentralSession(trx, citizenId, request.host, { ip: request.ip, userAgent: request.headers['user-agent'] }),
    );
    setSessionCookie(request, reply, CENTRAL_COOKIE, session.token, session.expiresAt);
    return sendContinue(reply, back, '登录成功，正在返回…');
  };

  app.get('/authorize', { constraints }, async (request, reply) => {
    const q = request.query as Form;
    const req = {
      clientHost: str(q.client_id),
      redirectUri: str(q.redirect_uri),
      codeChallenge: str(q.code_challenge),
      codeChallengeMethod: str(q.code_challenge_method),
    };
    const state = str(q.state);
    try {
      if (str(q.response_type) !== 'code' || !/^[A-Za-z0-9_-]{16,128}$/.test(state)) throw new Error('bad request');
      await withPlatform(app.db, (trx) => checkAuthorizeRequest(trx, req, app.config.publicBaseDomain, requireHttps));
    } catch {
      return sendHtml(
        reply,
        400,
        renderDocument(
          <AccountPage title="登录请求无效">{<p>登录请求无效或已过期，请返回原网站重新登录。</p>}</AccountPage>,
        ),
      );
    }
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session)
      return reply
        .header('cache-control', 'no-store')
        .redirect(`/login?return=${encodeURIComponent(request.url)}`, 303);
    const code = await withPlatform(app.db, (trx) => issueAuthCode(trx, session, req));
    const target = new URL(req.redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', state);
    return reply.header('cache-control', 'no-store').redirect(target.toString(), 302);
  });

  app.get('/login', { constraints }, async (request, reply) => {
    const back = safeNext((request.query as Form).return);
    if (await citizenOf(request, CENTRAL_COOKIE)) return reply.redirect(back, 303);
    return signInPage(request, reply, back);
  });

  app.post('/login', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as Form;
    const back = safeNext(body.return);
    const raw = str(body.identifier);
    try {
      const identifier = parseIdentifier(raw);
      const r = await withPlatform(app.db, (trx) =>
        signInWithPassword(trx, app.cache, { identifier, password: str(body.password), ip: request.ip }),
      );
      if (!r.ok)
        return signInPage(request, reply, back, { status: r.error.status, error: r.error.message, identifier: raw });
      return signedIn(request, reply, r.citizen.id, back);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return signInPage(request, reply, back, { status: err.status, error: err.message, identifier: raw });
    }
  });

  app.post('/code', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as Form;
    const back = safeNext(body.return);
    const raw = str(body.identifier);
    try {
      const identifier = parseIdentifier(raw);
      await withPlatform(app.db, (trx) => sendCode(trx, app.cache, app.codeSender, identifier, request.ip));
      return codeEntryPage(reply, back, identifier.value);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return signInPage(request, reply, back, { status: err.status, codeError: err.message, identifier: raw });
    }
  });

  app.post('/login/code', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as Form;
    const back = safeNext(body.return);
    const raw = str(body.identifier);
    // a refusal about the agreements keeps the proven code in the form: only the ticks are missing
    const again = (err: DomainError) =>
      codeEntryPage(reply, back, raw, {
        status: err.status,
        error: err.message,
        code: err.code.startsWith('AGREEMENTS_') ? str(body.code) : undefined,
      });
    try {
      const identifier = parseIdentifier(raw);
      // both agreements ticked, one by one, in the versions the form showed (checked against the current ones)
      const brand = await brandIn(back);
      const version = (v: unknown): number => (/^\d{1,6}$/.test(str(v)) ? Number(str(v)) : -1);
      const agreements =
        body.agree_terms === '1' && body.agree_privacy === '1'
          ? {
              tenantId: brand?.tenantId ?? null,
              terms: version(body.terms_version),
              privacy: version(body.privacy_version),
            }
          : null;
      // the attempt commits even when the code is wrong: guesses stay counted
      const r = await withPlatform(app.db, (trx) =>
        signInWithCode(trx, app.cache, {
          identifier,
          code: str(body.code),
          password: str(body.password) || null,
          displayName: str(body.displayName) || null,
          ip: request.ip,
          agreements,
        }),
      );
      if (!r.ok) return again(r.error);
      return signedIn(request, reply, r.citizen.id, back);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return again(err);
    }
  });

  app.get('/', { constraints }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session) return reply.redirect('/login?return=%2F', 303);
    const memberships = await withCitizen(app.db, session.citizen.id, (trx) => myMemberships(trx, session.citizen.id));
    const csrf = reply.generateCsrf();
    const done = str((request.query as Form).done);
    return sendHtml(
      reply,
      200,
      renderDocument(
        <AccountPage title="我的账号">
          {done ? <p class="ok">{done === 'consent' ? '授权已更新。' : '已取消关注。'}</p> : null}
          <p>
            {session.citizen.display_name}（{session.citizen.phone ?? session.citizen.email}）
          </p>
          <h2>我的关注与授权</h2>
          <MembershipTable rows={memberships} csrf={csrf} action="" />
          <h2>我的数据</h2>
          <p>
            <a href="/export.json">下载我的全部数据（JSON）</a>
          </p>
          <form class="form" method="post" action="/delete">
            <h2>注销账号</h2>
            <p class="hint">
              注销后，您的手机号、邮箱、昵称和密码将被删除；您发表的评论将显示为“已注销用户”。此操作不可恢复。
            </p>
            <Csrf token={csrf} />
            <label>
              请输入“确认注销”
              <input type="text" name="confirm" required />
            </label>
            <button class="button" type="submit">
              注销账号
            </button>
          </form>
          <form method="post" action="/logout">
            <Csrf token={csrf} />
            <button class="button" type="submit">
              退出登录（所有网站）
            </button>
          </form>
        </AccountPage>,
      ),
    );
  });

  app.post('/consent', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session) return reply.redirect('/login', 303);
    const body = request.body as Form;
    await withCitizen(app.db, session.citizen.id, (trx) =>
      setConsent(
        trx,
        session.citizen.id,
        str(body.membershipId),
        str(body.purpose) as ConsentPurpose,
        body.granted === '1',
      ),
    );
    return reply.redirect('/?done=consent', 303);
  });

  app.post('/unfollow', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session) return reply.redirect('/login', 303);
    await withCitizen(app.db, session.citizen.id, (trx) =>
      unfollow(trx, session.citizen.id, str((request.body as Form).membershipId)),
    );
    return reply.redirect('/?done=unfollow', 303);
  });

  app.get('/export.json', { constraints }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session) return reply.redirect('/login?return=%2Fexport.json', 303);
    const data = await withCitizen(app.db, session.citizen.id, (trx) => exportMyData(trx, session.citizen.id));
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="my-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post('/delete', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (!session) return reply.redirect('/login', 303);
    if (str((request.body as Form).confirm).trim() !== '确认注销') {
      return sendHtml(
        reply,
        400,
        renderDocument(
          <AccountPage title="注销账号">
            {
              <>
                <Alert message="请输入“确认注销”以确认。" />
                <a href="/">返回</a>
              </>
            }
          </AccountPage>,
        ),
      );
    }
    await withPlatform(app.db, (trx) => deleteAccount(trx, session.citizen.id));
    clearSessionCookie(request, reply, CENTRAL_COOKIE);
    return sendHtml(
      reply,
      200,
      renderDocument(
        <AccountPage title="账号已注销">{<p>您的账号已注销，个人信息已删除。感谢您的使用。</p>}</AccountPage>,
      ),
    );
  });

  /** Back to a face after signing out, if `return` names one (never an arbitrary site). */
  const faceOriginIn = async (request: FastifyRequest, raw: string): Promise<string | null> => {
    try {
      const url = new URL(raw);
      const face = await withPlatform(app.db, (trx) => resolveHost(trx, url.hostname, app.config.publicBaseDomain));
      return face && url.origin !== requestOrigin(request) ? url.origin : null;
    } catch {
      return null;
    }
  };

  // A face ends the sessions itself (POST with its own CSRF token) and hands over here to drop
  // the central cookie; a still-valid session is only ended by a confirmed POST (no logout CSRF).
  app.get('/logout', { constraints }, async (request, reply) => {
    const back = str((request.query as Form).return);
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (session) {
      return sendHtml(
        reply,
        200,
        renderDocument(
          <AccountPage title="退出登录">
            <form class="form" method="post" action="/logout">
              <Csrf token={reply.generateCsrf()} />
              <input type="hidden" name="return" value={back} />
              <button class="button" type="submit">
                确认在所有网站退出登录
              </button>
            </form>
          </AccountPage>,
        ),
      );
    }
    clearSessionCookie(request, reply, CENTRAL_COOKIE);
    const face = await faceOriginIn(request, back);
    if (face) return reply.redirect(`${face}/`, 303);
    return sendHtml(
      reply,
      200,
      renderDocument(<AccountPage title="已退出登录">{<p>您已在所有网站退出登录。</p>}</AccountPage>),
    );
  });

  app.post('/logout', { constraints, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOf(request, CENTRAL_COOKIE);
    if (session) await withPlatform(app.db, (trx) => endCentralSession(trx, session.centralId));
    clearSessionCookie(request, reply, CENTRAL_COOKIE);
    const face = await faceOriginIn(request, str((request.body as Form).return));
    if (face) return sendContinue(reply, `${face}/`, '已退出登录，正在返回…');
    return sendHtml(
      reply,
      200,
      renderDocument(<AccountPage title="已退出登录">{<p>您已在所有网站退出登录。</p>}</AccountPage>),
    );
  });
}
