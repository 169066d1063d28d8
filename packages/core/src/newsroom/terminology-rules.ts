import { sql } from 'kysely';
import type { Executor, StoryRevision, TerminologyRuleRow } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { isUuid } from '../tenancy/index.js';
import { STORY_TEXT_FIELDS, type StoryTextColumn } from './model.js';
import { TerminologyChecker, validateRule, type Finding, type TerminologyRule } from '../terminology/index.js';

export interface RuleInput {
  pattern: string;
  kind: 'literal' | 'regex';
  replacement?: string | null;
  severity: 'block' | 'warn';
  note?: string;
}

const toRule = (
  r: Pick<TerminologyRuleRow, 'id' | 'tenant_id' | 'pattern' | 'kind' | 'replacement' | 'severity' | 'note'>,
): TerminologyRule => ({
  id: r.id,
  tenantId: r.tenant_id,
  pattern: r.pattern,
  kind: r.kind,
  replacement: r.replacement,
  severity: r.severity,
  note: r.note,
});

/** Adds a rule for a tenant; regular expressions that could backtrack catastrophically are refused. */
export async function createRule(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  input: RuleInput,
): Promise<TerminologyRuleRow> {
  const pattern = input.pattern.trim();
  if (!['literal', 'regex'].includes(input.kind) || !['block', 'warn'].includes(input.severity))
    throw new DomainError('BAD_USER_INPUT', '规则类型或级别不正确');
  if (!pattern || pattern.length > 200) throw new DomainError('RULE_PATTERN_INVALID', '规则内容应为 1 到 200 个字符');
  if ((input.note ?? '').length > 500 || (input.replacement ?? '').length > 200)
    throw new DomainError('BAD_USER_INPUT', '说明或建议改法过长');
  validateRule({
    id: 'new',
    tenantId,
    pattern,
    kind: input.kind,
    replacement: input.replacement ?? null,
    severity: input.severity,
    note: input.note ?? '',
  });
  const row = await ex
    .insertInto('terminology_rules')
    .values({
      tenant_id: tenantId,
      pattern,
      kind: input.kind,
      replacement: input.replacement?.trim() || null,
      severity: input.severity,
      note: input.note?.trim() ?? '',
      created_by: actor.kind === 'staff' ? actor.id : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(ex, actor, {
    tenantId,
    action: 'terminology.create',
    targetKind: 'terminology_rule',
    targetId: row.id,
    detail: { pattern, severity: row.severity },
  });
  return row;
}

export async function setRuleEnabled(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
  enabled: boolean,
): Promise<TerminologyRuleRow> {
  if (!isUuid(id)) throw new DomainError('RULE_NOT_FOUND');
  const row = await ex
    .updateTable('terminology_rules')
    .set({ enabled })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new DomainError('RULE_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId,
    action: enabled ? 'terminology.enable' : 'terminology.disable',
    targetKind: 'terminology_rule',
    targetId: id,
  });
  return row;
}

export async function deleteRule(ex: Executor, actor: Actor, tenantId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw new DomainError('RULE_NOT_FOUND');
  const r = await ex
    .deleteFrom('terminology_rules')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!Number(r.numDeletedRows)) throw new DomainError('RULE_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId,
    action: 'terminology.delete',
    targetKind: 'terminology_rule',
    targetId: id,
  });
}

/** Rules that apply to a tenant: its own and every ancestor's (the province's apply everywhere). */
export async function rulesFor(
  ex: Executor,
  tenantId: string,
  opts: { includeDisabled?: boolean } = {},
): Promise<TerminologyRuleRow[]> {
  let q = ex
    .selectFrom('terminology_rules')
    .selectAll()
    .where('tenant_id', 'in', (eb) =>
      eb.selectFrom('tenant_tree').select('ancestor_id').where('descendant_id', '=', tenantId),
    );
  if (!opts.includeDisabled) q = q.where('enabled', '=', true);
  return q.orderBy('created_at').execute();
}

// Compiled checkers per tenant, rebuilt when the applicable rule set changes.
const checkers = new Map<string, { fingerprint: string; checker: TerminologyChecker }>();

export async function checkerFor(ex: Executor, tenantId: string): Promise<TerminologyChecker> {
  const fp = await sql<{ fp: string }>`
    SELECT count(*)::text || ':' || coalesce(sum(hashtext(id::text || pattern || severity || coalesce(replacement, '')))::text, '0') AS fp
      FROM terminology_rules
     WHERE enabled AND tenant_id IN (SELECT ancestor_id FROM tenant_tree WHERE descendant_id = ${tenantId})`.execute(
    ex,
  );
  const fingerprint = fp.rows[0]?.fp ?? '0';
  const cached = checkers.get(tenantId);
  if (cached?.fingerprint === fingerprint) return cached.checker;
  // invalid stored rules (e.g. from an older validator) are skipped rather than blocking all checks
  const checker = new TerminologyChecker((await rulesFor(ex, tenantId)).map(toRule), { invalidRules: 'skip' });
  if (checkers.size > 1000) checkers.clear();
  checkers.set(tenantId, { fingerprint, checker });
  return checker;
}

/** Findings on a revision's checked texts (STORY_TEXT_FIELDS, terminology) and body; a column not read counts as empty. */
export function revisionFindings(
  checker: TerminologyChecker,
  rev: Partial<Pick<StoryRevision, StoryTextColumn>> & Pick<StoryRevision, 'body'>,
): Finding[] {
  const texts = Object.fromEntries(
    STORY_TEXT_FIELDS.filter((f) => f.terminology).map((f) => [f.name, rev[f.column] ?? '']),
  );
  return checker.checkStory({ ...texts, blocks: rev.body as unknown[] });
}
