import type { Executor, Story, StoryStatus } from '@yiduan/db';

/** Outbox topics of the newsroom. */
export const STORY_TOPICS = {
  reviewChanged: 'review.changed',
  published: 'story.published',
  publishDue: 'story.publish_due',
  unpublished: 'story.unpublished',
  corrected: 'story.corrected',
  retracted: 'story.retracted',
} as const;

export type StoryTopic = (typeof STORY_TOPICS)[keyof typeof STORY_TOPICS];

/** Payloads, by topic. */
export interface ReviewChangedPayload {
  tenantId: string;
  storyId: string;
  status: StoryStatus;
}
export interface StoryPublishedPayload {
  tenantId: string;
  storyId: string;
  revision: number;
  /** the story's first publication: standing syndication rules run only then */
  firstTime: boolean;
}
export interface PublishDuePayload {
  tenantId: string;
  storyId: string;
  revision: number;
  at: string;
}
/** unpublished, corrected, retracted */
export interface StoryChangedPayload {
  tenantId: string;
  storyId: string;
}

/** Cache channel the worker publishes review-queue changes on; every API process forwards it to subscribers. */
export const REVIEW_QUEUE_CHANNEL = 'review-queue';
/** What travels on REVIEW_QUEUE_CHANNEL. */
export type ReviewQueueMessage = ReviewChangedPayload;

/*
 * In-transaction reactions. Some consequences of a publication cannot wait for the
 * outbox: the own placement must exist when the transaction commits (faces list the
 * story at once, a retraction is never served after it), and search must find the
 * story right away. Those contexts depend on the newsroom, not the other way round,
 * so they register here (once, in core's index.ts) and the newsroom runs them in the
 * caller's transaction. Everything that may follow later stays an outbox event.
 */
export type StoryChangeKind = 'published' | 'unpublished' | 'corrected' | 'retracted';

export interface StoryChange {
  kind: StoryChangeKind;
  /** the story row as this transaction left it */
  story: Story;
}

export type StoryReaction = (ex: Executor, change: StoryChange) => Promise<void>;

const reactions: { name: string; kinds: readonly StoryChangeKind[]; react: StoryReaction }[] = [];

/**
 * Registers a reaction to story changes, run in registration order inside the
 * transaction of the change. Registering the same name again replaces it.
 */
export function onStoryChange(name: string, kinds: readonly StoryChangeKind[], react: StoryReaction): void {
  const at = reactions.findIndex((r) => r.name === name);
  const entry = { name, kinds, react };
  if (at >= 0) reactions[at] = entry;
  else reactions.push(entry);
}

/** Names of the registered reactions, in the order they run. */
export function storyReactions(): string[] {
  return reactions.map((r) => r.name);
}

/** Runs every reaction registered for this kind of change, one after the other. */
export async function reactToStoryChange(ex: Executor, change: StoryChange): Promise<void> {
  // without the composition (core's index.ts) a publication would silently skip its placement
  if (!reactions.length)
    throw new Error('story reactions are not registered: import @yiduan/core, not a context folder');
  for (const r of reactions) if (r.kinds.includes(change.kind)) await r.react(ex, change);
}
