// Dependency audit of the production dependencies, as CI runs it (`.ci/run`, `pnpm test`):
//   tsx scripts/audit.ts [extra pnpm audit options, e.g. --registry=<url>]
// - high or critical advisories in production dependencies: prints them, exits 1 (CI red);
// - moderate and below: listed as a warning, exit 0;
// - the registry unreachable or refusing the audit endpoint (offline CI, a mirror without the
//   advisory API): a warning, exit 0; the audit is a gate on known advisories, not on network luck.
// Dev dependencies (build, test and lint tools) are not gated here. infra/Dockerfile still ships
// them, because the services run their TypeScript through tsx; a compile step would drop them.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
export const FAIL_AT: readonly Severity[] = ['high', 'critical'];
const TIMEOUT_MS = 90_000;
const ROOT = new URL('..', import.meta.url).pathname;

interface Advisory {
  id?: number;
  title?: string;
  module_name?: string;
  severity?: Severity;
  vulnerable_versions?: string;
  patched_versions?: string;
  url?: string;
  github_advisory_id?: string;
}

interface Report {
  advisories?: Record<string, Advisory>;
  metadata?: { vulnerabilities?: Partial<Record<Severity, number>> };
}

export interface AuditVerdict {
  outcome: 'clean' | 'warn' | 'fail' | 'unavailable';
  counts: Record<Severity, number> | null;
  lines: string[];
}

/** Reads `pnpm audit --json` output (npm's legacy report: advisories + metadata.vulnerabilities). */
export function judge(stdout: string, stderr: string, exitCode: number | null): AuditVerdict {
  let report: Report | null;
  try {
    report = JSON.parse(stdout) as Report | null;
  } catch {
    report = null;
  }
  const vulns = report?.metadata?.vulnerabilities;
  if (!report || !vulns) {
    const why =
      (stderr || stdout)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 3)
        .join(' ') || `exit code ${exitCode}`;
    return {
      outcome: 'unavailable',
      counts: null,
      lines: [`the audit could not run (registry unreachable or refusing the audit endpoint): ${why}`],
    };
  }
  const counts: Record<Severity, number> = {
    info: vulns.info ?? 0,
    low: vulns.low ?? 0,
    moderate: vulns.moderate ?? 0,
    high: vulns.high ?? 0,
    critical: vulns.critical ?? 0,
  };
  const lines = Object.values(report.advisories ?? {})
    .sort((a, b) => (b.severity ?? '').localeCompare(a.severity ?? ''))
    .map((a) =>
      `${a.severity ?? '?'}: ${a.module_name ?? '?'} ${a.vulnerable_versions ?? ''} — ${a.title ?? ''} (${a.github_advisory_id ?? a.id ?? ''}${a.patched_versions ? `; fixed in ${a.patched_versions}` : ''}) ${a.url ?? ''}`.trim(),
    );
  const failing = FAIL_AT.reduce((n, s) => n + counts[s], 0);
  const any = Object.values(counts).reduce((n, c) => n + c, 0);
  return { outcome: failing > 0 ? 'fail' : any > 0 ? 'warn' : 'clean', counts, lines };
}

function run(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    // pnpm retries a failed request with long backoffs (over a minute when the registry is unreachable)
    const env = {
      ...process.env,
      PNPM_CONFIG_FETCH_RETRIES: process.env.PNPM_CONFIG_FETCH_RETRIES ?? '1',
      PNPM_CONFIG_FETCH_TIMEOUT: process.env.PNPM_CONFIG_FETCH_TIMEOUT ?? '30000',
    };
    const child = spawn('pnpm', ['audit', '--prod', '--json', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\npnpm audit gave no answer within ${TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** Runs the audit and prints the verdict; resolves to the exit status (1 only for high/critical). */
export async function audit(args: string[] = []): Promise<number> {
  const { stdout, stderr, code } = await run(args);
  const v = judge(stdout, stderr, code);
  const summary = v.counts
    ? Object.entries(v.counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
    : '';
  if (v.outcome === 'unavailable') {
    console.warn(`⚠ dependency audit skipped: ${v.lines[0]}`);
    return 0;
  }
  if (v.outcome === 'clean') {
    console.log('✔ dependency audit (production): no known advisories');
    return 0;
  }
  const print = v.outcome === 'fail' ? console.error : console.warn;
  print(`${v.outcome === 'fail' ? '✖' : '⚠'} dependency audit (production): ${summary}`);
  for (const l of v.lines) print(`  ${l}`);
  if (v.outcome === 'fail')
    print(
      `  fix: upgrade the package, or pin a fixed version with pnpm.overrides (\`pnpm audit --fix\`); ${FAIL_AT.join('/')} advisories fail CI`,
    );
  return v.outcome === 'fail' ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await audit(process.argv.slice(2)));
}
