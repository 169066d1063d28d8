/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof` or the inspector's Profiler) and summarises it:
 * the top functions by self time, the top by inclusive time (a function counted once per sample
 * however deep it recurses), and self time by area (package, project folder, Node core, V8).
 *
 * Run: npx tsx test/bench/lib/cpuprofile.ts <file.cpuprofile> [--top=20] [--exclude=autocannon]
 * (--exclude leaves the named areas' samples out of the shares: e.g. the load generator when it
 * shared the process with the server it measured).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CpuProfileNode {
  id: number;
  parent?: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  fn: string;
  where: string;
  area: string;
  ms: number;
  /** share of the busy time counted (idle and excluded areas left out) */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  excludedMs: number;
  busyMs: number;
  self: Frame[];
  inclusive: Frame[];
  areas: { area: string; ms: number; share: number }[];
  /** time with the area anywhere on the stack (a sample counted once per area): what the area causes */
  areasInclusive: { area: string; ms: number; share: number }[];
}

const root = fileURLToPath(new URL('../../..', import.meta.url));

function place(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    const scoped = rest[0]!.startsWith('@');
    return `${scoped ? `${rest[0]}/${rest[1]}` : rest[0]}: ${rest.slice(scoped ? 2 : 1).join('/')}`;
  }
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** which part of the stack a frame belongs to */
export function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'V8: garbage collection';
  if (fn === '(program)') return 'V8/native (program)';
  if (fn === '(idle)') return 'idle';
  if (!url) return 'native (builtins)';
  if (url.startsWith('node:')) return 'Node.js core';
  const p = place(url);
  if (p.startsWith('services/') || p.startsWith('packages/') || p.startsWith('test/'))
    return p.split('/').slice(0, 2).join('/');
  return p.split(':')[0]!;
}

export function summarise(
  profile: CpuProfile,
  opts: { top?: number; exclude?: readonly string[] } = {},
): ProfileSummary {
  const top = opts.top ?? 20;
  const exclude = new Set(opts.exclude ?? []);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  if (![...parent.keys()].length) for (const n of profile.nodes) if (n.parent !== undefined) parent.set(n.id, n.parent);
  const keyOf = new Map<number, { key: string; fn: string; where: string; area: string }>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    // a nameless native frame is a builtin: name it by its caller
    const caller = byId.get(parent.get(n.id) ?? -1)?.callFrame;
    const fn = functionName || (url ? '(anonymous)' : `(native, in ${caller?.functionName || 'anonymous'})`);
    // tsx hands V8 the project's TypeScript compiled onto few lines: there the name says more than the line
    const where = !url
      ? ''
      : url.includes('/node_modules/') || url.startsWith('node:')
        ? `${place(url)}:${lineNumber + 1}`
        : place(url);
    keyOf.set(n.id, { key: `${fn}@${where}`, fn, where, area: areaOf(url, functionName) });
  }
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const areas = new Map<string, number>();
  const areasIncl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let excluded = 0;
  for (let i = 0; i < samples.length; i++) {
    // a sample's time is the gap to the next sample
    const us = deltas[i + 1] ?? 0;
    total += us;
    const leaf = keyOf.get(samples[i]!);
    if (!leaf) continue;
    if (leaf.area === 'idle') {
      idle += us;
      continue;
    }
    // a sample under an excluded area (e.g. autocannon's callbacks) is left out as a whole
    const stack: number[] = [];
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) stack.push(id);
    if (stack.some((id) => exclude.has(keyOf.get(id)!.area))) {
      excluded += us;
      continue;
    }
    self.set(leaf.key, (self.get(leaf.key) ?? 0) + us);
    areas.set(leaf.area, (areas.get(leaf.area) ?? 0) + us);
    for (const a of new Set(stack.map((id) => keyOf.get(id)!.area))) areasIncl.set(a, (areasIncl.get(a) ?? 0) + us);
    const seen = new Set<string>();
    for (const id of stack) {
      const k = keyOf.get(id)!;
      if (k.fn === '(root)' || seen.has(k.key)) continue;
      seen.add(k.key);
      incl.set(k.key, (incl.get(k.key) ?? 0) + us);
    }
  }
  const busy = Math.max(1, total - idle - excluded);
  const info = new Map([...keyOf.values()].map((k) => [k.key, k]));
  const frames = (m: Map<string, number>): Frame[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => {
        const k = info.get(key)!;
        return {
          fn: k.fn,
          where: k.where,
          area: k.area,
          ms: Math.round(us / 100) / 10,
          share: Math.round((1000 * us) / busy) / 10,
        };
      });
  return {
    totalMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    excludedMs: Math.round(excluded / 1000),
    busyMs: Math.round(busy / 1000),
    self: frames(self),
    inclusive: frames(incl),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, ms: Math.round(us / 1000), share: Math.round((1000 * us) / busy) / 10 })),
    areasInclusive: [...areasIncl.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, ms: Math.round(us / 1000), share: Math.round((1000 * us) / busy) / 10 })),
  };
}

const cellOf = (s: string): string => s.replace(/\|/g, '\\|');

/** The summary as Markdown tables. */
export function profileMarkdown(s: ProfileSummary, title: string): string {
  const out: string[] = [];
  out.push(`### ${title}`);
  out.push('');
  out.push(
    `${s.totalMs.toLocaleString('en-US')} ms sampled: ${s.idleMs.toLocaleString('en-US')} ms idle${s.excludedMs ? `, ${s.excludedMs.toLocaleString('en-US')} ms in the load generator (left out)` : ''}, **${s.busyMs.toLocaleString('en-US')} ms busy**; shares below are of the busy time.`,
  );
  out.push('');
  out.push(
    "By area: self time (spent in the area's own code) and inclusive time (the area anywhere on the stack, so what it causes, callees included):",
  );
  out.push('');
  out.push('| area | self time | share | inclusive time | share |');
  out.push('| --- | --- | --- | --- | --- |');
  const incl = new Map(s.areasInclusive.map((a) => [a.area, a]));
  for (const a of s.areas.slice(0, 16)) {
    const i = incl.get(a.area);
    out.push(
      `| ${cellOf(a.area)} | ${a.ms.toLocaleString('en-US')} ms | ${a.share} % | ${i ? `${i.ms.toLocaleString('en-US')} ms` : ''} | ${i ? `${i.share} %` : ''} |`,
    );
  }
  out.push('');
  out.push(`Top ${s.self.length} functions by self time:`);
  out.push('');
  out.push('| function | where | self time | share |');
  out.push('| --- | --- | --- | --- |');
  for (const f of s.self) out.push(`| \`${cellOf(f.fn)}\` | ${cellOf(f.where)} | ${f.ms} ms | ${f.share} % |`);
  out.push('');
  out.push(`Top ${s.inclusive.length} functions by inclusive time (self + everything they called):`);
  out.push('');
  out.push('| function | where | inclusive time | share |');
  out.push('| --- | --- | --- | --- |');
  for (const f of s.inclusive) out.push(`| \`${cellOf(f.fn)}\` | ${cellOf(f.where)} | ${f.ms} ms | ${f.share} % |`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!file) {
    console.error('usage: tsx test/bench/lib/cpuprofile.ts <file.cpuprofile> [--top=20] [--exclude=area,area]');
    process.exit(2);
  }
  const topArg = process.argv.find((a) => a.startsWith('--top='));
  const excludeArg = process.argv.find((a) => a.startsWith('--exclude='));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const s = summarise(profile, {
    top: topArg ? Number(topArg.slice(6)) : 20,
    exclude: excludeArg ? excludeArg.slice(10).split(',') : [],
  });
  console.log(profileMarkdown(s, file));
}
