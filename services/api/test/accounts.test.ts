import t from 'tap';
import { createOrganisation, SYSTEM_ACTOR } from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { errorCode } from '@yiduan/testkit';
import { demoApi } from './demo-api.js';

const FIELDS =
  'id name handle platform health duplicate silentDays status reviewers tenant { slug } unitName operator { name valid } followers';
const LIST = `query($t: ID!, $f: GovAccountFilter) { govAccounts(tenantId: $t, filter: $f, asOf: "2026-12-07") { total items { ${FIELDS} } } }`;
const CREATE = `mutation($t: ID!, $i: GovAccountInput!) { createGovAccount(tenantId: $t, input: $i) { ${FIELDS} } }`;
const UPDATE =
  'mutation($t: ID!, $id: ID!, $i: GovAccountPatch!) { updateGovAccount(tenantId: $t, id: $id, input: $i) { id name } }';
const RETIRE =
  'mutation($t: ID!, $id: ID!, $s: GovAccountStatus!) { retireGovAccount(tenantId: $t, id: $id, status: $s, note: "并入县融媒体中心") { id status health } }';
const IMPORT =
  'mutation($t: ID!, $csv: String, $file: String, $dry: Boolean) { importGovAccounts(tenantId: $t, csv: $csv, file: $file, dryRun: $dry) { rows created updated dryRun problems { row reason } } }';
const THRESHOLDS =
  'mutation($t: ID!, $i: GovThresholdsInput) { setGovAccountThresholds(tenantId: $t, input: $i) { tenant { slug } effective { warnDays failDays zombieDays } own { warnDays } inherited { tenant { slug } failDays } } }';

type Account = {
  id: string;
  name: string;
  handle: string;
  health: string | null;
  duplicate: boolean;
  tenant: { slug: string };
  operator: { name: string; valid: boolean } | null;
  followers: number | null;
  status: string;
};
type List = { govAccounts: { total: number; items: Account[] } };

