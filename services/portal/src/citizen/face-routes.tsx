import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AGREEMENT_KINDS,
  checkerFor,
  currentAgreement,
  isAgreementKind,
  createAsset,
  deleteAsset,
  endCentralSession,
  exchangeAuthCode,
  follow,
  isDomainError,
  isUuid,
  MESSAGE_CATEGORIES,
  myMemberships,
  myMessageDetail,
  myMessages,
  pkceChallenge,
  postComment,
  myComment,
  approvedComments,
  publicReplies,
  rateMessage,
  reportComment,
  sendMessage,
  setConsent,
  storyOnFace,
  unfollow,
  unitsOf,
  type CitizenSession,
} from '@yiduan/core';
import type { AssetStorage } from '@yiduan/storage';
import {
  type ConsentPurpose,
  type MessageCategory,
  withCitizen,
  withPlatform,
  withPublic,
  withTenant,
} from '@yiduan/db';
import { sendPageNotFound } from '../http/errors.js';
import { sendHtml } from '../http/html.js';
import { servePage } from '../http/serve.js';
import { requireSite } from '../site/require.js';
import { storyPath } from '../site/urls.js';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { pageParam } from '../routes/params.js';
import { sendContinue } from './account-routes.js';
import { MAX_PHOTOS, PHOTO_MAX_BYTES } from './plugin.js';
import {
  accountOrigin,
  citizenOf,
  clearSessionCookie,
  cookieOptions,
  FACE_COOKIE,
  FLOW_COOKIE,
  requestOrigin,
  safeNext,
  sendToSignIn,
  setSessionCookie,
} from './session.js';
import { str, type Form } from './form.js';
import {
  AgreementBody,
  Alert,
  CitizenPage,
  ConsentFields,
  Csrf,
  MembershipTable,
  MessageBoard,
  MessageDetail,
  MyMessages,
  OwnComment,
} from './views.js';

const b64 = (bytes: number): string => randomBytes(bytes).toString('base64url');

interface Flow {
  state: string;
  verifier: string;
  next: string;
}

/**
 * What a citizen does on a face: sign in through the central host, follow the
 * tenant or a unit with consents, comment, report, send and follow up messages.
 * Every page here is per visitor (never cached) and every form carries a CSRF token.
 */
