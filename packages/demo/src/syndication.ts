import { setPlatform, setTenant, type Staff, type Tenant, type Trx } from '@yiduan/db';
import { accessFor, fanOutChunk, pullStory, pushStory, setSharePolicy, staffActor } from '@yiduan/core';

async function newestPublished(trx: Trx, tenantId: string, sectionSlug: string, skip = 0): Promise<string | undefined> {
  const row = await trx
    .selectFrom('stories as s')
    .innerJoin('sections as sec', (j) =>
      j.onRef('sec.tenant_id', '=', 's.tenant_id').onRef('sec.id', '=', 's.section_id'),
    )
    .select('s.id')
    .where('s.tenant_id', '=', tenantId)
    .where('sec.slug', '=', sectionSlug)
    .where('s.published_revision', 'is not', null)
    .where('s.retracted_at', 'is', null)
    .orderBy('s.published_at', 'desc')
    .offset(skip)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Runs a push job to the end here, as the worker would, so a fresh start already shows it. */
async function runJob(trx: Trx, tenantId: string, jobId: string): Promise<void> {
  // platform scope, as the worker: placements go onto other tenants' faces
  await setPlatform(trx);
  for (let i = 0; i < 20; i++) {
    const { more } = await fanOutChunk(trx, tenantId, jobId);
    if (!more) return;
  }
}

/**
 * Content connectivity in the demo: a provincial 政务 story pushed (mandatory)
 * to every county, one offered and waiting in 汝阳's inbox, and a 汝阳 story
 * pulled up to the province's face.
 */
export async function seedSyndication(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
): Promise<void> {
  const province = tenants.henan!.id;
  const chief = staff['henan-chief']!;
  const editor = staff['henan-editor']!;
  await setTenant(trx, province);
  const mandatory = await newestPublished(trx, province, 'zhengwu');
  const offered = await newestPublished(trx, province, 'minsheng');
  const counties = Object.values(tenants)
    .filter((t) => t.level === 'county')
    .map((t) => t.id);
  if (mandatory) {
    const access = await accessFor(trx, chief, province);
    await setSharePolicy(trx, access, staffActor(chief), mandatory, 'down');
    const job = await pushStory(trx, access, staffActor(chief), {
      storyId: mandatory,
      targets: { kind: 'list', tenantIds: counties },
      mandatory: true,
      sectionSlug: 'zhengwu',
    });
    await runJob(trx, province, job.id);
  }
  if (offered) {
    await setTenant(trx, province);
    const access = await accessFor(trx, editor, province);
    const job = await pushStory(trx, access, staffActor(editor), {
      storyId: offered,
      targets: { kind: 'list', tenantIds: [tenants.ruyang!.id] },
      mandatory: false,
      sectionSlug: 'minsheng',
    });
    await runJob(trx, province, job.id);
  }
  const ruyang = tenants.ruyang!.id;
  await setTenant(trx, ruyang);
  const local = await newestPublished(trx, ruyang, 'wenlv');
  if (local) {
    await setTenant(trx, province);
    const access = await accessFor(trx, editor, province);
    const bendi = await trx
      .selectFrom('sections')
      .select('id')
      .where('tenant_id', '=', province)
      .where('slug', '=', 'bendi')
      .executeTakeFirst();
    await pullStory(trx, access, staffActor(editor), { storyId: local, sectionId: bendi?.id ?? null });
  }
}
