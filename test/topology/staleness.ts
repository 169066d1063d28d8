// The replica never serves a retraction stale (docs/topology.md, "Replica reads"). On the running
// topology: ruyang publishes a story and every copy of its pages shows it; the replica's replay
// is paused (pg_wal_replay_pause()); the story is retracted on the primary. From the moment the
// worker has handled the retraction's event, neither portal (nor the balancer) may serve the
// story, on its page or the face's home page, although the replica still holds it as published
// (checked: the replica's replay position stays behind the retraction the whole time). Then
// replay resumes and the replica catches up: still never served. The control: a third portal
// started without Redis (so no fence reaches it) and first asked during the pause renders the
// story from the replica, i.e. without the fence the replica would serve it. Exits 1 on any failure.
import { sql } from 'kysely';
import { accessFor, retractStory, staffActor } from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import { forgetService, psql, spawnService, stopService, waitService } from '../../scripts/topology/lib.js';
import { face, ports, sleep, topo, until } from './kit.js';

const log = (m: string): void => console.log(`[staleness] ${m}`);
const PAUSE_MS = Number(process.env.STALENESS_PAUSE_MS ?? 8000);
let failed = false;
const check = (ok: boolean, what: string): void => {
  log(`${ok ? '✔' : '✖'} ${what}`);
  if (!ok) failed = true;
};

const t = topo();
const copies = [ports.lbPortal, ...ports.portals];
/** every copy's home page and story page: how many show the title, of how many answered 200 */
async function showings(storyId: string, title: string): Promise<{ shown: number; answered: number; errors: number }> {
  let shown = 0;
  let answered = 0;
  let errors = 0;
  for (const port of copies)
    for (const path of ['/', `/a/${storyId}`]) {
      const r = await face('ruyang', path, port);
      if (r.status === 0 || r.status >= 500) errors++;
      else answered++;
      if (r.status === 200 && r.body.includes(title)) shown++;
    }
  return { shown, answered, errors };
}

let paused = false;
let controlStarted = false;
const CONTROL_PORT = Number(process.env.TOPOLOGY_PORTAL_CONTROL_PORT ?? ports.portals[1]! + 5);
try {
  const tenantId = await t.tenant('ruyang');
  const desk = await t.desk('ruyang');
  const title = `副本延迟撤稿检验（${Date.now() % 1_000_000}）`;
  const storyId = await desk.publish(title);
  const shownEverywhere = await until(async () => (await showings(storyId, title)).shown === copies.length * 2, 30_000);
  check(shownEverywhere, `published: the story shows on its page and the home page of both portals and the balancer`);

  // the control portal: same replica, memory cache (no Redis, hence no fence); not asked yet
  const control = spawnService('portal-control', 'portal', CONTROL_PORT, { REDIS_SENTINELS: '' });
  controlStarted = true;
  await waitService(control);

  psql('replica', 'SELECT pg_wal_replay_pause()');
  paused = true;
  const pausedAt = psql('replica', 'SELECT pg_last_wal_replay_lsn()');
  log(`replica replay paused at ${pausedAt}`);

  await withTenant(t.db, tenantId, async (trx) =>
    retractStory(trx, await accessFor(trx, desk.writer, tenantId), staffActor(desk.writer), storyId, '核实有误，撤回'),
  );
  const retractedAt = psql('primary', 'SELECT pg_current_wal_lsn()');
  // the worker has handled the retraction's event (its cache invalidation ran)
  const handled = await until(async () => {
    const r = await sql<{ pending: number }>`
      SELECT count(*)::int AS pending FROM outbox
      WHERE topic = 'story.retracted' AND payload->>'storyId' = ${storyId} AND status <> 'done'`.execute(t.owner);
    const done = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox WHERE topic = 'story.retracted' AND payload->>'storyId' = ${storyId}`.execute(
      t.owner,
    );
    return r.rows[0]!.pending === 0 && done.rows[0]!.n > 0;
  }, 15_000);
  check(handled, `the retraction's outbox event was handled (primary WAL at ${retractedAt})`);

  const stale = psql('replica', `SELECT status FROM stories WHERE id = '${storyId}'`);
  check(stale === 'published', `the replica still has the story as "${stale}" (replay paused)`);

  let polls = 0;
  let served = 0;
  let answered = 0;
  let errors = 0;
  const end = Date.now() + PAUSE_MS;
  while (Date.now() < end) {
    const s = await showings(storyId, title);
    polls++;
    served += s.shown;
    answered += s.answered;
    errors += s.errors;
    await sleep(100);
  }
  const unfenced = await face('ruyang', `/a/${storyId}`, CONTROL_PORT);
  check(
    unfenced.status === 200 && unfenced.body.includes(title),
    `control: a portal without the fence, asked during the pause, serves the retracted story from the replica (${unfenced.status})`,
  );
  const stillBehind = psql('replica', `SELECT pg_last_wal_replay_lsn() < '${retractedAt}'::pg_lsn`);
  check(stillBehind === 't', `the replica stayed behind the retraction for the whole pause (${PAUSE_MS / 1000} s)`);
  check(
    served === 0 && errors === 0,
    `during the pause: ${polls} rounds, ${answered} answers from both portals and the balancer, ${served} showed the retracted story, ${errors} errors`,
  );

  psql('replica', 'SELECT pg_wal_replay_resume()');
  paused = false;
  const caughtUp = await until(
    async () => psql('replica', `SELECT pg_last_wal_replay_lsn() >= '${retractedAt}'::pg_lsn`) === 't',
    15_000,
  );
  let after = 0;
  for (let i = 0; i < 10; i++) after += (await showings(storyId, title)).shown;
  check(caughtUp && after === 0, `replay resumed: the replica caught up; 10 more rounds, ${after} showed the story`);
} catch (err) {
  check(false, `staleness run: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  if (paused) psql('replica', 'SELECT pg_wal_replay_resume()');
  if (controlStarted) {
    await stopService('portal-control');
    forgetService('portal-control');
  }
  await t.close();
}
process.exit(failed ? 1 : 0);
