import t from 'tap';
import {
  applyCorrections,
  findingsFor,
  hasBlocking,
  isTerminologyRuleError,
  storyTexts,
  TerminologyChecker,
  type Finding,
  type TerminologyRule,
} from '../src/terminology/index.js';

const PROVINCE = 'tenant-henan';
const CITY = 'tenant-zhengzhou';
const COUNTY = 'tenant-zhongmou';

function rule(id: string, pattern: string, over: Partial<TerminologyRule> = {}): TerminologyRule {
  return { id, tenantId: PROVINCE, pattern, kind: 'literal', replacement: null, severity: 'warn', note: '', ...over };
}

// A merged list as a county would see it: province first, then city, then county.
const RULES: TerminologyRule[] = [
  rule('p-tw-president', '台湾总统', {
    severity: 'block',
    replacement: '台湾地区领导人',
    note: '应称“台湾地区领导人”',
  }),
  rule('p-roc', '中华民国', { severity: 'block', note: '不得使用“中华民国”，1949年以后的历史须规范表述' }),
  rule('p-zuowei', '做为', { replacement: '作为', note: '“作为”误写' }),
  rule('p-jiezhi', '截止目前', { replacement: '截至目前', note: '表示“到某时为止”用“截至”' }),
  rule('p-haoxiang', '好象', { replacement: '好像', note: '“好像”误写' }),
  rule('p-xiangxiang', '想像', { replacement: '想象', note: '规范词形为“想象”' }),
  rule('p-dprk', '北朝鲜', { replacement: '朝鲜', note: '应称“朝鲜”' }),
  rule('p-disabled-person', '残废人', { replacement: '残疾人', note: '应称“残疾人”' }),
  rule('p-wifi', 'wifi', { replacement: 'Wi-Fi', note: '外文缩写规范写法' }),
  rule('p-date', '(\\d{4}年\\d{1,2}月\\d{1,2})号', { kind: 'regex', replacement: '$1日', note: '日期用“日”不用“号”' }),
  rule('c-disabled', '残废', { tenantId: CITY, replacement: '残疾', note: '市级补充' }),
  rule('x-zuowei', '做为', { tenantId: COUNTY, replacement: '作为', note: '县级重复添加' }),
];

const checker = new TerminologyChecker(RULES);
const one = (text: string, field = 'body.text', blockIndex = 0): Finding[] =>
  checker.check([{ field, blockIndex, text }]);
const brief = (fs: Finding[]): [string, number, number, string][] => fs.map((f) => [f.ruleId, f.start, f.end, f.match]);

t.test('political terms in unspaced Chinese text block publishing, with exact offsets', async (t) => {
  const text = '据报道，台湾总统府发言人称所谓中华民国宪法……';
  const fs = one(text);
  t.same(brief(fs), [
    ['p-tw-president', 4, 8, '台湾总统'],
    ['p-roc', 15, 19, '中华民国'],
  ]);
  for (const f of fs) t.equal(text.slice(f.start, f.end), f.match);
  t.ok(hasBlocking(fs));
  t.equal(fs[0]!.replacement, '台湾地区领导人');
  t.equal(fs[0]!.note, '应称“台湾地区领导人”');
  t.notOk(hasBlocking(one('做为代表')));
});

t.test('correct wordings produce no findings', async (t) => {
  t.same(one('两会期间，代表委员们围绕高质量发展建言献策。'), []);
  t.same(one('这座雕塑具有象征性，好像在诉说历史，令人想象无穷。截至目前已有万人参观，截止日期为月底。'), []);
  t.same(one('朝鲜半岛局势'), [], '朝鲜 alone is the norm');
  t.same(brief(one('好象象征性想像')), [
    ['p-haoxiang', 0, 2, '好象'],
    ['p-xiangxiang', 5, 7, '想像'],
  ]);
});

t.test('warn corrections: 做为→作为, 截止目前→截至目前', async (t) => {
  const text = '截止目前，他做为代表发言。';
  const fs = one(text);
  t.same(
    brief(fs),
    [
      ['p-jiezhi', 0, 4, '截止目前'],
      ['p-zuowei', 6, 8, '做为'],
      ['x-zuowei', 6, 8, '做为'],
    ],
    'province and county rules on one span: both findings, province (earlier) first',
  );
  t.notOk(hasBlocking(fs));
  t.equal(applyCorrections(text, fs), '截至目前，他作为代表发言。');
});

