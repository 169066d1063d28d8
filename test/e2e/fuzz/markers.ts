// Unique marker strings planted in each tenant's private objects. A marker names its owner and
// who else may legitimately see it, so a response can be searched for any marker its viewer
// may not see, whatever operation produced it.
//
//   ZQ <class> <owner index, 2 digits> <extra tenant index, 2 digits> <serial, 3 digits>
//
// Short (10 characters) so it fits every field (tags allow 20), ASCII so no normaliser changes it.

export type MarkerClass =
  /** drafts, unpublished revisions, review comments and reasons: the owner only */
  | 'D'
  /** terminology rules: the owner and its descendants (rules apply down the tree) */
  | 'R'
  /** private assets: the owner only */
  | 'P'
  /** syndication rules: the owner only */
  | 'S'
  /** a decline reason on an offer: the owner and the offer's origin (extra) */
  | 'O'
  /** tenant settings: platform operators only, not even the owner's staff */
  | 'X';

export interface Marker {
  text: string;
  cls: MarkerClass;
  owner: number;
  extra: number | null;
}

export const MARKER_RE = /ZQ([DRPSOX])(\d\d)(\d\d)(\d{3})/g;

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

/** Whether staff of tenant `viewer` may see the marker (the platform's documented rules). */
export function legitimate(m: Marker, viewer: number, tree: TreeView): boolean {
  switch (m.cls) {
    case 'X':
      return false;
    case 'R':
      return m.owner === viewer || tree.isAncestor(m.owner, viewer);
    case 'O':
      return m.owner === viewer || m.extra === viewer;
    default:
      return m.owner === viewer;
  }
}
