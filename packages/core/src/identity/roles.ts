import type { ReviewRole } from '@yiduan/db';
import type { Access } from './model.js';

/**
 * Seniority of the roles that sign review steps, lowest first: editor (编辑, 一审),
 * reviewer (审核员, 二审), chief editor (总编辑, 三审). A step may be signed by its
 * role or a more senior one (a chief editor may sign the editor's step), as in
 * 三审三校; reporters and tenant administrators sign no step.
 * Roles belong to identity; the newsroom's review uses them (never the other way round).
 */
export const REVIEW_LADDER: readonly ReviewRole[] = ['editor', 'reviewer', 'chief_editor'];

/** The roles that may sign a step of this role: itself and every more senior one. */
export function signersOf(role: ReviewRole): readonly ReviewRole[] {
  const i = REVIEW_LADDER.indexOf(role);
  return i < 0 ? [] : REVIEW_LADDER.slice(i);
}

/** Whether this person holds the step's role or a more senior one, for a story of this unit. */
export function maySign(access: Access, role: ReviewRole, unitId: string | null): boolean {
  return access.hasAny(signersOf(role), unitId);
}

/** Who may publish, unpublish and correct a story. */
export const PUBLISHERS = ['editor', 'chief_editor'] as const;

export const ROLE_NAMES: Record<string, string> = {
  reporter: '记者',
  editor: '编辑',
  reviewer: '审核员',
  chief_editor: '总编辑',
  tenant_admin: '管理员',
};