t.test('nested rules: all findings kept, corrections take the longest', async (t) => {
  const text = '关爱残废人，不说残废。';
  const fs = one(text);
  t.same(brief(fs), [
    ['p-disabled-person', 2, 5, '残废人'],
    ['c-disabled', 2, 4, '残废'],
    ['c-disabled', 8, 10, '残废'],
  ]);
  t.equal(applyCorrections(text, fs), '关爱残疾人，不说残疾。');
});

t.test('overlapping 他 / 他们 / 们的 in 他们的: leftmost-longest, no overlap', async (t) => {
  const c = new TerminologyChecker([
    rule('a', '他', { replacement: 'X' }),
    rule('b', '他们', { replacement: 'Y' }),
    rule('c', '们的', { replacement: 'Z' }),
  ]);
  const fs = c.check([{ field: 'body.text', blockIndex: 0, text: '他们的' }]);
  t.same(brief(fs), [
    ['b', 0, 2, '他们'],
    ['a', 0, 1, '他'],
    ['c', 1, 3, '们的'],
  ]);
  t.equal(applyCorrections('他们的', fs), 'Y的');
  t.equal(
    applyCorrections(
      '他们的',
      fs.filter((f) => f.ruleId !== 'a'),
    ),
    'Y的',
    'leftmost wins over a later overlap of equal length',
  );
  t.equal(
    applyCorrections(
      '他们的',
      fs.filter((f) => f.ruleId !== 'b'),
    ),
    'XZ',
    'adjacent matches both apply',
  );
});

t.test('ASCII is case-insensitive and the match keeps the original case', async (t) => {
  const fs = one('全城覆盖免费WIFI和WiFi');
  t.same(brief(fs), [
    ['p-wifi', 6, 10, 'WIFI'],
    ['p-wifi', 11, 15, 'WiFi'],
  ]);
  t.equal(applyCorrections('全城覆盖免费WIFI和WiFi', fs), '全城覆盖免费Wi-Fi和Wi-Fi');
});

t.test('emoji and astral characters do not shift offsets', async (t) => {
  const text = '👍👍点赞！𠮷做为台湾总统😀中华民国';
  const fs = one(text);
  t.same(brief(fs), [
    ['p-zuowei', 9, 11, '做为'],
    ['x-zuowei', 9, 11, '做为'],
    ['p-tw-president', 11, 15, '台湾总统'],
    ['p-roc', 17, 21, '中华民国'],
  ]);
  for (const f of fs) t.equal(text.slice(f.start, f.end), f.match);
  t.equal(applyCorrections(text, fs), '👍👍点赞！𠮷作为台湾总统😀中华民国', 'block findings are never auto-corrected');
});

t.test('regex rules: date with 号 becomes 日, group references expanded', async (t) => {
  const text = '会议于2024年3月5号召开，2024年12月31号闭幕。';
  const fs = one(text);
  t.same(brief(fs), [
    ['p-date', 3, 12, '2024年3月5号'],
    ['p-date', 15, 26, '2024年12月31号'],
  ]);
  t.same(
    fs.map((f) => f.replacement),
    ['2024年3月5日', '2024年12月31日'],
  );
  t.equal(applyCorrections(text, fs), '会议于2024年3月5日召开，2024年12月31日闭幕。');
});

