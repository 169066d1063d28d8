// `pnpm audit:verify`: checks the audit log's hash chains against DATABASE_URL (owner).
import { loadConfig } from '@yiduan/config';
import { verifyAuditChain } from './audit-chain.js';
import { createDb } from './connect.js';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error(
    'DATABASE_URL is not set (for the embedded database: DATABASE_URL=postgres://postgres:<.data/pg/yiduan-password>@127.0.0.1:54329/yiduan)',
  );
  process.exit(2);
}
const owner = createDb(config.databaseUrl, { max: 1 });
try {
  const report = await verifyAuditChain(owner);
  console.log(`audit log: ${report.rows} rows in ${report.tenants} chains`);
  for (const b of report.broken)
    console.log(
      `BROKEN tenant ${b.tenantId ?? 'platform'} at row ${b.id} (${b.reason === 'hash' ? 'content changed' : 'previous row missing or changed'})`,
    );
  console.log(report.broken.length ? 'audit log: TAMPERED' : 'audit log: intact');
  process.exitCode = report.broken.length ? 1 : 0;
} finally {
  await owner.destroy();
}