export async function citizenFaceRoutes(app: FastifyInstance, opts: { storage: AssetStorage }): Promise<void> {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    body: preact.ComponentChildren,
    status = 200,
  ) =>
    sendHtml(
      reply,
      status,
      renderDocument(
        <CitizenPage face={faceView(requireSite(request).face)} title={title}>
          {body}
        </CitizenPage>,
      ),
    );

  /** The signed-in citizen, or a redirect to sign in (null). */
  const citizenOrSignIn = async (request: FastifyRequest, reply: FastifyReply): Promise<CitizenSession | null> => {
    const session = await citizenOf(request, FACE_COOKIE);
    if (!session) void sendToSignIn(request, reply);
    return session;
  };

  // ---- signing in: authorization code with state and PKCE against the central host
  app.get('/auth/login', async (request, reply) => {
    const next = safeNext((request.query as Form).next);
    if (await citizenOf(request, FACE_COOKIE)) return reply.redirect(next, 303);
    const flow: Flow = { state: b64(24), verifier: b64(48), next };
    // base64url: the cookie's bytes need no escaping, whatever the return address holds
    void reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      ...cookieOptions(request, 600),
      path: '/auth',
      signed: true,
    });
    const url = new URL('/authorize', accountOrigin(request));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', request.host);
    url.searchParams.set('redirect_uri', `${requestOrigin(request)}/auth/callback`);
    url.searchParams.set('state', flow.state);
    url.searchParams.set('code_challenge', pkceChallenge(flow.verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return reply.header('cache-control', 'no-store').redirect(url.toString(), 302);
  });

  app.get('/auth/callback', async (request, reply) => {
    const q = request.query as Form;
    const raw = request.unsignCookie(request.cookies[FLOW_COOKIE] ?? '');
    let flow: Flow | null = null;
    try {
      flow = raw.valid && raw.value ? (JSON.parse(Buffer.from(raw.value, 'base64url').toString('utf8')) as Flow) : null;
    } catch {
      flow = null;
    }
    void reply.clearCookie(FLOW_COOKIE, { ...cookieOptions(request), path: '/auth' });
    const fail = () =>
      page(
        request,
        reply,
        '登录失败',
        <>
          <Alert message="登录请求无效或已过期，请重新登录。" />
          <a href="/auth/login">重新登录</a>
        </>,
        400,
      );
    if (!flow || typeof flow.state !== 'string' || str(q.state) !== flow.state) return fail();
    try {
      const s = await withPlatform(app.db, (trx) =>
        exchangeAuthCode(
          trx,
          {
            code: str(q.code),
            verifier: flow.verifier,
            redirectUri: `${requestOrigin(request)}/auth/callback`,
            clientHost: request.host,
          },
          { ip: request.ip, userAgent: request.headers['user-agent'] },
        ),
      );
      setSessionCookie(request, reply, FACE_COOKIE, s.token, s.expiresAt);
      return reply.header('cache-control', 'no-store').redirect(safeNext(flow.next), 303);
    } catch (err) {
      if (isDomainError(err)) return fail();
      throw err;
    }
  });

  app.post('/auth/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOf(request, FACE_COOKIE);
    // ends the central session and with it the sessions on every face
    if (session) await withPlatform(app.db, (trx) => endCentralSession(trx, session.centralId));
    clearSessionCookie(request, reply, FACE_COOKIE);
    return sendContinue(
      reply,
      `${accountOrigin(request)}/logout?return=${encodeURIComponent(requestOrigin(request))}`,
      '已退出登录，正在返回…',
    );
  });

  // ---- 用户协议 / 隐私政策 of this face (its published version, or the platform's default)
  app.get<{ Params: { kind: string } }>('/agreements/:kind', async (request, reply) => {
    const kind = request.params.kind;
    if (!isAgreementKind(kind)) return sendPageNotFound(request, reply);
    const text = await withPublic(app.readDb, (trx) => currentAgreement(trx, requireSite(request).tenant.id, kind));
    return page(request, reply, text.title || AGREEMENT_KINDS[kind], <AgreementBody text={text} />);
  });

  // ---- 我的: this face's membership and messages; the account centre holds the rest
  app.get('/me', async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const [memberships, messages] = await withCitizen(
      app.db,
      session.citizen.id,
      async (trx) =>
        [
          (await myMemberships(trx, session.citizen.id)).filter((m) => m.tenantId === site.tenant.id),
          (await myMessages(trx, session.citizen.id)).filter((m) => m.tenant_id === site.tenant.id),
        ] as const,
    );
    const csrf = reply.generateCsrf();
    const done = str((request.query as Form).done);
    return page(
      request,
      reply,
      '我的',
      <>
        {done ? <p class="ok">{done === 'follow' ? '关注成功。' : '已更新。'}</p> : null}
        <p>
          您好，{session.citizen.display_name}。
          <a href={`${accountOrigin(request)}/`}>管理我的账号（所有网站的关注与授权、数据下载、注销）</a>
        </p>
        <h2>我在本站的关注</h2>
        <MembershipTable rows={memberships} csrf={csrf} action="/me" />
        {memberships.some((m) => !m.endedAt && !m.unitId) ? null : (
          <p>
            <a class="button" href="/follow">
              关注{site.tenant.name}
            </a>
          </p>
        )}
        <h2>我的留言</h2>
        <MyMessages rows={messages} />
        <p>
          <a class="button" href="/messages/new">
            我要留言
          </a>
        </p>
        <form method="post" action="/auth/logout">
          <Csrf token={csrf} />
          <button class="button" type="submit">
            退出登录
          </button>
        </form>
      </>,
    );
  });

  app.post('/me/consent', { preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
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
    return reply.redirect('/me?done=consent', 303);
  });

  app.post('/me/unfollow', { preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    await withCitizen(app.db, session.citizen.id, (trx) =>
      unfollow(trx, session.citizen.id, str((request.body as Form).membershipId)),
    );
    return reply.redirect('/me?done=unfollow', 303);
  });

  // ---- following the tenant or one of its units
  const unitsOfSite = (request: FastifyRequest) =>
    withPublic(app.readDb, async (trx) =>
      (await unitsOf(trx, requireSite(request).tenant.id)).filter((u) => u.status === 'active'),
    );

  app.get('/follow', async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const units = await unitsOfSite(request);
    const unitId = str((request.query as Form).unit);
    return page(
      request,
      reply,
      `关注${site.tenant.name}`,
      <form class="form" method="post" action="/follow">
        <Csrf token={reply.generateCsrf()} />
        <label>
          关注对象
          <select name="unitId">
            <option value="">{site.tenant.name}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id} selected={u.id === unitId}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <ConsentFields checked={{}} />
        <button class="button" type="submit">
          确认关注
        </button>
      </form>,
    );
  });

  app.post('/follow', { preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const body = request.body as Form;
    const unitId = str(body.unitId) || null;
    if (unitId && !isUuid(unitId)) return page(request, reply, '关注失败', <Alert message="找不到该政务号" />, 404);
    try {
      await withCitizen(app.db, session.citizen.id, (trx) =>
        follow(trx, session.citizen.id, site.tenant.id, unitId, {
          news: body.news === '1',
          contact: body.contact === '1',
          share_parent: body.share_parent === '1',
        }),
      );
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return page(request, reply, '关注失败', <Alert message={err.message} />, err.status);
    }
    return reply.redirect('/me?done=follow', 303);
  });

  // ---- comments
  app.get<{ Params: { storyId: string } }>('/a/:storyId/comment', async (request, reply) => {
    const storyId = request.params.storyId.toLowerCase();
    if (!isUuid(storyId)) return sendPageNotFound(request, reply);
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const on = await withPublic(app.readDb, (trx) => storyOnFace(trx, site.tenant.id, storyId));
    if (on.state !== 'live') return sendPageNotFound(request, reply);
    return page(
      request,
      reply,
      '发表评论',
      <CommentForm csrf={reply.generateCsrf()} storyId={storyId} title={on.story.title} />,
    );
  });

  app.post<{ Params: { storyId: string } }>(
    '/a/:storyId/comments',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const storyId = request.params.storyId.toLowerCase();
      if (!isUuid(storyId)) return sendPageNotFound(request, reply);
      const session = await citizenOrSignIn(request, reply);
      if (!session) return reply;
      const site = requireSite(request);
      const body = str((request.body as Form).body);
      // the face's rule set is read in the face's scope: a citizen's scope cannot see rules
      const checker = await withTenant(app.db, site.tenant.id, (trx) => checkerFor(trx, site.tenant.id));
      try {
        const c = await withCitizen(app.db, session.citizen.id, (trx) =>
          postComment(trx, app.cache, {
            faceTenantId: site.tenant.id,
            storyId,
            citizen: session.citizen,
            body,
            checker,
          }),
        );
        // to a page of this visitor's own (never cached): the story page may not show it yet
        return reply
          .header('cache-control', 'no-store')
          .redirect(`${storyPath(storyId)}/comments/${c.id}#my-comment`, 303);
      } catch (err) {
        if (!isDomainError(err)) throw err;
        const on = await withPublic(app.readDb, (trx) => storyOnFace(trx, site.tenant.id, storyId));
        if (on.state !== 'live') return sendPageNotFound(request, reply);
        return page(
          request,
          reply,
          '发表评论',
          <CommentForm
            csrf={reply.generateCsrf()}
            storyId={storyId}
            title={on.story.title}
            body={body}
            error={err.message}
          />,
          err.status,
        );
      }
    },
  );

  // what became of the citizen's comment, shown to them alone: published, or waiting for review
  app.get<{ Params: { storyId: string; commentId: string } }>(
    '/a/:storyId/comments/:commentId',
    async (request, reply) => {
      const storyId = request.params.storyId.toLowerCase();
      const commentId = request.params.commentId.toLowerCase();
      if (!isUuid(storyId) || !isUuid(commentId)) return sendPageNotFound(request, reply);
      const session = await citizenOrSignIn(request, reply);
      if (!session) return reply;
      const site = requireSite(request);
      const mine = await withCitizen(app.db, session.citizen.id, (trx) =>
        myComment(trx, session.citizen.id, site.tenant.id, commentId),
      );
      if (!mine || mine.story_id !== storyId) return sendPageNotFound(request, reply);
      const [on, comments] = await withPublic(
        app.readDb,
        async (trx) =>
          [
            await storyOnFace(trx, site.tenant.id, storyId),
            await approvedComments(trx, site.tenant.id, storyId),
          ] as const,
      );
      if (on.state !== 'live') return sendPageNotFound(request, reply);
      return page(
        request,
        reply,
        mine.status === 'approved' ? '评论已发布' : mine.status === 'pending' ? '评论已提交，待审核' : '评论未通过审核',
        <OwnComment
          comment={mine}
          storyId={storyId}
          storyTitle={on.story.title}
          others={comments.filter((c) => c.id !== mine.id)}
        />,
      );
    },
  );

  app.get<{ Params: { commentId: string } }>('/comments/:commentId/report', async (request, reply) => {
    if (!isUuid(request.params.commentId)) return sendPageNotFound(request, reply);
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    return page(
      request,
      reply,
      '举报评论',
      <form class="form" method="post" action={`/comments/${request.params.commentId}/report`}>
        <Csrf token={reply.generateCsrf()} />
        <label>
          举报理由
          <select name="reason">
            {['垃圾广告', '辱骂攻击', '违法有害信息', '谣言', '其他'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button class="button" type="submit">
          提交举报
        </button>
      </form>,
    );
  });

  app.post<{ Params: { commentId: string } }>(
    '/comments/:commentId/report',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!isUuid(request.params.commentId)) return sendPageNotFound(request, reply);
      const session = await citizenOrSignIn(request, reply);
      if (!session) return reply;
      const site = requireSite(request);
      try {
        await withCitizen(app.db, session.citizen.id, (trx) =>
          reportComment(
            trx,
            session.citizen.id,
            site.tenant.id,
            request.params.commentId,
            str((request.body as Form).reason),
          ),
        );
      } catch (err) {
        if (!isDomainError(err)) throw err;
        return page(request, reply, '举报失败', <Alert message={err.message} />, err.status);
      }
      return page(request, reply, '举报已提交', <p class="ok">感谢您的举报，我们会尽快处理。</p>);
    },
  );

  // ---- messages (留言 / 投诉建议)
  app.get('/messages', (request, reply) => {
    const n = pageParam(request);
    if (n === null) return sendPageNotFound(request, reply);
    return servePage(request, reply, {
      path: n > 1 ? `/messages?page=${n}` : '/messages',
      render: async (site) => {
        const face = faceView(site.face);
        const [board, units] = await withPublic(
          app.readDb,
          async (trx) =>
            [await publicReplies(trx, site.tenant.id, 20, (n - 1) * 20), await unitsOf(trx, site.tenant.id)] as const,
        );
        return renderDocument(
          <CitizenPage face={face} title="留言 / 投诉建议">
            <p>
              有意见建议或需要反映的问题？
              <a class="button" href="/messages/new" rel="nofollow">
                我要留言
              </a>
              <a href="/messages/mine" rel="nofollow">
                查看我的留言
              </a>
            </p>
            <h2>公开答复（{board.total}）</h2>
            <MessageBoard rows={board.rows} unitNames={new Map(units.map((u) => [u.id, u.name]))} />
          </CitizenPage>,
        );
      },
    });
  });

  app.get('/messages/new', async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const units = await unitsOfSite(request);
    return page(
      request,
      reply,
      '我要留言',
      <MessageForm csrf={reply.generateCsrf()} units={units} unitId={str((request.query as Form).unit)} />,
    );
  });

  app.post('/messages', { preHandler: app.csrfProtection }, async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const body = request.body as Form & { photos?: unknown };
    const unitId = str(body.unitId) || null;
    const files = (Array.isArray(body.photos) ? body.photos : [body.photos]).filter(
      (f): f is Buffer => Buffer.isBuffer(f) && f.length > 0,
    );
    const citizen = { kind: 'citizen' as const, id: session.citizen.id, name: '公众用户' };
    const again = async (message: string, status: number) => {
      const units = await unitsOfSite(request);
      return page(
        request,
        reply,
        '我要留言',
        <MessageForm csrf={reply.generateCsrf()} units={units} unitId={unitId ?? ''} values={body} error={message} />,
        status,
      );
    };
    if (unitId && !isUuid(unitId)) return again('找不到该政务号', 404);
    if (files.length > MAX_PHOTOS) return again(`最多上传 ${MAX_PHOTOS} 张图片`, 400);
    let photos: string[] = [];
    try {
      // photos are the tenant's (private) assets: stored in its scope, then named by the message
      photos = await withTenant(app.db, site.tenant.id, async (trx) => {
        const ids: string[] = [];
        for (const [i, data] of files.entries()) {
          const asset = await createAsset(trx, opts.storage, citizen, {
            tenantId: site.tenant.id,
            data,
            filename: `留言图片${i + 1}`,
            alt: '群众留言附图',
            shared: false,
            createdBy: null,
            limits: { maxBytes: PHOTO_MAX_BYTES },
          });
          ids.push(asset.id);
        }
        return ids;
      });
      const m = await withCitizen(app.db, session.citizen.id, (trx) =>
        sendMessage(trx, app.cache, {
          tenantId: site.tenant.id,
          unitId,
          citizenId: session.citizen.id,
          category: str(body.category) as MessageCategory,
          title: str(body.title),
          body: str(body.body),
          photos,
          contactName: str(body.contactName) || null,
          contactPhone: str(body.contactPhone) || null,
          allowPublic: body.allowPublic === '1',
          ip: request.ip,
        }),
      );
      return reply.redirect(`/messages/mine/${m.id}?sent=1`, 303);
    } catch (err) {
      if (photos.length) {
        // the message was not taken: its photos go too (best effort; an orphan is only disk space)
        await withTenant(app.db, site.tenant.id, async (trx) => {
          for (const id of photos) await deleteAsset(trx, opts.storage, citizen, id);
        }).catch((e: unknown) => request.log.warn({ err: e }, 'could not remove the photos of a refused message'));
      }
      if (!isDomainError(err)) throw err;
      return again(err.message, err.status);
    }
  });

  app.get('/messages/mine', async (request, reply) => {
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const rows = (await withCitizen(app.db, session.citizen.id, (trx) => myMessages(trx, session.citizen.id))).filter(
      (m) => m.tenant_id === site.tenant.id,
    );
    return page(request, reply, '我的留言', <MyMessages rows={rows} />);
  });

  app.get<{ Params: { id: string } }>('/messages/mine/:id', async (request, reply) => {
    if (!isUuid(request.params.id)) return sendPageNotFound(request, reply);
    const session = await citizenOrSignIn(request, reply);
    if (!session) return reply;
    const site = requireSite(request);
    const found = await withCitizen(app.db, session.citizen.id, (trx) =>
      myMessageDetail(trx, session.citizen.id, site.tenant.id, request.params.id),
    );
    if (!found) return sendPageNotFound(request, reply);
    const sent = str((request.query as Form).sent);
    return page(
      request,
      reply,
      '我的留言',
      <>
        {sent ? <p class="ok">留言已提交，我们将在办理时限内答复。</p> : null}
        <MessageDetail m={found.m} events={found.events} unitName={found.unitName} csrf={reply.generateCsrf()} />
      </>,
    );
  });

  app.post<{ Params: { id: string } }>(
    '/messages/mine/:id/rate',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!isUuid(request.params.id)) return sendPageNotFound(request, reply);
      const session = await citizenOrSignIn(request, reply);
      if (!session) return reply;
      const site = requireSite(request);
      try {
        await withCitizen(app.db, session.citizen.id, (trx) =>
          rateMessage(
            trx,
            session.citizen.id,
            site.tenant.id,
            request.params.id,
            Number(str((request.body as Form).rating)),
          ),
        );
      } catch (err) {
        if (!isDomainError(err)) throw err;
        return page(request, reply, '评价失败', <Alert message={err.message} />, err.status);
      }
      return reply.redirect(`/messages/mine/${request.params.id}`, 303);
    },
  );
}

