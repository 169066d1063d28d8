/**
 * A story page's data in one statement (storyPageOnFace), and the one door it opens:
 * face_story_images answers the sizes of the images a story live on the face draws, and
 * nothing else, while row-level security keeps hiding the assets themselves from the public.
 */
import t from 'tap';
import { Kysely, sql } from 'kysely';
import { createPool, ScopedPostgresDialect, withPublic, withTenant, type Database } from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';
import { faceCoverImages, storyPageOnFace } from '../src/index.js';

t.test('one statement for a live page; its images only, only where the story is live', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const face = tdb.tenants.ruyang!.id;
  const sibling = tdb.tenants.yichuan!.id;
  const row = await tdb.owner
    .selectFrom('face_listings')
    .select(['story_id', 'revision'])
    .where('tenant_id', '=', face)
    .where('origin_tenant_id', '=', face)
    .orderBy('published_at', 'desc')
    .executeTakeFirstOrThrow();
  const carriedBySibling = await tdb.owner
    .selectFrom('face_listings')
    .select('story_id')
    .where('tenant_id', '=', sibling)
    .where('story_id', '=', row.story_id)
    .executeTakeFirst();
  t.notOk(carriedBySibling, 'the sibling face does not carry the story');

  const asset = async (tenantId: string, alt: string): Promise<string> =>
    (
      await tdb.owner
        .insertInto('assets')
        .values({
          tenant_id: tenantId,
          mime: 'image/png',
          bytes: 1000,
          width: 640,
          height: 360,
          storage_key: `test/${alt}`,
          alt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const cover = await asset(face, '封面');
  const inBody = await asset(face, '正文图片');
  const poster = await asset(face, '视频封面');
  const unrelated = await asset(face, '未使用的图片');
  const foreign = await asset(sibling, '他人的图片');
  // the published revision names the cover, an image, a video poster, a malformed id and nothing else
  await sql`
    UPDATE story_revisions SET cover_asset_id = ${cover}::uuid,
      body = body || ${JSON.stringify([
        { type: 'image', assetId: inBody, caption: '' },
        { type: 'video', url: 'https://video.example.cn/v.mp4', posterAssetId: poster },
        { type: 'image', assetId: 'not-a-uuid', caption: '' },
      ])}::jsonb
     WHERE tenant_id = ${face}::uuid AND story_id = ${row.story_id}::uuid AND number = ${row.revision}`.execute(
    tdb.owner,
  );

  const statements: string[] = [];
  const logged = new Kysely<Database>({
    dialect: new ScopedPostgresDialect({ pool: createPool(tdb.appUrl, { max: 2 }) }),
    log: (e) => void statements.push(e.query.sql),
  });
  t.teardown(() => logged.destroy());

  const page = await withPublic(logged, async (trx) => {
    const from = statements.length;
    const p = await storyPageOnFace(trx, face, row.story_id);
    t.same(statements.slice(from).length, 1, 'a live story page is one statement');
    return p;
  });
  if (page.state !== 'live') throw new Error(`expected live, got ${page.state}`);
  t.same(
    page.images.map((i) => i.id).sort(),
    [cover, inBody, poster].sort(),
    'its images: the cover, the image block and the poster; not the unused asset, nor the malformed id',
  );
  t.same(
    page.images.find((i) => i.id === cover),
    { id: cover, width: 640, height: 360, alt: '封面', mime: 'image/png' },
    'sizes and description only',
  );
  t.ok(page.section?.slug, 'the face section');
  t.ok(Array.isArray(page.comments), 'the approved comments');

  // the assets themselves stay hidden from the public scope
  const visible = await withPublic(tdb.db, (trx) =>
    trx.selectFrom('assets').select('id').where('id', 'in', [cover, inBody, poster, unrelated]).execute(),
  );
  t.same(visible, [], 'row-level security still hides the unshared assets from the public');

  // a list page's covers: only an asset that is the cover of a story live on that face
  const covers = (faceId: string) =>
    withPublic(tdb.db, async (trx) =>
      (await faceCoverImages(trx, faceId, [cover, inBody, unrelated, foreign, null, 'x'])).map((i) => i.id),
    );
  t.same(await covers(face), [cover], "the face gets its live story's cover, not its body images nor other assets");
  t.same(await covers(sibling), [], 'another face gets nothing of it');

  // another face, another tenant's scope, and a retraction: nothing
  const images = (faceId: string) =>
    withPublic(tdb.db, async (trx) =>
      (
        await sql<{ id: string }>`SELECT id FROM face_story_images(${faceId}::uuid, ${row.story_id}::uuid)`.execute(trx)
      ).rows.map((r) => r.id),
    );
  t.same(await images(sibling), [], 'a face that does not carry the story learns nothing of its images');
  const fromSibling = await withTenant(
    tdb.db,
    sibling,
    async (trx) =>
      (await sql<{ id: string }>`SELECT id FROM face_story_images(${face}::uuid, ${foreign}::uuid)`.execute(trx)).rows,
  );
  t.same(fromSibling, [], 'an asset id passed as a story names nothing');
  await tdb.owner
    .updateTable('stories')
    .set({ retracted_at: new Date(), retraction_reason: '测试撤稿' })
    .where('tenant_id', '=', face)
    .where('id', '=', row.story_id)
    .execute();
  t.same(await images(face), [], 'once retracted, its images are no longer answered');
  t.same(await covers(face), [], 'nor its cover');
  const gone = await withPublic(tdb.db, (trx) => storyPageOnFace(trx, face, row.story_id));
  t.equal(gone.state, 'retracted', 'and the page is the retraction notice');
});