t.test('checkStory walks every text-bearing field with field names and block indexes', async (t) => {
  const story = {
    title: '台湾总统选举观察',
    subtitle: '做为一名记者',
    summary: '截止目前',
    blocks: [
      { type: 'paragraph', text: '正文做为开头' },
      { type: 'heading', text: '小标题想像', level: 2 },
      { type: 'quote', text: '引文好象', cite: '北朝鲜官方' },
      { type: 'list', items: ['第一条', '第二条', '残废人保障'], ordered: true },
      { type: 'image', assetId: 'a1', caption: '图为WiFi热点', alt: '中华民国旧照' },
      { type: 'video', url: 'https://example.cn/做为.mp4', caption: '视频做为' },
      { type: 'embed', url: 'https://example.cn/x' },
      'not a block',
      { type: 'table', cells: ['表格中华民国'], url: 'https://example.cn/台湾总统' },
    ],
  };
  const fs = checker.checkStory(story);
  const where = fs.map((f) => `${f.blockIndex}:${f.field}:${f.ruleId}`);
  t.same(
    where,
    [
      '-1:title:p-tw-president',
      '-1:subtitle:p-zuowei',
      '-1:subtitle:x-zuowei',
      '-1:summary:p-jiezhi',
      '0:body.text:p-zuowei',
      '0:body.text:x-zuowei',
      '1:body.text:p-xiangxiang',
      '2:body.text:p-haoxiang',
      '2:body.cite:p-dprk',
      '3:body.items[2]:p-disabled-person',
      '3:body.items[2]:c-disabled',
      '4:body.caption:p-wifi',
      '4:body.alt:p-roc',
      '5:body.caption:p-zuowei',
      '5:body.caption:x-zuowei',
      '8:body.cells[0]:p-roc',
    ],
    'URLs and asset ids are not prose; an unknown block type is still checked',
  );
  t.ok(hasBlocking(fs));
  const texts = storyTexts(story);
  t.same(
    texts.slice(0, 3).map((u) => u.blockIndex),
    [-1, -1, -1],
  );
  const items = findingsFor(fs, 'body.items[2]', 3);
  t.equal(applyCorrections('残废人保障', items), '残疾人保障');
});

t.test('findings are sorted by block, then field order, then start', async (t) => {
  const fs = checker.check([
    { field: 'body.text', blockIndex: 1, text: '中华民国' },
    { field: 'body.caption', blockIndex: 0, text: '好象xx做为' },
    { field: 'body.alt', blockIndex: 0, text: '做为' },
    { field: 'title', blockIndex: -1, text: 'x想像' },
  ]);
  t.same(
    fs.map((f) => `${f.blockIndex}/${f.field}/${f.start}`),
    [
      '-1/title/1',
      '0/body.caption/0',
      '0/body.caption/4',
      '0/body.caption/4',
      '0/body.alt/0',
      '0/body.alt/0',
      '1/body.text/0',
    ],
  );
});

t.test('applyCorrections ignores stale findings and those without replacement', async (t) => {
  const fs = one('做为代表');
  t.equal(applyCorrections('我做为代表', fs), '我做为代表', 'offsets no longer hold the match');
  t.equal(applyCorrections('做为代表', []), '做为代表');
  const noRepl: Finding = { ...fs[0]!, replacement: null };
  t.equal(applyCorrections('做为代表', [noRepl]), '做为代表');
});

t.test('rule sets: invalid rules throw with the rule id, or are skipped on request; ids dedupe', async (t) => {
  const bad = rule('bad-regex', '(a+)+$', { kind: 'regex' });
  try {
    new TerminologyChecker([RULES[0]!, bad]);
    t.fail('should throw');
  } catch (err) {
    t.ok(isTerminologyRuleError(err));
    if (isTerminologyRuleError(err)) {
      t.equal(err.ruleId, 'bad-regex');
      t.equal(err.code, 'RULE_PATTERN_INVALID');
      t.equal(err.message, '正则表达式可能导致灾难性回溯');
    }
  }
  t.throws(() => new TerminologyChecker([rule('empty', '')]), { code: 'RULE_PATTERN_INVALID', problem: 'empty' });
  const lenient = new TerminologyChecker([RULES[0]!, bad, rule('empty', '')], { invalidRules: 'skip' });
  t.same(
    lenient.skipped.map((s) => [s.rule.id, s.error.problem]),
    [
      ['bad-regex', 'catastrophic'],
      ['empty', 'empty'],
    ],
  );
  t.equal(lenient.check([{ field: 'title', blockIndex: -1, text: '台湾总统' }]).length, 1);
  const dup = new TerminologyChecker([RULES[2]!, RULES[2]!]);
  t.equal(dup.check([{ field: 'title', blockIndex: -1, text: '做为' }]).length, 1);
  t.same(new TerminologyChecker([]).check([{ field: 'title', blockIndex: -1, text: '台湾总统' }]), []);
});