function CommentForm({
  csrf,
  storyId,
  title,
  body,
  error,
}: {
  csrf: string;
  storyId: string;
  title: string;
  body?: string;
  error?: string;
}) {
  return (
    <>
      <p>
        评论稿件：<a href={storyPath(storyId)}>{title}</a>
      </p>
      <form class="form" method="post" action={`${storyPath(storyId)}/comments`}>
        <Alert message={error} />
        <Csrf token={csrf} />
        <label>
          评论内容（最多 500 字）
          <textarea name="body" maxLength={500} required>
            {body ?? ''}
          </textarea>
        </label>
        <p class="hint">请文明发言。评论经审核后可能延迟显示。</p>
        <button class="button" type="submit">
          发表
        </button>
      </form>
    </>
  );
}

function MessageForm({
  csrf,
  units,
  unitId,
  values,
  error,
}: {
  csrf: string;
  units: { id: string; name: string }[];
  unitId: string;
  values?: Form;
  error?: string;
}) {
  const v = (k: string): string => str(values?.[k]);
  return (
    <form class="form" method="post" action="/messages" enctype="multipart/form-data">
      <Alert message={error} />
      <Csrf token={csrf} />
      <label>
        留言对象
        <select name="unitId">
          <option value="">本单位</option>
          {units.map((u) => (
            <option key={u.id} value={u.id} selected={u.id === unitId}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        类型
        <select name="category" required>
          {(Object.keys(MESSAGE_CATEGORIES) as MessageCategory[]).map((c) => (
            <option key={c} value={c} selected={v('category') === c}>
              {MESSAGE_CATEGORIES[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        标题
        <input type="text" name="title" maxLength={60} required value={v('title')} />
      </label>
      <label>
        内容
        <textarea name="body" maxLength={3000} required>
          {v('body')}
        </textarea>
      </label>
      <label>
        图片（选填，最多 3 张，每张不超过 5 MB）
        <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple />
      </label>
      <label>
        联系人（选填）
        <input type="text" name="contactName" maxLength={20} value={v('contactName')} />
      </label>
      <label>
        联系电话（选填）
        <input type="tel" name="contactPhone" maxLength={20} value={v('contactPhone')} />
      </label>
      <label class="check">
        <input type="checkbox" name="allowPublic" value="1" checked={v('allowPublic') === '1'} />{' '}
        同意公开留言内容及答复（不公开联系方式）
      </label>
      <button class="button" type="submit">
        提交留言
      </button>
    </form>
  );
}
