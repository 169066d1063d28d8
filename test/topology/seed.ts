// Seeds the demo province into the topology's primary (run by `pnpm topology up` after the
// migrations): DATABASE_APP_URL (direct to the primary), ASSET_DIR.
import { createDb } from '@yiduan/db';
import { seedDemo } from '@yiduan/demo';
import { createStorage } from '@yiduan/storage';

const url = process.env.DATABASE_APP_URL;
const assets = process.env.ASSET_DIR;
if (!url || !assets) {
  console.error('DATABASE_APP_URL and ASSET_DIR are required');
  process.exit(2);
}
const db = createDb(url);
try {
  const t0 = Date.now();
  const seeded = await seedDemo(db, { storage: createStorage({ kind: 'local', dir: assets }) });
  console.log(seeded.created ? `seeded the demo province (${Date.now() - t0} ms)` : 'demo province already present');
} finally {
  await db.destroy();
}
