import t, { type Test } from 'tap';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createStorage, LocalDiskStorage, S3Storage, UnsafeStorageKeyError, type AssetStorage } from '../src/index.js';

/** Opaque bytes: a store never looks inside what it keeps (distinct per size). */
const blob = (size: number): Buffer => Buffer.from(Array.from({ length: size * 16 }, (_, i) => (i * 31 + size) & 0xff));

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const UNSAFE_KEYS = [
  '../escape.png',
  'a/../../escape.png',
  '/etc/passwd',
  'a//b.png',
  './a.png',
  'a\\..\\b.png',
  '',
  'a/.hidden',
  'a b.png',
  'tenant/%2e%2e/x',
];

/** The behaviour every store must share. */
async function contract(t: Test, storage: AssetStorage): Promise<void> {
  const key = 'tenant-1/2026/11/asset-1.png';
  const body = blob(3);
  t.equal(await storage.get(key), null, 'missing reads as null');
  t.equal(await storage.exists(key), false);
  await storage.put(key, body, 'image/png');
  t.same(await storage.get(key), body, 'round trip');
  t.equal(await storage.exists(key), true);
  const stream = await storage.stream?.(key);
  t.ok(stream, 'streams');
  if (stream) t.same(await readAll(stream), body);
  t.equal(await storage.stream?.('tenant-1/none.png'), null, 'a missing stream is null');
  const replaced = blob(4);
  await storage.put(key, replaced, 'image/png');
  t.same(await storage.get(key), replaced, 'put replaces');
  await storage.delete(key);
  t.equal(await storage.exists(key), false, 'deleted');
  t.equal(await storage.get(key), null);
  await storage.delete(key); // idempotent
  for (const bad of UNSAFE_KEYS) {
    t.type(
      await failure(storage.put(bad, body, 'image/png')),
      UnsafeStorageKeyError,
      `put refuses ${JSON.stringify(bad)}`,
    );
    t.type(await failure(storage.get(bad)), UnsafeStorageKeyError, `get refuses ${JSON.stringify(bad)}`);
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

t.test('local disk storage', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'yd-assets-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const root = join(parent, 'store');
  const storage = new LocalDiskStorage(root);
  await contract(t, storage);

  await storage.put('t/2026/01/a.png', blob(1), 'image/png');
  t.same(await filesUnder(root), [join(root, 't/2026/01/a.png')], 'sharded directories, no temp file left behind');
  t.same(
    (await filesUnder(parent)).filter((f) => !f.startsWith(root + '/')),
    [],
    'nothing written outside the root',
  );
  t.throws(() => storage.pathOf('../x.png'), UnsafeStorageKeyError);
  t.equal(createStorage({ kind: 'local', dir: root }) instanceof LocalDiskStorage, true);
});

interface Seen {
  method: string;
  url: string;
  authorization: string;
  contentType: string | undefined;
}

/** A minimal S3: objects in a Map under /bucket/key, every request must be SigV4-signed. */
async function fakeS3(
  t: Test,
): Promise<{ endpoint: string; objects: Map<string, { body: Buffer; type: string }>; seen: Seen[] }> {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const seen: Seen[] = [];
  const body = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const authorization = req.headers.authorization ?? '';
      const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
      seen.push({ method: req.method ?? '', url: path, authorization, contentType: req.headers['content-type'] });
      const error = (status: number, code: string): void => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(
          req.method === 'HEAD'
            ? undefined
            : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
        );
      };
      if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) return error(403, 'AccessDenied');
      if (path.startsWith('/forbidden/')) return error(403, 'AccessDenied');
      const found = objects.get(path);
      switch (req.method) {
        case 'PUT':
          objects.set(path, { body: await body(req), type: req.headers['content-type'] ?? '' });
          res.writeHead(200, { etag: '"x"' });
          return res.end();
        case 'GET':
        case 'HEAD':
          if (!found) return error(404, req.method === 'GET' ? 'NoSuchKey' : 'NotFound');
          res.writeHead(200, { 'content-type': found.type, 'content-length': found.body.length, etag: '"x"' });
          return res.end(req.method === 'GET' ? found.body : undefined);
        case 'DELETE':
          objects.delete(path);
          res.writeHead(204);
          return res.end();
        default:
          return error(405, 'MethodNotAllowed');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, objects, seen };
}

t.test('S3-compatible storage against a fake S3', async (t) => {
  const s3 = await fakeS3(t);
  const opts = {
    endpoint: s3.endpoint,
    region: 'cn-henan-1',
    bucket: 'media',
    accessKeyId: 'AKIDTEST',
    secretAccessKey: 'secret',
    forcePathStyle: true,
  };
  const storage = createStorage({ kind: 's3', ...opts });
  t.ok(storage instanceof S3Storage);
  t.teardown(() => (storage as S3Storage).destroy());

  await storage.put('t/2026/11/a.png', blob(2), 'image/png');
  t.same(s3.objects.get('/media/t/2026/11/a.png')?.body, blob(2), 'path-style key in the bucket');
  t.equal(s3.objects.get('/media/t/2026/11/a.png')?.type, 'image/png', 'content type sent');

  await contract(t, storage);
  t.ok(s3.seen.length > 10);
  t.ok(
    s3.seen.every((r) =>
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/cn-henan-1\/s3\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/.test(
        r.authorization,
      ),
    ),
    'every request signed (SigV4)',
  );
  t.same([...new Set(s3.seen.map((r) => r.method))].sort(), ['DELETE', 'GET', 'HEAD', 'PUT']);
  t.notOk(
    s3.seen.some((r) => r.url.includes('..') || r.url.includes('etc/passwd')),
    'unsafe keys never reach the store',
  );

  const denied = new S3Storage({ ...opts, bucket: 'forbidden' });
  t.teardown(() => denied.destroy());
  t.ok(await failure(denied.exists('a.png')), 'access denied is an error, not "missing"');
  t.ok(await failure(denied.get('a.png')));
});
