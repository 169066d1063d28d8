import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FACE_SESSION_TTL_MS } from '@yiduan/core';
import { citizenOf, cookieOptions, FACE_COOKIE } from '../citizen/session.js';
import { WHOAMI_PATH, WHOAMI_SCRIPT_PATH } from '../site/urls.js';

/**
 * The signed-in citizen's name in the header of cached pages.
 *
 * A cached page is the same bytes for every visitor (per tenant, path and face version; a CDN
 * keeps it too), so it says "登录 / 我的". A small same-origin script (`/_me.js`, allowed by the
 * CSP's script-src 'self'; no inline script) asks `/_me` (private, no-store) who the visitor is
 * and writes the name into the link. Without JavaScript the link still reads "登录 / 我的" and
 * leads to 我的 (or to sign-in).
 *
 * Anonymous readers must not cost the origin a request per page view (the CDN serves their
 * pages), so the script asks only when the `yd_who` hint cookie is present: readable by the
 * script, holding nothing but "1". The session cookie stays HttpOnly. The hint is set when a
 * response sets the face session (sign-in), cleared when one clears it (sign-out), set on a
 * per-visitor response to a visitor with a session but no hint (sessions older than the hint),
 * and cleared by `/_me` when the session behind it has ended (signed out centrally, expired).
 */
export const SIGNED_IN_HINT = 'yd_who';

// "· 我的" escaped: the script stays ASCII whatever the transfer decoding
export const WHOAMI_SCRIPT = `(function(){
"use strict";
var d=document,a=d.querySelector("a.account-link");
if(!a||!window.fetch||!/(?:^|;\\s*)${SIGNED_IN_HINT}=1(?:;|$)/.test(d.cookie))return;
fetch("${WHOAMI_PATH}",{credentials:"same-origin",headers:{accept:"application/json"}})
.then(function(r){return r.ok?r.json():null;})
.then(function(me){if(me&&me.signedIn&&typeof me.name==="string"&&me.name){a.textContent=me.name+" \\u00b7 \\u6211\\u7684";a.setAttribute("data-signed-in","");}})
.catch(function(){});
})();
`;

const SCRIPT_ETAG = `"${createHash('sha1').update(WHOAMI_SCRIPT).digest('base64url').slice(0, 16)}"`;

export interface WhoAmI {
  signedIn: boolean;
  /** the display name only: nothing else of the account leaves through here */
  name?: string;
}

function hint(request: FastifyRequest, reply: FastifyReply, on: boolean): void {
  const opts = { ...cookieOptions(request, on ? Math.floor(FACE_SESSION_TTL_MS / 1000) : 0), httpOnly: false };
  // appended to what the cookie plugin already wrote (its onSend ran first: it is registered on the root)
  reply.header(
    'set-cookie',
    request.server.serializeCookie(SIGNED_IN_HINT, on ? '1' : '', on ? opts : { ...opts, expires: new Date(0) }),
  );
}

/** What this response does to the face session cookie: set it, clear it, or leave it. */
function sessionCookieChange(reply: FastifyReply): 'set' | 'cleared' | null {
  const raw = reply.getHeader('set-cookie');
  const all = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const mine = all.map(String).find((c) => c.startsWith(`${FACE_COOKIE}=`));
  if (!mine) return null;
  return mine.startsWith(`${FACE_COOKIE}=;`) || /max-age=0(;|$)/i.test(mine) ? 'cleared' : 'set';
}

const PRIVATE = /\b(no-store|private)\b/;

/** Registered with fastify-plugin so the hint hook covers every face route (sign-in and sign-out included). */
export const whoamiRoutes = fp(
  async (app: FastifyInstance): Promise<void> => {
    app.get(WHOAMI_SCRIPT_PATH, (request, reply) => {
      reply
        .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
        .header('etag', SCRIPT_ETAG)
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === SCRIPT_ETAG) return reply.code(304).send();
      return reply.type('text/javascript; charset=utf-8').send(WHOAMI_SCRIPT);
    });

    app.get(WHOAMI_PATH, async (request, reply): Promise<WhoAmI> => {
      const session = await citizenOf(request, FACE_COOKIE);
      reply
        .header('cache-control', 'private, no-store')
        .header('vary', 'Cookie')
        .header('x-content-type-options', 'nosniff');
      if (!session) return { signedIn: false };
      return { signedIn: true, name: session.citizen.display_name };
    });

    // callback style: on the hot path (a cached page) it returns at once, with no promise made per response
    app.addHook('onSend', (request, reply, payload, done) => {
      const change = sessionCookieChange(reply);
      const hinted = request.cookies[SIGNED_IN_HINT] === '1';
      if (change) {
        hint(request, reply, change === 'set');
        return done(null, payload);
      }
      // only per-visitor responses: a shared cache must never keep a Set-Cookie
      if (!PRIVATE.test(String(reply.getHeader('cache-control') ?? ''))) return done(null, payload);
      const hasSession = Boolean(request.cookies[FACE_COOKIE]);
      if (hinted && !hasSession) hint(request, reply, false);
      else if (hasSession && (!hinted || request.routeOptions.url === WHOAMI_PATH)) {
        // citizenOf remembers its answer per request: on /_me and pages that looked already this is free
        citizenOf(request, FACE_COOKIE).then(
          (session) => {
            if (Boolean(session) !== hinted) hint(request, reply, Boolean(session));
            done(null, payload);
          },
          (err: unknown) => {
            // the hint is a convenience: the page that was rendered still goes out
            request.log.warn({ err }, 'signed-in hint not checked');
            done(null, payload);
          },
        );
        return;
      }
      done(null, payload);
    });
  },
  { name: 'portal-whoami' },
);
