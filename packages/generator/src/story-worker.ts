import { parentPort } from 'node:worker_threads';
import type { TenantLevel } from '@yiduan/db';
import { line } from './copy.js';
import { storyChunk, templatePools, worldFrom, type ChunkRows, type StoryParams, type WorldTenant } from './stories.js';

/**
 * A worker thread that turns chunk numbers into COPY text, so that generating
 * the next chunks (CPU in JavaScript) overlaps with PostgreSQL ingesting this one.
 */
export interface WorkerInit {
  params: { seed: string; now: string; days: number };
  tenants: WorldTenant[];
  weight: Record<TenantLevel, number>;
}
export interface WorkerJob {
  chunk: number;
  from: number;
  to: number;
}
export interface WorkerResult {
  chunk: number;
  text: Record<keyof ChunkRows, string>;
  rows: Record<keyof ChunkRows, number>;
  ms: number;
}

let state: {
  params: StoryParams;
  world: ReturnType<typeof worldFrom>;
  pools: ReturnType<typeof templatePools>;
} | null = null;

parentPort?.on('message', (msg: { init: WorkerInit } | { job: WorkerJob }) => {
  if ('init' in msg) {
    const p = msg.init.params;
    state = {
      params: { seed: p.seed, now: new Date(p.now), days: p.days },
      world: worldFrom(msg.init.tenants, msg.init.weight),
      pools: templatePools(),
    };
    return;
  }
  if (!state) throw new Error('story worker: job before init');
  const t0 = performance.now();
  const { chunk, from, to } = msg.job;
  const data = storyChunk(state.params, state.world, state.pools, chunk, from, to);
  const text = {} as Record<keyof ChunkRows, string>;
  const rows = {} as Record<keyof ChunkRows, number>;
  for (const k of Object.keys(data) as (keyof ChunkRows)[]) {
    let s = '';
    for (const r of data[k]) s += line(r);
    text[k] = s;
    rows[k] = data[k].length;
  }
  const result: WorkerResult = { chunk, text, rows, ms: performance.now() - t0 };
  parentPort!.postMessage(result);
});
