// Unique marker strings planted in each tenant's private objects. A marker names its owner and
// who else may legitimately see it, so a response can be searched for any marker its viewer
// may not see, whatever operation produced it.
//
//   ZQ <class> <owner index, 2 digits> <extra index, 2 digits> <serial, 3 digits>
//
// Short (10 characters) so it fits every field (tags allow 20), ASCII so no normaliser changes it.

export type MarkerClass =
  /** the centre's drafts, unpublished revisions, review comments and reasons, followers, messages: the owner's tenant-wide staff only */
  | 'D'
  /** a unit's drafts, revisions, review comments and reasons, messages to it: the owner's tenant-wide staff and members of unit `extra` */
  | 'U'
  /** a comment held from the public (pending, rejected): the owner's tenant-wide staff (moderators); public once approved */
  | 'C'
  /** terminology rules: the owner's staff and its descendants' (rules apply down the tree) */
  | 'R'
  /** private assets (the tenant's media library): the owner's staff, unit members included */
  | 'P'
  /** syndication rules: the owner's staff, unit members included */
  | 'S'
  /** a decline reason on an offer: the owner's staff and the offer's origin's (extra) tenant-wide staff */
  | 'O'
  /** tenant settings: platform operators only, not even the owner's staff */
  | 'X'
  /** plans (campaigns, topics, assignments, pitches): the owner's tenant-wide staff and its ancestors' (roll-up) */
  | 'A'
  /** a desk assignment to a descendant (extra): as A, and the assignee tenant's tenant-wide staff */
  | 'G';

export interface Marker {
  text: string;
  cls: MarkerClass;
  owner: number;
  extra: number | null;
}

export const MARKER_RE = /ZQ([DUCRPSOXAG])(\d\d)(\d\d)(\d{3})/g;

export class Markers {
  private serial = 0;
  readonly planted: Marker[] = [];

  make(cls: MarkerClass, owner: number, extra: number | null = null): string {
    const text = `ZQ${cls}${String(owner).padStart(2, '0')}${String(extra ?? 99).padStart(2, '0')}${String(++this.serial % 1000).padStart(3, '0')}`;
    this.planted.push({ text, cls, owner, extra });
    return text;
  }
}

export function findMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const extra = Number(m[3]);
    out.push({ text: m[0], cls: m[1] as MarkerClass, owner: Number(m[2]), extra: extra === 99 ? null : extra });
  }
  return out;
}

/** How the viewer's tenant stands to the owner: descendants see rules, origins see declines. */
export interface TreeView {
  isAncestor(ancestor: number, of: number): boolean;
}

/** Who is looking: tenants where they hold a tenant-wide role, and units they are limited to. */
export interface Viewer {
  wide: readonly number[];
  units: readonly { unit: number; tenant: number }[];
}

export const tenantWide = (...tenants: number[]): Viewer => ({ wide: tenants, units: [] });

/** Whether staff described by `viewer` may see the marker (the platform's documented rules). */
export function legitimate(m: Marker, viewer: Viewer, tree: TreeView): boolean {
  const wide = (t: number | null): boolean => t !== null && viewer.wide.includes(t);
  // any role in the tenant: tenant-level objects (rules, the media library, syndication) are read by every member
  const member = (t: number | null): boolean => wide(t) || viewer.units.some((u) => u.tenant === t);
  switch (m.cls) {
    case 'X':
      return false;
    case 'R':
      return [...viewer.wide, ...viewer.units.map((u) => u.tenant)].some(
        (t) => t === m.owner || tree.isAncestor(m.owner, t),
      );
    case 'O':
      return member(m.owner) || wide(m.extra);
    case 'P':
    case 'S':
      return member(m.owner);
    case 'U':
      return wide(m.owner) || viewer.units.some((u) => u.tenant === m.owner && u.unit === m.extra);
    case 'A':
      return wide(m.owner) || viewer.wide.some((t) => tree.isAncestor(t, m.owner));
    case 'G':
      return wide(m.owner) || wide(m.extra) || viewer.wide.some((t) => tree.isAncestor(t, m.owner));
    default:
      return wide(m.owner);
  }
}
