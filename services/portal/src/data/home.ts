import { faceFeed, sectionsOf, unitsOf, type FaceStory, type HomeModule } from '@yiduan/core';
import { withPublic, type DB, type Section, type Trx } from '@yiduan/db';
import { coverMeta, type ImageMap } from './images.js';

export interface Named {
  slug: string;
  name: string;
}

/** One home module with its data, in the face's layout order. */
export type HomeBlock =
  | { module: 'headlines' | 'latest' | 'pinned'; stories: FaceStory[] }
  | { module: 'section'; section: Named; stories: FaceStory[] }
  | { module: 'units'; units: Named[] }
  | { module: 'messages' | 'follow' };

export interface HomeData {
  blocks: HomeBlock[];
  images: ImageMap;
}

/** How many stories to look through for the N headlines that have a cover. */
const HEADLINE_WINDOW = 4;
const PINNED_MAX = 10;

async function loadModule(
  trx: Trx,
  tenantId: string,
  m: HomeModule,
  sections: () => Promise<Section[]>,
): Promise<HomeBlock | null> {
  switch (m.module) {
    case 'headlines': {
      const window = await faceFeed(trx, tenantId, { limit: Math.min(m.count * HEADLINE_WINDOW, 100) });
      return { module: 'headlines', stories: window.filter((s) => s.coverAssetId).slice(0, m.count) };
    }
    case 'latest':
      return { module: 'latest', stories: await faceFeed(trx, tenantId, { limit: m.count, pinnedFirst: false }) };
    case 'pinned': {
      // pinned placements sort first, so the first page holds them all (up to the cap)
      const first = await faceFeed(trx, tenantId, { limit: PINNED_MAX });
      return { module: 'pinned', stories: first.filter((s) => s.pinned) };
    }
    case 'section': {
      const section = (await sections()).find((s) => s.slug === m.section);
      if (!section) return null; // a layout naming a deleted section skips it
      const stories = await faceFeed(trx, tenantId, { sectionId: section.id, limit: m.count });
      return { module: 'section', section: { slug: section.slug, name: section.name }, stories };
    }
    case 'units': {
      const units = (await unitsOf(trx, tenantId)).filter((u) => u.status === 'active');
      return { module: 'units', units: units.map((u) => ({ slug: u.slug, name: u.name })) };
    }
    case 'messages':
    case 'follow':
      return { module: m.module };
  }
}

/** Everything the home page shows, in one transaction: one query per module, sections read once, cover sizes in one more. */
export async function loadHome(db: DB, tenantId: string, layout: readonly HomeModule[]): Promise<HomeData> {
  return withPublic(db, async (trx) => {
    let sections: Promise<Section[]> | null = null;
    const once = (): Promise<Section[]> => (sections ??= sectionsOf(trx, tenantId));
    const blocks: HomeBlock[] = [];
    for (const m of layout) {
      const block = await loadModule(trx, tenantId, m, once);
      if (block) blocks.push(block);
    }
    const covers = blocks.flatMap((b) => ('stories' in b ? b.stories.map((s) => s.coverAssetId) : []));
    return { blocks, images: await coverMeta(trx, tenantId, covers) };
  });
}
