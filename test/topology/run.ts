// `pnpm test:topology` (outside `pnpm test`: it starts a dozen processes and breaks them): brings
// the topology up when it is not (and down again after), then runs, each in its own process, the
// smoke run through HAProxy, the replica staleness check and the faults under load. Exits 1 when
// any of them failed. docs/topology.md.
import { spawnSync } from 'node:child_process';
import { tcpOpen } from '../../scripts/topology/lib.js';
import { down, up } from '../../scripts/topology/main.js';
import { ports, root } from '../../scripts/topology/settings.js';

const startedHere = !(await tcpOpen(ports.lbPortal));
let failed: string[] = [];
try {
  if (startedHere) await up();
  for (const name of ['smoke', 'staleness', 'faults']) {
    console.log(`\n▶ ${name}`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', `test/topology/${name}.ts`], {
      cwd: root,
      stdio: 'inherit',
    });
    console.log(`${r.status === 0 ? '✔' : '✖'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (r.status !== 0) failed.push(name);
  }
} catch (err) {
  failed = [...failed, `topology: ${err instanceof Error ? err.message : String(err)}`];
} finally {
  if (startedHere) await down();
}
console.log(
  failed.length ? `\ntopology: failed ${failed.join(', ')}` : '\ntopology: smoke, staleness and faults passed',
);
process.exit(failed.length ? 1 : 0);
