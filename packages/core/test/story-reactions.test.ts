import t from 'tap';
import type { Executor, Story } from '@yiduan/db';
import { onStoryChange, reactToStoryChange, storyReactions, type StoryChange } from '../src/index.js';

t.test('importing core wires the reactions to story changes, placement before indexing', async (t) => {
  // the search document reads the story's faces from its placements: the own placement comes first
  t.same(storyReactions(), ['syndication.own-placement', 'search.index']);
});

t.test("a reaction runs only for the kinds it registered, in order, with the caller's executor", async (t) => {
  const seen: string[] = [];
  const ex = {} as Executor; // never touched by these reactions
  const story = { id: 's', tenant_id: 't' } as Story;
  const saved = storyReactions();
  onStoryChange('test.first', ['corrected'], async (e, c: StoryChange) => {
    t.equal(e, ex);
    seen.push(`first:${c.kind}:${c.story.id}`);
  });
  onStoryChange('test.second', ['corrected', 'retracted'], async (_e, c) => {
    seen.push(`second:${c.kind}`);
  });
  // 'corrected' has no real reaction registered (a correction changes no indexed text)
  await reactToStoryChange(ex, { kind: 'corrected', story });
  t.same(seen, ['first:corrected:s', 'second:corrected']);
  // re-registering a name replaces it in place: the real ones keep their order
  onStoryChange('test.first', [], async () => undefined);
  onStoryChange('test.second', [], async () => undefined);
  t.same(storyReactions(), [...saved, 'test.first', 'test.second']);
});
