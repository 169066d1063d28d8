import t from 'tap';
import { problemOf } from './terminology-helpers.js';
import {
  compileRegexRule,
  expandReplacement,
  forEachRegexMatch,
  isTerminologyRuleError,
  validateRegexPattern,
} from '../src/terminology/index.js';
import { isDomainError } from '../src/errors.js';

t.test('realistic newsroom patterns are accepted', async (t) => {
  for (const p of [
    '\\d{4}年\\d{1,2}月\\d{1,2}号',
    '(\\d{4}年\\d{1,2}月\\d{1,2})号',
    '(?<date>\\d{1,2}月\\d{1,2})号',
    '台湾(?!地区|省)[^，。]{0,4}总统',
    '[\\u4e00-\\u9fa5]{1,4}总统府',
    '\\p{Script=Han}{2}冠状病毒',
    '(?:台湾|台灣)当局',
    '\\d+年\\d+月\\d+号',
  ]) {
    t.equal(problemOf(p), null, p);
  }
});

t.test('catastrophic patterns are rejected', async (t) => {
  for (const p of [
    '(a+)+$',
    '(x*)*y',
    '(.*){1,32000}',
    '(.*a){20}',
    '(a|a)*$',
    '((a|aa)b)+',
    '(?:台湾|台)+地区',
    '(\\d|[0-9]){20}',
  ]) {
    t.equal(problemOf(p), 'catastrophic', p);
  }
  const err = (() => {
    try {
      validateRegexPattern('(a+)+$', 'rule-42');
    } catch (e) {
      return e;
    }
    return null;
  })();
  t.ok(isTerminologyRuleError(err));
  if (isTerminologyRuleError(err)) {
    t.equal(err.code, 'RULE_PATTERN_INVALID');
    t.equal(err.status, 400);
    t.ok(isDomainError(err), 'the API layer maps it like any DomainError');
    t.equal(err.ruleId, 'rule-42');
    t.equal(err.message, '正则表达式可能导致灾难性回溯');
    t.same(err.problems, [{ path: 'pattern', message: '正则表达式可能导致灾难性回溯' }]);
  }
});

t.test('invalid, risky and empty-matching patterns are rejected with their reason', async (t) => {
  t.equal(problemOf('台湾(总统'), 'syntax');
  t.equal(problemOf('[a-'), 'syntax');
  t.equal(problemOf('\\d{2,1}'), 'syntax');
  t.equal(problemOf(''), 'empty');
  t.equal(problemOf('台'.repeat(201)), 'too_long');
  t.equal(problemOf('台'.repeat(200)), null);
  t.equal(problemOf('(台)\\1'), 'backreference');
  t.equal(problemOf('(?<x>台)\\k<x>'), 'backreference');
  t.equal(problemOf('[\\1]'), 'syntax', 'an octal-looking escape in a class is a syntax error under u');
  t.equal(problemOf('(?<=台湾)总统'), null, 'a bounded lookbehind is fine (terminology-lookbehind.test.ts)');
  t.equal(problemOf('(?<=台湾.*)总统'), 'lookbehind', 'an unbounded one is not');
  for (const p of [
    'a?',
    '台*',
    '台湾|',
    '(?:)',
    '^',
    '$',
    '\\b',
    '(?=台湾)',
    '\\b(?:台湾)?\\b',
    '(?!x)',
    '[台湾]{0,3}',
  ]) {
    t.equal(problemOf(p), 'empty_match', p);
  }
  t.equal(problemOf('^台湾$'), null, 'anchors around a non-empty body are fine');
  t.equal(problemOf('台湾(?=总统)'), null, 'a lookahead after text is fine');
});

t.test('the messages are Chinese', async (t) => {
  try {
    validateRegexPattern('(台)\\1');
    t.fail('should throw');
  } catch (err) {
    t.ok(isTerminologyRuleError(err) && /[\u4e00-\u9fa5]/.test(err.message), String(err));
  }
});

t.test('search loop: non-overlapping, case-insensitive, offsets in UTF-16', async (t) => {
  const re = compileRegexRule('\\d{4}年\\d{1,2}月\\d{1,2}号');
  t.equal(re.flags, 'giu');
  const text = '😀会议于2024年3月5号开幕，2024年3月11号闭幕。';
  const found: [number, string][] = [];
  forEachRegexMatch(re, text, (m) => found.push([m.index, m[0]]));
  t.same(found, [
    [5, '2024年3月5号'],
    [17, '2024年3月11号'],
  ]);
  t.equal(text.slice(5, 5 + '2024年3月5号'.length), '2024年3月5号');
  const ci: string[] = [];
  forEachRegexMatch(compileRegexRule('wi-?fi'), 'WIFI 和 Wi-Fi', (m) => ci.push(m[0]));
  t.same(ci, ['WIFI', 'Wi-Fi']);
});

t.test('search loop ends on zero-length matches and caps match count', async (t) => {
  // built directly: validation would refuse it, the loop must still terminate
  const empty = /x*/gu;
  let n = 0;
  forEachRegexMatch(empty, 'ab😀xxc', () => n++);
  t.equal(n, 1, 'only the non-empty match is reported');
  let many = 0;
  forEachRegexMatch(/a/giu, 'a'.repeat(5000), () => many++);
  t.equal(many, 1000);
});

t.test('replacement expansion', async (t) => {
  const m = /(?<y>\d{4})年(\d{1,2})月(\d{1,2})号/u.exec('2024年3月5号');
  if (!m) throw new Error('no match');
  t.equal(expandReplacement('日', m), '日');
  t.equal(expandReplacement('$<y>年$2月$3日', m), '2024年3月5日');
  t.equal(expandReplacement('[$&] $$1 $4 $10', m), '[2024年3月5号] $1 $4 20240');
});