t.test('the registry over GraphQL: own tenant writes, ancestors read, siblings never; bad input refused', async (t) => {
  const { deps, id, as, anonymous } = await demoApi(t);
  const expired = await withPlatform(deps.db, (trx) =>
    createOrganisation(trx, SYSTEM_ACTOR, {
      name: '旧时代文化传媒有限公司',
      licenceNo: 'XW-2020-001',
      validUntil: '2025-06-30',
    }),
  );
  const ryAdmin = await as('ry-admin', 'ruyang', ['tenant_admin']);
  const ryEditor = await as('ry-editor', 'ruyang', ['editor']);
  const ryReporter = await as('ry-reporter', 'ruyang', ['reporter']);
  const ycChief = await as('yc-chief', 'yichuan', ['chief_editor']);
  const lyEditor = await as('ly-editor', 'luoyang', ['editor']);
  const lyAdmin = await as('ly-admin', 'luoyang', ['tenant_admin']);
  const zzEditor = await as('zz-editor', 'zhengzhou', ['editor']);
  const hnAdmin = await as('hn-admin', 'henan', ['tenant_admin']);

  const recent = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const a = await ryAdmin<{ createGovAccount: Account }>(CREATE, {
    t: id('ruyang'),
    i: {
      platform: 'WECHAT',
      name: '汝阳发布',
      handle: 'ruyangfabu',
      sponsor: '汝阳县委宣传部',
      reviewers: ['王敏'],
      lastUpdatedAt: recent,
      followers: 56000,
    },
  });
  t.equal(a.errors, undefined);
  t.match(a.data?.createGovAccount, {
    name: '汝阳发布',
    tenant: { slug: 'ruyang' },
    followers: 56000,
    duplicate: false,
    operator: null,
  });
  const b = await ryAdmin<{ createGovAccount: Account }>(CREATE, {
    t: id('ruyang'),
    i: {
      platform: 'WECHAT',
      name: '汝阳宣传',
      handle: 'ruyang_xc',
      sponsor: '汝阳县委宣传部',
      operation: 'OPERATOR',
      operatorId: expired.id,
      contractEnd: '2026-12-31',
    },
  });
  t.match(
    b.data?.createGovAccount,
    { duplicate: true, health: 'UNKNOWN', operator: { name: '旧时代文化传媒有限公司', valid: false } },
    'a second WeChat account of one sponsor is flagged; the operator shows its expired qualification',
  );
  await ycChief(CREATE, { t: id('yichuan'), i: { platform: 'DOUYIN', name: '伊川发布', handle: 'yichuanfabu' } });

  // bad input: clear errors, nothing written
  const dup = await ryAdmin(CREATE, {
    t: id('ruyang'),
    i: { platform: 'WECHAT', name: '又一个', handle: 'RuyangFabu' },
  });
  t.equal(errorCode(dup), 'BAD_USER_INPUT');
  t.match(dup.errors?.[0]?.message, /已登记同一账号/);
  // bad input: a Weibo account named x, with one thing wrong
  const badCases: [Record<string, unknown>, string][] = [
    [{ platform: 'MYSPACE' }, 'an unknown platform'],
    [{ contractStart: '2026-02-30' }, 'an impossible day'],
    [{ followers: -3 }, 'a negative count'],
    [{ operation: 'OPERATOR' }, 'an operator without its organisation'],
  ];
  for (const [wrong, what] of badCases)
    t.equal(
      errorCode(await ryAdmin(CREATE, { t: id('ruyang'), i: { platform: 'WEIBO', name: 'x', handle: 'x', ...wrong } })),
      'BAD_USER_INPUT',
      what,
    );
  const badFeed = await ryAdmin(CREATE, {
    t: id('ruyang'),
    i: { platform: 'WEBSITE', name: 'x', handle: 'x', feedUrl: 'javascript:alert(1)' },
  });
  t.equal(errorCode(badFeed), 'BAD_USER_INPUT', 'a feed address that is not http(s)');
  t.match(badFeed.errors?.[0]?.message, /订阅地址/);

  // reads: the county, its city and the province; never a sibling or another city
  const list = async (gql: typeof ryAdmin, slug: string, f?: object) => gql<List>(LIST, { t: id(slug), f });
  t.equal((await list(ryEditor, 'ruyang')).data?.govAccounts.total, 2, 'an editor reads the registry');
  t.equal(errorCode(await list(ryReporter, 'ruyang')), 'FORBIDDEN', 'a reporter does not');
  t.equal(errorCode(await list(anonymous, 'ruyang')), 'UNAUTHENTICATED');
  const city = await list(lyEditor, 'luoyang');
  t.same(
    city.data?.govAccounts.items.map((x) => x.tenant.slug).sort(),
    ['ruyang', 'ruyang', 'yichuan'],
    'the city: its counties rolled up',
  );
  t.equal(
    (await list(lyEditor, 'ruyang')).data?.govAccounts.total,
    2,
    'the city reads one county through its own role',
  );
  t.same(
    (await list(lyEditor, 'luoyang', { duplicate: true, platform: 'WECHAT' })).data?.govAccounts.items
      .map((x) => x.handle)
      .sort(),
    ['ruyang_xc', 'ruyangfabu'],
    'filters: duplicates on WeChat',
  );
  t.same((await list(lyEditor, 'luoyang', { health: 'UNKNOWN' })).data?.govAccounts.items.map((x) => x.handle).sort(), [
    'ruyang_xc',
    'yichuanfabu',
  ]);
  t.equal((await list(hnAdmin, 'henan')).data?.govAccounts.total, 3, 'the province sees everything');
  t.equal(errorCode(await list(ycChief, 'ruyang')), 'FORBIDDEN', 'a sibling county');
  t.equal(errorCode(await list(zzEditor, 'ruyang')), 'FORBIDDEN', 'another city');
  t.equal(errorCode(await list(zzEditor, 'luoyang')), 'FORBIDDEN');
  const one = `query($t: ID!, $id: ID!) { govAccount(tenantId: $t, id: $id) { name } }`;
  t.equal(
    errorCode(await ycChief(one, { t: id('yichuan'), id: a.data!.createGovAccount.id })),
    'NOT_FOUND',
    "a sibling's account through its own tenant: not found",
  );
  t.equal(
    (await lyEditor<{ govAccount: { name: string } }>(one, { t: id('luoyang'), id: a.data!.createGovAccount.id })).data
      ?.govAccount.name,
    '汝阳发布',
  );

  // writes: the owning tenant's managers only
  const aid = a.data!.createGovAccount.id;
  t.equal(
    errorCode(await ryEditor(UPDATE, { t: id('ruyang'), id: aid, i: { name: 'x' } })),
    'FORBIDDEN',
    'an editor does not change it',
  );
  t.equal(
    errorCode(await lyAdmin(UPDATE, { t: id('ruyang'), id: aid, i: { name: 'x' } })),
    'FORBIDDEN',
    'nor the city, which only reads',
  );
  t.equal(
    errorCode(await ycChief(UPDATE, { t: id('yichuan'), id: aid, i: { name: 'x' } })),
    'NOT_FOUND',
    'nor a sibling through its own tenant',
  );
  t.equal(errorCode(await ycChief(UPDATE, { t: id('ruyang'), id: aid, i: { name: 'x' } })), 'FORBIDDEN');
  t.equal(
    (
      await ryAdmin<{ updateGovAccount: { name: string } }>(UPDATE, {
        t: id('ruyang'),
        id: aid,
        i: { name: '汝阳发布（新）' },
      })
    ).data?.updateGovAccount.name,
    '汝阳发布（新）',
  );
  const withFeed = await ryAdmin<{ updateGovAccount: { id: string } }>(UPDATE, {
    t: id('ruyang'),
    id: aid,
    i: { feedUrl: 'https://www.ruyang.gov.cn/rss.xml' },
  });
  t.equal(withFeed.errors, undefined, 'a feed address is set');
  const feedOf = await ryEditor<{ govAccount: { feedUrl: string; feedError: string | null } }>(
    'query($t: ID!, $id: ID!) { govAccount(tenantId: $t, id: $id) { feedUrl feedError } }',
    { t: id('ruyang'), id: aid },
  );
  t.same(feedOf.data?.govAccount, { feedUrl: 'https://www.ruyang.gov.cn/rss.xml', feedError: null });
  const retired = await ryAdmin<{ retireGovAccount: { status: string; health: string | null } }>(RETIRE, {
    t: id('ruyang'),
    id: b.data!.createGovAccount.id,
    s: 'MERGED',
  });
  t.same(retired.data?.retireGovAccount, { id: b.data!.createGovAccount.id, status: 'MERGED', health: null });
  t.equal(errorCode(await ryAdmin(RETIRE, { t: id('ruyang'), id: aid, s: 'ACTIVE' })), 'BAD_USER_INPUT');

  // import: text with a bad row, a GBK file, a malformed file
  const header = '平台,账号名称,账号ID或网址,主办单位,最近更新时间,粉丝数\n';
  const rep = await ryAdmin<{
    importGovAccounts: { rows: number; created: number; problems: { row: number; reason: string }[] };
  }>(IMPORT, {
    t: id('ruyang'),
    csv:
      header +
      '微博,汝阳发布微博,ruyangfabu_wb,汝阳县委宣传部,2026-12-01,8000\n脸书,汝阳外宣,ry_fb,,,\n抖音,汝阳文旅,ryly_dy,汝阳县文广旅局,2026-08-01,\n',
  });
  t.same(rep.data?.importGovAccounts, {
    rows: 3,
    created: 2,
    updated: 0,
    dryRun: false,
    problems: [{ row: 3, reason: rep.data?.importGovAccounts.problems[0]?.reason }],
  });
  t.match(rep.data?.importGovAccounts.problems[0]?.reason, /未知平台“脸书”/);
  // a GBK file as Excel on Chinese Windows saves it: bytes of "平台,账号名称,账号ID或网址\r\n快手,汝阳快手,ry_ks\r\n"
  const gbk = Buffer.from(
    'c6bdcca82cd5cbbac5c3fbb3c62cd5cbbac54944bbf2cdf8d6b70d0abfeccad62cc8ead1f4bfeccad62c72795f6b730d0a',
    'hex',
  );
  const fromFile = await ryAdmin<{ importGovAccounts: { created: number; problems: unknown[] } }>(IMPORT, {
    t: id('ruyang'),
    file: gbk.toString('base64'),
  });
  t.match(fromFile.data?.importGovAccounts, { created: 1, problems: [] }, 'a GBK file is read as GBK');
  t.equal((await list(ryEditor, 'ruyang', { platform: 'KUAISHOU' })).data?.govAccounts.items[0]?.name, '汝阳快手');
  const malformed = await ryAdmin(IMPORT, { t: id('ruyang'), csv: '名称,网址\nx,y\n' });
  t.equal(errorCode(malformed), 'BAD_USER_INPUT');
  t.match(malformed.errors?.[0]?.message, /缺少列/);
  t.equal(errorCode(await ryAdmin(IMPORT, { t: id('ruyang'), file: '***' })), 'BAD_USER_INPUT');
  t.equal(
    errorCode(await ryEditor(IMPORT, { t: id('ruyang'), csv: header + '微博,a,b,,,\n' })),
    'FORBIDDEN',
    'an editor does not import',
  );
  t.equal(
    errorCode(await ycChief(IMPORT, { t: id('ruyang'), csv: header + '微博,a,b,,,\n' })),
    'FORBIDDEN',
    'nor a sibling into another county',
  );
  t.equal((await list(hnAdmin, 'henan')).data?.govAccounts.total, 6, 'nothing else was written');

  // thresholds: the province sets, a city tightens, a county may not
  const hn = await hnAdmin<{ setGovAccountThresholds: { effective: object } }>(THRESHOLDS, {
    t: id('henan'),
    i: { warnDays: 5, failDays: 14, zombieDays: 60 },
  });
  t.same(hn.data?.setGovAccountThresholds.effective, { warnDays: 5, failDays: 14, zombieDays: 60 });
  const ly = await lyAdmin<{
    setGovAccountThresholds: { effective: object; inherited: { tenant: { slug: string }; failDays: number }[] };
  }>(THRESHOLDS, { t: id('luoyang'), i: { failDays: 10 } });
  t.same(ly.data?.setGovAccountThresholds.effective, { warnDays: 5, failDays: 10, zombieDays: 60 });
  t.same(ly.data?.setGovAccountThresholds.inherited, [{ tenant: { slug: 'henan' }, failDays: 14 }]);
  t.equal(
    errorCode(await ryAdmin(THRESHOLDS, { t: id('ruyang'), i: { warnDays: 3 } })),
    'FORBIDDEN',
    'a county does not set thresholds',
  );
  t.equal(
    errorCode(await lyEditor(THRESHOLDS, { t: id('luoyang'), i: { warnDays: 3 } })),
    'FORBIDDEN',
    'an editor does not',
  );
  t.equal(
    errorCode(await lyAdmin(THRESHOLDS, { t: id('luoyang'), i: { zombieDays: 100 } })),
    'BAD_USER_INPUT',
    'looser than the province',
  );
  const TQ =
    'query($t: ID!) { govAccountThresholds(tenantId: $t) { effective { warnDays failDays zombieDays } inherited { tenant { slug } } } }';
  t.same(
    (await ryEditor<{ govAccountThresholds: { effective: object } }>(TQ, { t: id('ruyang') })).data
      ?.govAccountThresholds.effective,
    { warnDays: 5, failDays: 10, zombieDays: 60 },
    'the county inherits',
  );
  t.equal(errorCode(await zzEditor(TQ, { t: id('ruyang') })), 'FORBIDDEN');
  const zombies = await list(lyEditor, 'luoyang', { health: 'ZOMBIE' });
  t.same(
    zombies.data?.govAccounts.items.map((x) => x.name),
    ['汝阳文旅'],
    'imported on 1 August: a zombie by 7 December',
  );

  // capabilities, template, export
  const CAP = 'query($t: ID!) { govAccountCapabilities(tenantId: $t) { read manage editThresholds } }';
  t.same((await ryAdmin<{ govAccountCapabilities: object }>(CAP, { t: id('ruyang') })).data?.govAccountCapabilities, {
    read: true,
    manage: true,
    editThresholds: false,
  });
  t.same((await ryEditor<{ govAccountCapabilities: object }>(CAP, { t: id('ruyang') })).data?.govAccountCapabilities, {
    read: true,
    manage: false,
    editThresholds: false,
  });
  t.same((await lyAdmin<{ govAccountCapabilities: object }>(CAP, { t: id('luoyang') })).data?.govAccountCapabilities, {
    read: true,
    manage: true,
    editThresholds: true,
  });
  t.same(
    (await zzEditor<{ govAccountCapabilities: object }>(CAP, { t: id('ruyang') })).data?.govAccountCapabilities,
    { read: false, manage: false, editThresholds: false },
    'no role: all false',
  );
  const tpl = await ryEditor<{ govAccountTemplate: string }>('{ govAccountTemplate }');
  t.match(tpl.data?.govAccountTemplate, /^\uFEFF平台,账号名称,账号ID或网址,认证主体,主办单位,主管单位,所属政务号/);
  const exp = await lyEditor<{ govAccountExport: string }>('query($t: ID!) { govAccountExport(tenantId: $t) }', {
    t: id('luoyang'),
  });
  const lines = exp.data!.govAccountExport.trim().split('\r\n');
  t.equal(lines.length, 1 + 6, 'a header and every account of the subtree');
  t.match(lines[0], /所属单位,健康状况,未更新天数,疑似重复$/);
  t.ok(
    lines.some((l) => l.includes('旧时代文化传媒有限公司') && l.includes('已合并')),
    'the operator by name, the status in Chinese',
  );
  t.equal(
    errorCode(await ycChief('query($t: ID!) { govAccountExport(tenantId: $t) }', { t: id('ruyang') })),
    'FORBIDDEN',
    'a sibling does not export',
  );
  const ops = await ryAdmin<{ govAccountOperators: { name: string }[] }>(
    'query($t: ID!) { govAccountOperators(tenantId: $t) { name } }',
    { t: id('ruyang') },
  );
  t.same(
    ops.data?.govAccountOperators.map((o) => o.name),
    ['旧时代文化传媒有限公司'],
  );
  t.equal(
    errorCode(await ryEditor('query($t: ID!) { govAccountOperators(tenantId: $t) { name } }', { t: id('ruyang') })),
    'FORBIDDEN',
  );
});
