import type { Insertable } from 'kysely';
import type { Citizen, Database, Executor } from '@yiduan/db';
import type { Identifier } from '../model.js';

/** Citizens, their one-time codes, sessions and sign-in codes: platform scope (the central sign-in host). */

// ---------------------------------------------------------------- citizens

export async function activeCitizenByIdentifier(ex: Executor, id: Identifier): Promise<Citizen | undefined> {
  return ex
    .selectFrom('citizens')
    .selectAll()
    .where(id.kind, '=', id.value)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function activeCitizenById(ex: Executor, citizenId: string): Promise<Citizen | undefined> {
  return ex
    .selectFrom('citizens')
    .selectAll()
    .where('id', '=', citizenId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function insertCitizen(ex: Executor, values: Insertable<Database['citizens']>): Promise<Citizen> {
  return ex.insertInto('citizens').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateCitizen(
  ex: Executor,
  citizenId: string,
  set: { password_hash?: string; display_name?: string; updated_at: Date },
): Promise<void> {
  await ex.updateTable('citizens').set(set).where('id', '=', citizenId).execute();
}

/** What a citizen's data export shows of the account itself. */
export async function accountRow(ex: Executor, citizenId: string) {
  return ex
    .selectFrom('citizens')
    .select(['id', 'phone', 'email', 'display_name', 'created_at'])
    .where('id', '=', citizenId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Locks an active account for deletion; its identifiers name the codes to delete. */
export async function lockActiveCitizen(
  ex: Executor,
  citizenId: string,
): Promise<{ phone: string | null; email: string | null } | undefined> {
  return ex
    .selectFrom('citizens')
    .select(['phone', 'email'])
    .where('id', '=', citizenId)
    .where('status', '=', 'active')
    .forUpdate()
    .executeTakeFirst();
}

/** The deleted account's row stays, anonymous, so figures and threads keep their shape. */
export async function anonymiseCitizen(ex: Executor, citizenId: string, name: string, now: Date): Promise<void> {
  await ex
    .updateTable('citizens')
    .set({
      phone: null,
      email: null,
      password_hash: null,
      display_name: name,
      status: 'deleted',
      deleted_at: now,
      updated_at: now,
    })
    .where('id', '=', citizenId)
    .execute();
}

// ---------------------------------------------------------------- one-time codes

/** A new code replaces the old ones: every open code of the destination is spent. */
export async function spendOpenCodes(ex: Executor, destination: string, at: Date): Promise<void> {
  await ex
    .updateTable('citizen_codes')
    .set({ consumed_at: at })
    .where('destination', '=', destination)
    .where('consumed_at', 'is', null)
    .execute();
}

export async function insertCode(
  ex: Executor,
  values: { destination: string; code_hash: string; expires_at: Date },
): Promise<void> {
  await ex.insertInto('citizen_codes').values(values).execute();
}

/** The newest open code of a destination, locked: a guess and its count commit together. */
export async function lockNewestOpenCode(ex: Executor, destination: string) {
  return ex
    .selectFrom('citizen_codes')
    .select(['id', 'code_hash', 'attempts', 'expires_at'])
    .where('destination', '=', destination)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateCode(
  ex: Executor,
  id: string,
  set: { consumed_at: Date } | { attempts: number },
): Promise<void> {
  await ex.updateTable('citizen_codes').set(set).where('id', '=', id).execute();
}

export async function deleteCodesTo(ex: Executor, destinations: string[]): Promise<void> {
  await ex.deleteFrom('citizen_codes').where('destination', 'in', destinations).execute();
}

// ---------------------------------------------------------------- sessions and sign-in codes

export async function insertSession(ex: Executor, values: Insertable<Database['citizen_sessions']>): Promise<void> {
  await ex.insertInto('citizen_sessions').values(values).execute();
}

/** A session with its central session (for a face session) and its citizen, by the token's digest. */
export async function sessionWithCitizen(ex: Executor, sessionId: string) {
  return ex
    .selectFrom('citizen_sessions as s')
    .leftJoin('citizen_sessions as c', 'c.id', 's.central_id')
    .innerJoin('citizens', 'citizens.id', 's.citizen_id')
    .selectAll('citizens')
    .select([
      's.id as session_id',
      's.kind',
      's.host as session_host',
      's.expires_at as s_expires',
      's.revoked_at as s_revoked',
      'c.id as c_id',
      'c.expires_at as c_expires',
      'c.revoked_at as c_revoked',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

export async function sessionValidity(
  ex: Executor,
  sessionId: string,
): Promise<{ revoked_at: Date | null; expires_at: Date } | undefined> {
  return ex
    .selectFrom('citizen_sessions')
    .select(['revoked_at', 'expires_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

export async function sessionKind(
  ex: Executor,
  sessionId: string,
): Promise<{ kind: 'central' | 'face'; central_id: string | null; id: string } | undefined> {
  return ex
    .selectFrom('citizen_sessions')
    .select(['kind', 'central_id', 'id'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** Revokes a central session and every face session under it; returns how many. */
export async function revokeSessionTree(ex: Executor, centralId: string, at: Date): Promise<number> {
  const r = await ex
    .updateTable('citizen_sessions')
    .set({ revoked_at: at })
    .where((eb) => eb.or([eb('id', '=', centralId), eb('central_id', '=', centralId)]))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteSessionsOf(ex: Executor, citizenId: string): Promise<void> {
  await ex.deleteFrom('citizen_sessions').where('citizen_id', '=', citizenId).execute();
}

export async function insertSsoCode(ex: Executor, values: Insertable<Database['sso_codes']>): Promise<void> {
  await ex.insertInto('sso_codes').values(values).execute();
}

/** Marks an unused sign-in code used and returns it (a code works once). */
export async function useSsoCode(ex: Executor, codeHash: string, at: Date) {
  return ex
    .updateTable('sso_codes')
    .set({ used_at: at })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSsoCodesOf(ex: Executor, citizenId: string): Promise<void> {
  await ex.deleteFrom('sso_codes').where('citizen_id', '=', citizenId).execute();
}
