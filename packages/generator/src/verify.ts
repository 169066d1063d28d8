import pg from 'pg';

/**
 * Checks that generated data keeps the application's invariants: every
 * reference resolves (the bulk load skips per-row foreign-key triggers), the
 * search index holds exactly the public stories, and each document's faces are
 * what the placements say. Returns the failed checks (empty when all hold).
 */
export interface VerifyReport {
  checks: { name: string; bad: number; ms: number }[];
  failed: string[];
}

const CHECKS: readonly { name: string; sql: string; needs?: string }[] = [
  {
    name: 'every published story has its published revision',
    sql: `SELECT count(*) FROM stories s WHERE s.published_revision IS NOT NULL AND NOT EXISTS (SELECT 1 FROM story_revisions r WHERE r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision)`,
  },
  {
    name: 'every revision belongs to a story',
    sql: `SELECT count(*) FROM story_revisions r WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = r.tenant_id AND s.id = r.story_id)`,
  },
  {
    name: 'every story section and unit is its tenant’s',
    sql: `SELECT count(*) FROM stories s WHERE (s.section_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sections x WHERE x.tenant_id = s.tenant_id AND x.id = s.section_id)) OR (s.unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.tenant_id = s.tenant_id AND u.id = s.unit_id))`,
  },
  {
    name: 'every cover is an asset of the story’s tenant',
    sql: `SELECT count(*) FROM story_revisions r WHERE r.cover_asset_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.tenant_id = r.tenant_id AND a.id = r.cover_asset_id)`,
  },
  {
    name: 'every placement points at a published story of its origin',
    sql: `SELECT count(*) FROM placements p WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = p.origin_tenant_id AND s.id = p.story_id AND s.first_published_at IS NOT NULL)`,
  },
  {
    name: 'every placement section is the face’s own',
    sql: `SELECT count(*) FROM placements p WHERE p.section_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sections x WHERE x.tenant_id = p.tenant_id AND x.id = p.section_id)`,
  },
  {
    name: 'every published story is on its own face',
    sql: `SELECT count(*) FROM stories s WHERE s.published_revision IS NOT NULL AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.tenant_id = s.tenant_id AND p.story_id = s.id AND p.mode = 'own')`,
  },
  {
    name: 'search holds only live public revisions',
    sql: `SELECT count(*) FROM story_search d WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = d.tenant_id AND s.id = d.story_id AND s.published_revision = d.revision AND s.retracted_at IS NULL)`,
  },
  {
    name: 'every public story is in search',
    sql: `SELECT count(*) FROM stories s WHERE s.published_revision IS NOT NULL AND s.retracted_at IS NULL AND NOT EXISTS (SELECT 1 FROM story_search d WHERE d.tenant_id = s.tenant_id AND d.story_id = s.id)`,
  },
  {
    name: 'search faces agree with placements (sample of 2,000)',
    sql: `SELECT count(*) FROM (SELECT * FROM story_search TABLESAMPLE SYSTEM (5) LIMIT 2000) d WHERE d.faces IS DISTINCT FROM story_faces(d.tenant_id, d.story_id)`,
  },
  {
    name: 'the face listing holds exactly the live placements',
    sql: `SELECT (SELECT count(*) FROM placements p JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id WHERE p.status = 'active' AND s.published_revision IS NOT NULL AND s.retracted_at IS NULL AND NOT EXISTS (SELECT 1 FROM face_listings l WHERE l.placement_id = p.id AND l.revision = s.published_revision)) + (SELECT count(*) FROM face_listings l WHERE NOT EXISTS (SELECT 1 FROM placements p JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id WHERE p.id = l.placement_id AND p.status = 'active' AND s.published_revision IS NOT NULL AND s.retracted_at IS NULL))`,
    needs: 'face_listings',
  },
  {
    name: 'every grant’s unit is its tenant’s',
    sql: `SELECT count(*) FROM grants g WHERE g.unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.tenant_id = g.tenant_id AND u.id = g.unit_id)`,
  },
  {
    name: 'every membership’s citizen exists',
    sql: `SELECT count(*) FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM citizens c WHERE c.id = m.citizen_id)`,
    needs: 'memberships',
  },
  {
    name: 'one active follow per citizen, face and unit',
    sql: `SELECT count(*) FROM (SELECT 1 FROM memberships WHERE ended_at IS NULL GROUP BY tenant_id, citizen_id, unit_id HAVING count(*) > 1) x`,
    needs: 'memberships',
  },
  {
    name: 'every comment is on a published story',
    sql: `SELECT count(*) FROM comments c WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.tenant_id = c.story_tenant_id AND s.id = c.story_id AND s.published_revision IS NOT NULL)`,
    needs: 'comments',
  },
  {
    name: 'every comment’s citizen exists',
    sql: `SELECT count(*) FROM comments c WHERE c.citizen_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM citizens x WHERE x.id = c.citizen_id)`,
    needs: 'comments',
  },
  {
    name: 'every message’s unit is its tenant’s',
    sql: `SELECT count(*) FROM citizen_messages m WHERE m.unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.tenant_id = m.tenant_id AND u.id = m.unit_id)`,
    needs: 'citizen_messages',
  },
];

export async function verify(databaseUrl: string): Promise<VerifyReport> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'yiduan-generator-verify' });
  await client.connect();
  try {
    const tables = new Set(
      (await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`)).rows.map(
        (x) => x.t,
      ),
    );
    const checks: VerifyReport['checks'] = [];
    for (const c of CHECKS) {
      if (c.needs && !tables.has(c.needs)) continue;
      const t0 = performance.now();
      const r = await client.query<{ count: string }>(c.sql);
      checks.push({ name: c.name, bad: Number(r.rows[0]!.count), ms: Math.round(performance.now() - t0) });
    }
    return { checks, failed: checks.filter((c) => c.bad > 0).map((c) => `${c.name}: ${c.bad} rows break it`) };
  } finally {
    await client.end();
  }
}
