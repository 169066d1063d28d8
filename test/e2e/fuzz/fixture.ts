// The isolation fuzzer's world: the demo province (province → cities → counties), one staff
// member per tenant holding every tenant role (the strongest insider), in each county a member
// limited to one unit (and a member of the sibling unit), an operator organisation with every
// role in two client counties, private objects of every kind with planted markers, each
// tenant's object ids discovered from the database (with the unit each belongs to), and a
// per-tenant and per-unit fingerprint of every tenant-owned table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { build } from '@yiduan/api';
import {
  checkerFor,
  createSession,
  follow,
  grantRole,
  postComment,
  samplePng,
  sendMessage,
  SYSTEM_ACTOR,
} from '@yiduan/core';
import { LocalDiskStorage } from '@yiduan/storage';
import { withCitizen, withPlatform, withTenant, type DB, type StaffRole } from '@yiduan/db';
import { outboxDrainer, staffWith } from '../helpers.js';
import { createDemoDeps, type TestDeps } from '@yiduan/testkit';
import { Markers, type TreeView } from './markers.js';

export interface FuzzTenant {
  index: number;
  id: string;
  slug: string;
  parentId: string | null;
  depth: number;
  host: string;
  /** session of `fz-<slug>`: reporter, editor, reviewer, chief editor and tenant admin here */
  token: string;
  staffId: string;
  /** a second member (editor, reviewer, chief editor) for four-eyes review steps */
  token2: string;
}

export type Relation = 'ancestor' | 'descendant' | 'sibling' | 'cousin' | 'unrelated';

export interface FuzzUnit {
  /** global index, the `extra` of its U markers: tenant index × 2, +1 for the second unit */
  index: number;
  id: string;
  slug: string;
  tenant: FuzzTenant;
}

/** A staff member limited to one unit of a county (reporter: the only role a unit grant may carry). */
export interface UnitAttacker {
  tenant: FuzzTenant;
  unit: FuzzUnit;
  /** the other unit of the same county, whose private objects are the target */
  sibling: FuzzUnit;
  staffId: string;
  token: string;
  /** a member of the sibling unit (sees its own unit's drafts: the detector's positive case) */
  siblingToken: string;
}

/** Staff of an operator organisation (代运营) holding every role in two client tenants through it. */
export interface OrgAttacker {
  orgId: string;
  staffId: string;
  token: string;
  clients: [FuzzTenant, FuzzTenant];
}

