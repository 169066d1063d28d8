// `pnpm migrate [up|down|status]` against DATABASE_URL (the owner connection).
import { loadConfig } from '@yiduan/config';
import { migrateDown, migrateToLatest, migrationStatus } from './migrate.js';

const config = loadConfig();
const command = process.argv[2] ?? 'up';
if (!config.databaseUrl) {
  console.error('DATABASE_URL is not set: `pnpm start` migrates its embedded database by itself.');
  process.exit(2);
}
const url = config.databaseUrl;
try {
  if (command === 'up') {
    const done = await migrateToLatest(url, { appPassword: config.databaseAppPassword });
    console.log(done.length ? `applied: ${done.join(', ')}` : 'already at the latest migration');
  } else if (command === 'down') {
    console.log(`reverted: ${(await migrateDown(url)).join(', ') || 'nothing'}`);
  } else if (command === 'status') {
    for (const m of await migrationStatus(url)) console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}`);
  } else {
    console.error(`unknown command ${command}: use up, down or status`);
    process.exit(2);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
