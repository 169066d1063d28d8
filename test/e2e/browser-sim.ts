import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A small browser over `app.inject`: a cookie jar per host, redirects and
 * meta refreshes followed, forms posted urlencoded. Enough to walk the
 * citizens' flows across several faces and the central sign-in host the way a
 * real browser does, without a network.
 */
export interface Visit {
  status: number;
  url: string;
  body: string;
  /** every URL passed through, the first request included */
  trail: string[];
  res: LightMyRequestResponse;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** the cookies set by the responses of the last `go` (every hop) */
  lastCookies: LightMyRequestResponse['cookies'] = [];

  constructor(private readonly app: FastifyInstance) {}

  cookies(host: string): Map<string, string> {
    let c = this.jar.get(host);
    if (!c) this.jar.set(host, (c = new Map()));
    return c;
  }

  private keep(host: string, res: LightMyRequestResponse): void {
    const jar = this.cookies(host);
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (gone) jar.delete(c.name);
      else jar.set(c.name, c.value);
    }
  }

  private async once(
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string> | Multipart,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const u = new URL(url);
    const cookie = [...this.cookies(u.host)].map(([k, v]) => `${k}=${v}`).join('; ');
    const body =
      form instanceof Multipart
        ? { type: `multipart/form-data; boundary=${form.boundary}`, payload: form.encode() }
        : form
          ? { type: 'application/x-www-form-urlencoded', payload: new URLSearchParams(form).toString() }
          : null;
    const res = await this.app.inject({
      method,
      url: `${u.pathname}${u.search}`,
      headers: {
        host: u.host,
        ...(cookie ? { cookie } : {}),
        ...(body ? { 'content-type': body.type } : {}),
        ...headers,
      },
      ...(body ? { payload: body.payload } : {}),
    });
    this.keep(u.host, res);
    this.lastCookies.push(...res.cookies);
    return res;
  }

  /** One request, then redirects (3xx Location) and `<meta http-equiv="refresh">` pages as a browser follows them. */
  async go(
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string> | Multipart,
    headers?: Record<string, string>,
  ): Promise<Visit> {
    const trail = [url];
    this.lastCookies = [];
    let res = await this.once(method, url, form, headers);
    let at = url;
    for (let hops = 0; hops < 12; hops++) {
      const location = res.statusCode >= 300 && res.statusCode < 400 ? res.headers.location : metaRefresh(res.body);
      if (typeof location !== 'string') break;
      at = new URL(location, at).toString();
      trail.push(at);
      res = await this.once('GET', at);
    }
    return { status: res.statusCode, url: at, body: res.body, trail, res };
  }

  get(url: string): Promise<Visit> {
    return this.go('GET', url);
  }

  /** Submits the form of `page` whose action is `action`, with its hidden fields plus `fields`. */
  async submit(page: Visit, action: string, fields: Record<string, string> = {}): Promise<Visit> {
    const form = formOf(page.body, action);
    if (!form) throw new Error(`no form with action ${action} on ${page.url}`);
    return this.go('POST', new URL(action, page.url).toString(), { ...form, ...fields });
  }
}

/** A multipart/form-data body: the form's fields and files, as a browser sends them. */
export class Multipart {
  readonly boundary = `----yiduan${Math.random().toString(16).slice(2)}`;
  constructor(
    readonly fields: Record<string, string>,
    readonly files: { name: string; filename: string; type: string; data: Buffer }[],
  ) {}
  encode(): Buffer {
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(this.fields))
      parts.push(Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const f of this.files) {
      parts.push(
        Buffer.from(
          `--${this.boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
        ),
        f.data,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${this.boundary}--\r\n`));
    return Buffer.concat(parts);
  }
}

const decode = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;|&#39;/g, "'");

function metaRefresh(html: string): string | undefined {
  const m = /<meta http-equiv="refresh" content="0;url=([^"]+)"/.exec(html);
  return m ? decode(m[1]!) : undefined;
}

/** The hidden inputs of the first form posting to `action`. */
export function formOf(html: string, action: string): Record<string, string> | null {
  const forms = html.split('<form').slice(1);
  for (const f of forms) {
    const head = /action="([^"]*)"/.exec(f);
    if (!head || decode(head[1]!) !== action) continue;
    const fields: Record<string, string> = {};
    for (const m of f.split('</form>')[0]!.matchAll(/<input([^>]*)>/g)) {
      const attrs = m[1]!;
      if (!/type="hidden"/.test(attrs)) continue;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
      if (name) fields[name] = decode(value);
    }
    return fields;
  }
  return null;
}