export interface GqlResult {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  raw: string;
}

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export interface Fixture {
  deps: TestDeps;
  app: FastifyInstance;
  tenants: FuzzTenant[];
  tree: TreeView;
  markers: Markers;
  /** per tenant id: table → ids, planted private objects first */
  ids: Map<string, Map<string, string[]>>;
  /** uuid-keyed tables without tenant_id (staff, organisations …): all ids */
  platformIds: Map<string, string[]>;
  /** id → the unit its row belongs to (directly, or through its story, message, comment or membership); null: none */
  unitOf: Map<string, string | null>;
  units: FuzzUnit[];
  unitAttackers: UnitAttacker[];
  org: OrgAttacker;
  /** the root's published story offered to every descendant, still pending in each inbox */
  pendingOffer: { root: FuzzTenant; storyId: string };
  relation(a: FuzzTenant, b: FuzzTenant): Relation;
  gql(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /**
   * `${tenantId}\t${table}\t${unitId or ''}` → md5 of every row of that tenant in that table that
   * belongs to that unit ('' for rows of no unit), owner connection
   */
  snapshot(): Promise<Map<string, string>>;
  /** md5 of the platform rows an attacker must not change either (organisations) */
  platformSnapshot(): Promise<string>;
  /** a fresh session for a staff member (after an operation ended the old one) */
  newSession(staffId: string): Promise<string>;
  /** whether a comment carrying this text has been approved since (then it is public) */
  commentApproved(text: string): Promise<boolean>;
  /** runs the worker until the outbox is empty */
  drainOutbox(): Promise<void>;
}

const ROLES: readonly StaffRole[] = ['reporter', 'editor', 'reviewer', 'chief_editor', 'tenant_admin'];

function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
  const boundary = '----fuzz' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function session(db: DB, staffId: string): Promise<string> {
  return (await withPlatform(db, (trx) => createSession(trx, staffId, { ip: '127.0.0.1' }))).token;
}

const debug = (label: string, since: number): void => {
  if (process.env.FUZZ_DEBUG) console.error(`fixture: ${label} ${Date.now() - since} ms`);
};

export async function buildFixture(t: Teardown): Promise<Fixture> {
  let since = Date.now();
  // the demo tree only (province → cities → counties); the content is made below, lean and marked
  const deps = await createDemoDeps(t);
  const { tenants: seeded } = deps;
  debug('database with the demo tree', since);
  since = Date.now();
  const assetDir = mkdtempSync(join(tmpdir(), 'yiduan-fuzz-'));
  t.teardown(() => rmSync(assetDir, { recursive: true, force: true }));
  const storage = new LocalDiskStorage(assetDir);
  const app = await build(deps, { storage });
  t.teardown(() => app.close());
  const owner = deps.tdb.owner;

  const gql = async (
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GqlResult> => {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: res.statusCode, body: res.json() as GqlResult['body'], raw: res.body };
  };
  /** setup calls must work: a failure here is a broken fixture, not a finding */
  const must = async <T>(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const r = await gql(token, query, variables);
    if (r.body.errors?.length || !r.body.data)
      throw new Error(`fixture call failed: ${query.slice(0, 60)} ${r.raw.slice(0, 400)}`);
    return r.body.data as T;
  };

  // the tree, generically from the tenants table
  const rows = await owner.selectFrom('tenants').select(['id', 'slug', 'parent_id']).execute();
  const parentOf = new Map(rows.map((r) => [r.id, r.parent_id]));
  const depthOf = (id: string): number => {
    let d = 0;
    for (let p = parentOf.get(id); p; p = parentOf.get(p)) d++;
    return d;
  };
  // staff sign in with minted sessions, so one password hash (argon2 is slow on purpose) serves all
  const first = await staffWith(deps.db, 'fz-hash', Object.values(seeded)[0]!.id, []);
  const member = async (
    login: string,
    tenantId: string,
    roles: readonly StaffRole[],
    unitId: string | null = null,
  ): Promise<string> => {
    const row = await owner
      .insertInto('staff')
      .values({ login, display_name: login, password_hash: first.password_hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await withTenant(deps.db, tenantId, async (trx) => {
      for (const role of roles)
        await grantRole(trx, SYSTEM_ACTOR, { tenantId, role, staffId: row.id, unitId, skipPartyCheck: true });
    });
    return row.id;
  };
  const tenants: FuzzTenant[] = [];
  for (const [index, slug] of Object.keys(seeded).entries()) {
    const id = seeded[slug]!.id;
    const staffId = await member(`fz-${slug}`, id, ROLES);
    const second = await member(`fz2-${slug}`, id, ['editor', 'reviewer', 'chief_editor']);
    tenants.push({
      index,
      id,
      slug,
      parentId: parentOf.get(id) ?? null,
      depth: depthOf(id),
      host: `${slug}.localhost`,
      token: await session(deps.db, staffId),
      staffId,
      token2: await session(deps.db, second),
    });
  }
  const byId = new Map(tenants.map((x) => [x.id, x]));
  const ancestorsOf = (id: string): string[] => {
    const out: string[] = [];
    for (let p = parentOf.get(id); p; p = parentOf.get(p)) out.push(p);
    return out;
  };
  const tree: TreeView = { isAncestor: (a, of) => ancestorsOf(tenants[of]!.id).includes(tenants[a]!.id) };
  const maxDepth = Math.max(...tenants.map((x) => x.depth));
  const counties = tenants.filter((x) => x.depth === maxDepth);
  const relation = (a: FuzzTenant, b: FuzzTenant): Relation => {
    if (ancestorsOf(b.id).includes(a.id)) return 'ancestor';
    if (ancestorsOf(a.id).includes(b.id)) return 'descendant';
    if (a.parentId === b.parentId) return 'sibling';
    if (a.depth === b.depth) return 'cousin';
    return 'unrelated';
  };
  debug('staff', since);
  since = Date.now();

  // private objects of every kind, made through the API by each tenant's own staff
  const markers = new Markers();
  const planted = new Map<string, Map<string, string[]>>();
  const plant = (tenantId: string, table: string, id: string): void => {
    const m = planted.get(tenantId) ?? new Map<string, string[]>();
    m.set(table, [...(m.get(table) ?? []), id]);
    planted.set(tenantId, m);
  };
  const png = samplePng(32, 24);
  /** private text of a story: class U when it belongs to a unit (its members see it), D for the centre's */
  const mark = (x: FuzzTenant, unit: FuzzUnit | null): string =>
    unit ? markers.make('U', x.index, unit.index) : markers.make('D', x.index);
  const marked = (x: FuzzTenant, unit: FuzzUnit | null, extra: Record<string, unknown> = {}) => {
    const d = (): string => mark(x, unit);
    return {
      title: `草稿 ${d()}`,
      summary: d(),
      tags: [d()],
      body: [{ type: 'paragraph', text: `内部稿件 ${d()}` }],
      ...extra,
    };
  };
  const units: FuzzUnit[] = [];
  const unitAttackers: UnitAttacker[] = [];
  const newUnit = async (x: FuzzTenant, slug: string, name: string, second: boolean): Promise<FuzzUnit> => {
    const r = await must<{ createUnit: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: UnitInput!) { createUnit(tenantId: $t, input: $i) { id } }`,
      { t: x.id, i: { slug, name, kind: 'BUREAU' } },
    );
    const u = { index: x.index * 2 + (second ? 1 : 0), id: r.createUnit.id, slug, tenant: x };
    units.push(u);
    return u;
  };
  const newStory = async (
    x: FuzzTenant,
    content: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    token = x.token,
  ): Promise<string> => {
    const r = await must<{ createStory: { story: { id: string } } }>(
      token,
      `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
      { t: x.id, i: { kind: 'ARTICLE', content, ...extra } },
    );
    plant(x.id, 'stories', r.createStory.story.id);
    return r.createStory.story.id;
  };
  const submit = (x: FuzzTenant, s: string) =>
    must(x.token, `mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`, { t: x.id, s });
  const approve = (x: FuzzTenant, s: string, c = '') =>
    must(
      x.token2,
      `mutation($t: ID!, $s: ID!, $c: String) { approveStory(tenantId: $t, id: $s, comment: $c) { story { id } } }`,
      { t: x.id, s, c },
    );
  /** public content: published, shared with the whole tree */
  const published = new Map<string, string[]>();
  const publish = async (x: FuzzTenant, title: string, extra: Record<string, unknown>): Promise<string> => {
    const s = await newStory(
      x,
      { title, summary: `${title}。`, body: [{ type: 'paragraph', text: `${title}，详情见正文。` }] },
      extra,
    );
    await must(
      x.token,
      `mutation($t: ID!, $s: ID!) { setSharePolicy(tenantId: $t, storyId: $s, policy: TREE) { story { id } } }`,
      { t: x.id, s },
    );
    await submit(x, s);
    await approve(x, s);
    await must(x.token, `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { id } } }`, {
      t: x.id,
      s,
    });
    published.set(x.id, [...(published.get(x.id) ?? []), s]);
    return s;
  };
  const setUp = async (x: FuzzTenant): Promise<void> => {
    // a section and a unit (public), a one-step chain so the fixture can publish quickly
    const section = await must<{ createSection: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: SectionInput!) { createSection(tenantId: $t, input: $i) { id } }`,
      { t: x.id, i: { slug: 'bendi', name: '本地' } },
    );
    const unit = await newUnit(x, 'jiaoyu', '教育局', false);
    await must(x.token, `mutation($t: ID!) { setReviewChain(tenantId: $t, steps: [CHIEF_EDITOR]) }`, { t: x.id });
    const placedIn = { sectionId: section.createSection.id, unitId: unit.id };

    const m = multipart(
      { alt: `内部图片 ${markers.make('P', x.index)}` },
      { name: 'p.png', type: 'image/png', data: png },
    );
    const up = await app.inject({
      method: 'POST',
      url: `/assets?tenantId=${x.id}`,
      payload: m.payload,
      headers: { ...m.headers, authorization: `Bearer ${x.token}` },
    });
    if (up.statusCode !== 201) throw new Error(`fixture upload failed: ${up.body}`);
    const assetId = (up.json() as { id: string }).id;
    plant(x.id, 'assets', assetId);

    await newStory(x, marked(x, unit, { coverAssetId: assetId }), placedIn);
    await submit(x, await newStory(x, marked(x, unit), placedIn));
    const approved = await newStory(x, marked(x, unit), placedIn);
    await submit(x, approved);
    await approve(x, approved, `意见 ${mark(x, unit)}`);
    const reject = async (
      content: Record<string, unknown>,
      where: Record<string, unknown>,
      reason: string,
    ): Promise<void> => {
      const s = await newStory(x, content, where);
      await submit(x, s);
      await must(
        x.token2,
        `mutation($t: ID!, $s: ID!, $r: String!) { rejectStory(tenantId: $t, id: $s, reason: $r) { story { id } } }`,
        { t: x.id, s, r: `退回 ${reason}` },
      );
    };
    await reject(marked(x, null), {}, mark(x, null));
    // published, then revised: the public keeps the published revision, the new one is a draft
    const pub = await publish(x, `${x.slug} 公开稿件一`, placedIn);
    await must(
      x.token,
      `mutation($t: ID!, $s: ID!, $i: SaveStoryInput!) { saveStory(tenantId: $t, id: $s, input: $i) { story { id } } }`,
      { t: x.id, s: pub, i: { content: marked(x, unit), baseRevision: 1 } },
    );
    await publish(x, `${x.slug} 公开稿件二`, placedIn);

    if (counties.includes(x)) {
      // a second unit, whose member attacks the first (教育局): its drafts, rejected stories, messages
      const own = await newUnit(x, 'chengguan', '城关镇', true);
      const attackerId = await member(`fz-unit-${x.slug}`, x.id, ['reporter'], own.id);
      const siblingId = await member(`fz-jy-${x.slug}`, x.id, ['reporter'], unit.id);
      const a: UnitAttacker = {
        tenant: x,
        unit: own,
        sibling: unit,
        staffId: attackerId,
        token: await session(deps.db, attackerId),
        siblingToken: await session(deps.db, siblingId),
      };
      unitAttackers.push(a);
      // each member's own draft (the unit follows from the grant)
      await newStory(x, marked(x, own), { sectionId: placedIn.sectionId }, a.token);
      await newStory(x, marked(x, unit), { sectionId: placedIn.sectionId }, a.siblingToken);
      await reject(marked(x, unit), placedIn, mark(x, unit));
    }

    const rule = await must<{ createTerminologyRule: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: RuleInput!) { createTerminologyRule(tenantId: $t, input: $i) { id } }`,
      {
        t: x.id,
        i: {
          pattern: markers.make('R', x.index),
          kind: 'LITERAL',
          severity: 'WARN',
          replacement: markers.make('R', x.index),
          note: `内部说明 ${markers.make('R', x.index)}`,
        },
      },
    );
    plant(x.id, 'terminology_rules', rule.createTerminologyRule.id);
    const syn = await must<{ createSyndicationRule: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: SyndicationRuleInput!) { createSyndicationRule(tenantId: $t, input: $i) { id } }`,
      { t: x.id, i: { kind: 'take_up', tag: markers.make('S', x.index) } },
    );
    plant(x.id, 'syndication_rules', syn.createSyndicationRule.id);
    const settings = (
      await owner.selectFrom('tenants').select('settings').where('id', '=', x.id).executeTakeFirstOrThrow()
    ).settings as Record<string, unknown>;
    await must(
      deps.config.bootstrapOperatorToken,
      `mutation($i: UpdateTenantInput!) { updateTenant(input: $i) { tenant { id } } }`,
      { i: { id: x.id, settings: { ...settings, fuzzNote: markers.make('X', x.index) } } },
    );
  };
  // tenants are independent here: a few at a time
  for (let i = 0; i < tenants.length; i += 4) await Promise.all(tenants.slice(i, i + 4).map(setUp));
  // every parent takes up its children's second story (pulled placements)
  for (const x of tenants) {
    const parent = x.parentId ? byId.get(x.parentId) : undefined;
    if (parent)
      await must(parent.token, `mutation($t: ID!, $s: ID!) { pullStory(tenantId: $t, storyId: $s) { id } }`, {
        t: parent.id,
        s: published.get(x.id)![1],
      });
  }
  // the planning desk: each tenant's own campaign (not reaching down), a topic (in no campaign: a
  // campaign kept to its tenant takes no desk assignment down the tree) assigned to its own
  // staff and pitched to its parent; each parent's topic assigned to each child as a desk, one
  // declined with a reason. Plans are read by the owner and its ancestors (class A); a desk
  // assignment also by its assignee (class G). The ids land in the fuzzer's tables by themselves.
  const topicOf = new Map<string, string>();
  for (const x of tenants) {
    const c = await must<{ createCampaign: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: CampaignInput!) { createCampaign(tenantId: $t, input: $i) { id } }`,
      { t: x.id, i: { title: '内部专题', brief: `专题说明 ${markers.make('A', x.index)}`, reach: 'OWN' } },
    );
    plant(x.id, 'campaigns', c.createCampaign.id);
    const topic = await must<{ createTopic: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: TopicInput!) { createTopic(tenantId: $t, input: $i) { id } }`,
      {
        t: x.id,
        i: { title: '内部选题', brief: `报道思路 ${markers.make('A', x.index)}` },
      },
    );
    topicOf.set(x.id, topic.createTopic.id);
    plant(x.id, 'topics', topic.createTopic.id);
    const own = await must<{ assignTopic: { id: string }[] }>(
      x.token,
      `mutation($t: ID!, $id: ID!, $i: AssignInput!) { assignTopic(tenantId: $t, topicId: $id, input: $i) { id } }`,
      {
        t: x.id,
        id: topic.createTopic.id,
        i: {
          assignees: [{ staffId: x.staffId }],
          task: 'WRITE',
          instructions: `任务要求 ${markers.make('A', x.index)}`,
        },
      },
    );
    plant(x.id, 'assignments', own.assignTopic[0]!.id);
  }
  for (const x of tenants) {
    const parent = x.parentId ? byId.get(x.parentId) : undefined;
    if (!parent) continue;
    const desk = await must<{ assignTopic: { id: string }[] }>(
      parent.token,
      `mutation($t: ID!, $id: ID!, $i: AssignInput!) { assignTopic(tenantId: $t, topicId: $id, input: $i) { id } }`,
      {
        t: parent.id,
        id: topicOf.get(parent.id),
        i: {
          assignees: [{ tenantId: x.id }],
          task: 'WRITE',
          instructions: `下派要求 ${markers.make('G', parent.index, x.index)}`,
        },
      },
    );
    plant(parent.id, 'assignments', desk.assignTopic[0]!.id);
    if (x.depth === 2 && x.index % 2 === 0) {
      await must(
        x.token,
        `mutation($t: ID!, $id: ID!, $r: String) { answerAssignment(tenantId: $t, id: $id, accept: false, reason: $r) { id } }`,
        { t: x.id, id: desk.assignTopic[0]!.id, r: `拒单 ${markers.make('G', parent.index, x.index)}` },
      );
    }
    const pitch = await must<{ pitchTopic: { id: string } }>(
      x.token,
      `mutation($t: ID!, $i: PitchInput!) { pitchTopic(tenantId: $t, input: $i) { id } }`,
      {
        t: x.id,
        i: { topicId: topicOf.get(x.id), toTenantId: parent.id, note: `推荐理由 ${markers.make('A', x.index)}` },
      },
    );
    plant(x.id, 'pitches', pitch.pitchTopic.id);
  }
  debug('private objects', since);
  since = Date.now();

  // offers from the root to every descendant: one declined with a reason, one waiting in the inbox
  const root = tenants.find((x) => x.parentId === null)!;
  const offered = published.get(root.id)!;
  for (const s of offered)
    await must(
      root.token,
      `mutation($t: ID!, $s: ID!) { pushStory(tenantId: $t, storyId: $s, input: { scope: ALL, mandatory: false }) { id } }`,
      { t: root.id, s },
    );
  const { drain: drainOutbox } = outboxDrainer(deps, 200);
  await drainOutbox();
  for (const x of tenants) {
    if (x === root) continue;
    const inbox = await must<{ inbox: { id: string; story: { id: string } }[] }>(
      x.token,
      `query($t: ID!) { inbox(tenantId: $t) { id story { id } } }`,
      { t: x.id },
    );
    const first = inbox.inbox.find((p) => p.story.id === offered[0]);
    if (first) {
      await must(
        x.token,
        `mutation($t: ID!, $p: ID!, $r: String!) { declineOffer(tenantId: $t, placementId: $p, reason: $r) { id } }`,
        { t: x.id, p: first.id, r: `不采用 ${markers.make('O', x.index, root.index)}` },
      );
      plant(x.id, 'placements', first.id);
    }
    for (const p of inbox.inbox) if (p !== first) plant(x.id, 'placements', p.id);
  }
  debug('offers', since);
  since = Date.now();

  // the audience: one follower per tenant (no consent to share with the parent) who also writes
  // private messages (to the centre; in counties also to each unit) and comments; a tenant sees
  // its own followers and messages, ancestors only aggregates. Comments on a unit's story wait
  // for a moderator: one stays pending, one is rejected (class C: held from the public; the
  // moderation note is staff-only, class D)
  const citizenOf = async (x: FuzzTenant, n: number): Promise<{ id: string; phone: string; display_name: string }> => {
    const phone = `139${n}000${String(x.index).padStart(4, '0')}`;
    const display_name = `读者${markers.make('D', x.index)}`;
    const citizen = await sql<{
      id: string;
    }>`INSERT INTO citizens (phone, display_name) VALUES (${phone}, ${display_name}) RETURNING id::text AS id`.execute(
      owner,
    );
    return { id: citizen.rows[0]!.id, phone, display_name };
  };
  for (const x of tenants) {
    const c = await citizenOf(x, 0);
    await withCitizen(deps.db, c.id, (trx) =>
      follow(trx, c.id, x.id, null, { news: true, contact: true, share_parent: false }),
    );
    const message = async (unit: FuzzUnit | null): Promise<void> => {
      const m = await withCitizen(deps.db, c.id, (trx) =>
        sendMessage(trx, deps.cache, {
          tenantId: x.id,
          unitId: unit?.id ?? null,
          citizenId: c.id,
          category: 'complaint',
          title: `留言 ${mark(x, unit)}`,
          body: `内容 ${mark(x, unit)}`,
          contactName: mark(x, unit),
          contactPhone: c.phone,
          allowPublic: false,
          ip: `198.51.100.${x.index + 1}`,
        }),
      );
      plant(x.id, 'citizen_messages', m.id);
    };
    await message(null);
    const ua = unitAttackers.find((a) => a.tenant === x);
    if (ua) {
      await message(ua.sibling);
      await message(ua.unit);
      // a follower of the sibling unit only (followers are for tenant-wide editors)
      const f = await citizenOf(x, 1);
      await withCitizen(deps.db, f.id, (trx) =>
        follow(trx, f.id, x.id, ua.sibling.id, { news: true, contact: true, share_parent: false }),
      );
    }
    const checker = await withTenant(deps.db, x.id, (trx) => checkerFor(trx, x.id));
    const comment = async (body: string): Promise<string> => {
      const row = await withCitizen(deps.db, c.id, (trx) =>
        postComment(trx, deps.cache, {
          faceTenantId: x.id,
          storyId: published.get(x.id)![0]!,
          citizen: c,
          body,
          checker,
        }),
      );
      if (row.status !== 'pending') throw new Error(`fixture comment not held: ${row.status}`);
      plant(x.id, 'comments', row.id);
      return row.id;
    };
    await comment(`待审评论 ${markers.make('C', x.index)}`);
    const rejected = await comment(`退回评论 ${markers.make('C', x.index)}`);
    await must(
      x.token,
      `mutation($t: ID!, $c: ID!, $n: String) { moderateComment(tenantId: $t, id: $c, decision: REJECT, note: $n) { id } }`,
      { t: x.id, c: rejected, n: `不予通过 ${markers.make('D', x.index)}` },
    );
  }

  // the operator organisation: every role in two counties of different cities, through the organisation
  const [clientA, clientB] = (() => {
    for (const a of counties) for (const b of counties) if (a.parentId !== b.parentId) return [a, b] as const;
    throw new Error('the fixture tree needs counties in two cities');
  })();
  const org = await owner
    .insertInto('organisations')
    .values({ name: '中原数字传媒（模糊测试）', licence_no: 'FZ-2026-001', valid_until: '2099-12-31' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const orgStaff = await owner
    .insertInto('staff')
    .values({ login: 'fz-org', display_name: 'fz-org', password_hash: first.password_hash, org_id: org.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const c of [clientA, clientB]) {
    await withTenant(deps.db, c.id, async (trx) => {
      for (const role of ROLES)
        await grantRole(trx, SYSTEM_ACTOR, { tenantId: c.id, role, orgId: org.id, skipPartyCheck: true });
    });
  }
  const orgAttacker: OrgAttacker = {
    orgId: org.id,
    staffId: orgStaff.id,
    token: await session(deps.db, orgStaff.id),
    clients: [clientA, clientB],
  };
  debug('audience and organisation', since);
  since = Date.now();

  // every tenant-owned table with a uuid id, and every uuid-keyed platform table
  const cols = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`.execute(
    owner,
  );
  const byTable = new Map<string, Map<string, string>>();
  for (const c of cols.rows)
    byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Map<string, string>()).set(c.column_name, c.data_type));
  const tenantTables = [...byTable]
    .filter(([, c]) => c.has('tenant_id'))
    .map(([n]) => n)
    .sort();
  /** the unit a row belongs to: its own unit_id, or its story's, message's, comment's or membership's */
  const unitSource = (table: string): { join: string; unit: string } => {
    const c = byTable.get(table)!;
    if (table === 'units') return { join: '', unit: 'x.id' };
    if (c.has('unit_id')) return { join: '', unit: 'x.unit_id' };
    if (c.has('story_id')) {
      const st = c.has('story_tenant_id')
        ? 'story_tenant_id'
        : c.has('origin_tenant_id')
          ? 'origin_tenant_id'
          : 'tenant_id';
      return { join: `LEFT JOIN stories u ON u.tenant_id = x.${st} AND u.id = x.story_id`, unit: 'u.unit_id' };
    }
    if (c.has('message_id'))
      return {
        join: 'LEFT JOIN citizen_messages u ON u.tenant_id = x.tenant_id AND u.id = x.message_id',
        unit: 'u.unit_id',
      };
    if (c.has('comment_id')) {
      return {
        join: 'LEFT JOIN comments k ON k.tenant_id = x.tenant_id AND k.id = x.comment_id LEFT JOIN stories u ON u.tenant_id = k.story_tenant_id AND u.id = k.story_id',
        unit: 'u.unit_id',
      };
    }
    if (c.has('membership_id'))
      return {
        join: 'LEFT JOIN memberships u ON u.tenant_id = x.tenant_id AND u.id = x.membership_id',
        unit: 'u.unit_id',
      };
    return { join: '', unit: 'NULL::uuid' };
  };
  const ids = new Map<string, Map<string, string[]>>();
  const platformIds = new Map<string, string[]>();
  const unitOf = new Map<string, string | null>();
  for (const [table, c] of byTable) {
    if (c.get('id') !== 'uuid') continue;
    if (c.has('tenant_id')) {
      const src = unitSource(table);
      const found = await sql<{
        id: string;
        tenant_id: string;
        unit: string | null;
      }>`SELECT x.id::text AS id, x.tenant_id::text AS tenant_id, (${sql.raw(src.unit)})::text AS unit FROM ${sql.table(table)} x ${sql.raw(src.join)} ORDER BY x.id`.execute(
        owner,
      );
      for (const r of found.rows) {
        const m = ids.get(r.tenant_id) ?? new Map<string, string[]>();
        m.set(table, [...(m.get(table) ?? []), r.id]);
        ids.set(r.tenant_id, m);
        unitOf.set(r.id, r.unit);
      }
    } else if (table !== 'tenants') {
      platformIds.set(
        table,
        (await sql<{ id: string }>`SELECT id::text AS id FROM ${sql.table(table)} ORDER BY id`.execute(owner)).rows.map(
          (r) => r.id,
        ),
      );
    }
  }
  for (const [tenantId, m] of ids) {
    for (const [table, list] of m) {
      const first = planted.get(tenantId)?.get(table) ?? [];
      m.set(table, [...first, ...list.filter((id) => !first.includes(id))]);
    }
  }
  // staff belong to tenants through grants: give each tenant its own members' ids as "staff"
  for (const x of tenants) {
    const staff = await owner
      .selectFrom('grants')
      .select('staff_id')
      .distinct()
      .where('tenant_id', '=', x.id)
      .where('staff_id', 'is not', null)
      .execute();
    ids.get(x.id)?.set('staff', [x.staffId, ...staff.map((s) => s.staff_id!).filter((s) => s !== x.staffId)]);
  }

  debug('ids', since);
  const union = [
    ...tenantTables.map((tb) => {
      const src = unitSource(tb);
      return sql`SELECT x.tenant_id::text AS t, ${tb}::text AS tb, coalesce((${sql.raw(src.unit)})::text, '') AS u, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h
                   FROM ${sql.table(tb)} x ${sql.raw(src.join)} GROUP BY 1, 3`;
    }),
    sql`SELECT id::text AS t, 'tenants'::text AS tb, ''::text AS u, md5(x::text) AS h FROM tenants x`,
  ];
  const snapshotQuery = sql.join(union, sql` UNION ALL `);
  const snapshot = async (): Promise<Map<string, string>> => {
    const r = await sql<{ t: string | null; tb: string; u: string; h: string }>`${snapshotQuery}`.execute(owner);
    return new Map(r.rows.filter((x) => x.t && byId.has(x.t)).map((x) => [`${x.t}\t${x.tb}\t${x.u}`, x.h]));
  };
  const platformSnapshot = async (): Promise<string> =>
    (
      await sql<{
        h: string;
      }>`SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM organisations x`.execute(owner)
    ).rows[0]!.h;
  const newSession = (staffId: string): Promise<string> => session(deps.db, staffId);
  const commentApproved = async (text: string): Promise<boolean> =>
    !!(await owner
      .selectFrom('comments')
      .select('id')
      .where('body', 'like', `%${text}%`)
      .where('status', '=', 'approved')
      .executeTakeFirst());
  const pendingOffer = { root, storyId: offered[1]! };

  return {
    deps,
    app,
    tenants,
    tree,
    markers,
    ids,
    platformIds,
    unitOf,
    units,
    unitAttackers,
    org: orgAttacker,
    pendingOffer,
    relation,
    gql,
    snapshot,
    platformSnapshot,
    newSession,
    commentApproved,
    drainOutbox,
  };
}
