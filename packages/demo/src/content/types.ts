import type { TenantLevel } from '@yiduan/db';
import type { Block, StoryText } from '@yiduan/core';
import type { DemoUnit, Place, UnitTopic } from '../places.js';
import type { Rng, Season } from '../text.js';

export type SectionSlug = 'bendi' | 'zhengwu' | 'minsheng' | 'wenlv';

/** The generated pictures of a tenant; a story asks for the one that suits it. */
export type Scene = 'hills' | 'fields' | 'city' | 'river' | 'dawn' | 'dusk';

/** A body block, or a picture to be placed when the seed has storage (dropped otherwise). */
export type DraftBlock = Exclude<Block, { type: 'image' | 'video' | 'embed' }> | { type: 'picture'; caption: string };

/** The declared texts (STORY_TEXT_FIELDS) a template may fill; title and summary it must. */
export interface StoryDraft extends Partial<StoryText> {
  title: string;
  summary: string;
  tags: string[];
  body: DraftBlock[];
}

export interface StoryCtx {
  p: Place;
  r: Rng;
  /** the day the story reports on */
  date: Date;
  season: Season;
  /** the unit the story belongs to, for unit templates */
  unit?: DemoUnit;
}

export interface Template {
  id: string;
  section: SectionSlug;
  /** unit templates are written by (or for) a unit of this topic */
  topic?: UnitTopic;
  /** levels it fits; all when absent */
  levels?: readonly TenantLevel[];
  /** needs farmland (not an urban district) */
  rural?: boolean;
  /** seasons it fits; all when absent */
  seasons?: readonly Season[];
  scene: Scene;
  make(c: StoryCtx): StoryDraft;
}

// Block shorthands keep the templates readable.
export const para = (text: string): DraftBlock => ({ type: 'paragraph', text });
export const h2 = (text: string): DraftBlock => ({ type: 'heading', level: 2, text });
export const h3 = (text: string): DraftBlock => ({ type: 'heading', level: 3, text });
export const quote = (text: string, cite?: string): DraftBlock =>
  cite ? { type: 'quote', text, cite } : { type: 'quote', text };
export const list = (items: string[], ordered = false): DraftBlock => ({ type: 'list', ordered, items });
export const picture = (caption: string): DraftBlock => ({ type: 'picture', caption });
