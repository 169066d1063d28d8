// "Not preceded by": a style rule often flags a word that is wrong alone but right inside a longer
// term. Xinhua's usage rules: in international sport Taiwan's team is 中国台北队, so 台北队 alone is
// flagged, while 中国台北队 (and 中华台北队, the name quoted from the event) is not. A bounded
// lookbehind says it; an unbounded one, or one hiding nested quantifiers, is still refused.
import t from 'tap';
import { problemOf } from './terminology-helpers.js';
import {
  isTerminologyRuleError,
  MAX_LOOKBEHIND_LENGTH,
  maxMatchLength,
  TerminologyChecker,
  validateRegexPattern,
  type TerminologyRule,
} from '../src/terminology/index.js';

const rule = (id: string, pattern: string, over: Partial<TerminologyRule> = {}): TerminologyRule => ({
  id,
  tenantId: 'tenant-henan',
  pattern,
  kind: 'regex',
  replacement: null,
  severity: 'warn',
  note: '',
  ...over,
});

t.test('a realistic "not preceded by" rule: 台北队 alone, not inside 中国台北队', async (t) => {
  const checker = new TerminologyChecker([
    rule('taipei-team', '(?<!中国|中华)台北队', {
      replacement: '中国台北队',
      note: '国际体育赛事中台湾代表队应称“中国台北队”',
    }),
    // Taiwan's "legislature" is written in quotation marks
    rule('legislature', '(?<![“「"])立法院(?![”」"])', { replacement: '“立法院”', note: '台湾地区的“立法院”须加引号' }),
  ]);
  const found = (text: string) =>
    checker
      .check([{ field: 'body.text', blockIndex: 0, text }])
      .map((f) => [f.ruleId, f.start, f.match, f.replacement]);
  t.same(found('女排比赛中，中国台北队以3比1获胜。'), [], 'the right name is not flagged');
  t.same(found('奥运会上中华台北队首次参赛。'), [], 'nor the name the event uses');
  t.same(found('女排比赛中，台北队以3比1获胜。'), [['taipei-team', 6, '台北队', '中国台北队']], 'the name alone is');
  t.same(
    found('台北队与中国台北队'),
    [['taipei-team', 0, '台北队', '中国台北队']],
    'at the start of a text too, and only there',
  );
  t.same(
    found('台湾地区“立法院”今日开会，立法院议员……'),
    [['legislature', 14, '立法院', '“立法院”']],
    'the quoted one is right, the bare one flagged',
  );
});

t.test('lookbehinds must be bounded; backtracking bombs stay refused', async (t) => {
  for (const p of [
    '(?<!中国|中华)台北队',
    '(?<=台湾)总统',
    '(?<![“「"])立法院',
    '(?<!\\p{Script=Han}{2})总统',
    `(?<!${'台'.repeat(MAX_LOOKBEHIND_LENGTH)})湾`,
    '(?<!中国(?:台湾)?)地区',
  ]) {
    t.equal(problemOf(p), null, `${p}: accepted`);
  }
  for (const p of [
    '(?<=a*)x',
    '(?<!.+)台湾',
    '(?<!台湾{2,})总统',
    `(?<!${'台'.repeat(MAX_LOOKBEHIND_LENGTH + 1)})湾`,
    '(?<!(?:中国|中华){3,})台北',
    '(?<=(?<=a)b)c',
    '(?<!(?=a)b)c',
  ]) {
    t.equal(problemOf(p), 'lookbehind', `${p}: refused, unbounded or nested`);
  }
  // nested quantifiers inside a lookbehind are judged like anywhere else
  for (const p of ['(?<!(a+)+)b', '(?<!(a|aa)+)b', '(a+)+$', '(?:台湾|台)+地区']) {
    t.ok(problemOf(p) === 'catastrophic' || problemOf(p) === 'lookbehind', `${p}: refused (${problemOf(p)})`);
  }
  t.equal(problemOf('(?<!x{1,5})(a+)+$'), 'catastrophic', 'a bounded lookbehind does not hide a bomb after it');
  t.equal(problemOf('(?<!台湾)'), 'empty_match', 'a lookbehind alone matches nothing');
  const err = (() => {
    try {
      validateRegexPattern('(?<=a*)x');
    } catch (e) {
      return e;
    }
    return null;
  })();
  t.ok(
    isTerminologyRuleError(err) && /后行断言/.test(err.message) && /20/.test(err.message),
    'the editor reads why, in Chinese',
  );
});

t.test('maxMatchLength measures what a lookbehind can reach', async (t) => {
  t.equal(maxMatchLength('中国|中华'), 2);
  t.equal(maxMatchLength('[“「"]'), 1);
  t.equal(maxMatchLength('中国(?:台湾)?'), 4);
  t.equal(maxMatchLength('\\d{2,4}年'), 5);
  t.equal(maxMatchLength('(?<y>\\d{4})年'), 5);
  t.equal(maxMatchLength('a(?=bc)d'), 2, 'lookarounds match nothing themselves');
  t.equal(maxMatchLength('😀a'), 2, 'characters, not UTF-16 units');
  t.equal(maxMatchLength('a{3,}'), Infinity);
  t.equal(maxMatchLength('(?:)*a'), 1);
});
