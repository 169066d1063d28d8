import { deflateSync } from 'node:zlib';
import { createAsset, pngChunk, type Actor } from '@yiduan/core';
import type { AssetStorage } from '@yiduan/storage';
import type { Asset, Trx } from '@yiduan/db';
import type { Scene } from './content/index.js';
import type { Place } from './places.js';
import type { DemoTenant } from './tree.js';

// Demo pictures drawn in code: a sky, a sun, hills, fields, a skyline or a
// river, 1200×675. They are palette PNGs: each scene's shapes are drawn once
// as colour indices (and cached), and each tenant's picture only swaps the
// palette for its own theme colours — 48 pictures cost about 12 drawings.

type Rgb = readonly [number, number, number];

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const WHITE: Rgb = [255, 255, 255];
const NIGHT: Rgb = [18, 22, 40];

export const IMAGE_SIZE = { width: 1200, height: 675 } as const;
export const SCENES: readonly Scene[] = ['hills', 'fields', 'city', 'river', 'dawn', 'dusk'];

// Palette layout: gradients are quantised into levels, fine enough not to band.
const SKY = 0; // 64 levels, top to horizon
const SKY_LEVELS = 64;
const SUN = 64; // the disc, then two flat halo rings
const HALO = 65;
const FAR = 67;
const NEAR = 68; // 32 levels, lighter to darker
const NEAR_LEVELS = 32;
const LIT = 100;
const WATER = 101; // 32 depths
const WATER_LEVELS = 32;
const RIPPLE = 133; // 16 depths
const RIPPLE_LEVELS = 16;
const FURROW = 149; // 2 colours × 5 fades × 10 depths
const FADES = 5;
const DEPTHS = 10;

const level = (t: number, levels: number): number => Math.max(0, Math.min(levels - 1, Math.round(t * (levels - 1))));

interface Colours {
  skyTop: Rgb;
  skyLow: Rgb;
  sun: Rgb;
  far: Rgb;
  near: Rgb;
  ground: Rgb;
  alt: Rgb;
}

function colours(scene: Scene, primary: Rgb, accent: Rgb): Colours {
  const night = scene === 'dusk';
  const warm = scene === 'dawn';
  return {
    skyTop: night ? mix(NIGHT, primary, 0.35) : mix(primary, WHITE, warm ? 0.55 : 0.7),
    skyLow: night ? mix(accent, primary, 0.35) : mix(accent, WHITE, warm ? 0.35 : 0.75),
    sun: mix(accent, WHITE, night ? 0.1 : 0.45),
    far: night ? mix(NIGHT, primary, 0.55) : mix(primary, WHITE, 0.45),
    near: night ? mix(NIGHT, primary, 0.3) : mix(primary, NIGHT, 0.25),
    ground: mix(accent, primary, 0.45),
    alt: mix(accent, WHITE, 0.25),
  };
}

/** The 256 colours of a scene in one theme: the only part of the file that differs per tenant. */
function palette(scene: Scene, theme: { primary: string; accent: string }): Buffer {
  const c = colours(scene, hex(theme.primary), hex(theme.accent));
  const out = Buffer.alloc(256 * 3);
  const set = (i: number, rgb: Rgb): void =>
    out.set(
      rgb.map((v) => Math.round(v)),
      i * 3,
    );
  const sky = (k: number, levels: number): Rgb => mix(c.skyTop, c.skyLow, k / (levels - 1));
  for (let k = 0; k < SKY_LEVELS; k++) set(SKY + k, sky(k, SKY_LEVELS));
  set(SUN, c.sun);
  // flat halo rings in the style of the flat hills, tinted towards the sky around the sun
  const around = mix(c.skyTop, c.skyLow, 0.4);
  set(HALO, mix(c.sun, around, 0.35));
  set(HALO + 1, mix(c.sun, around, 0.7));
  set(FAR, c.far);
  for (let k = 0; k < NEAR_LEVELS; k++) set(NEAR + k, mix(c.near, NIGHT, (k / (NEAR_LEVELS - 1)) * 0.35));
  set(LIT, scene === 'dusk' ? c.sun : mix(c.near, WHITE, 0.35));
  for (let k = 0; k < WATER_LEVELS; k++) set(WATER + k, mix(c.skyLow, c.far, (k / (WATER_LEVELS - 1)) * 0.6));
  for (let k = 0; k < RIPPLE_LEVELS; k++)
    set(RIPPLE + k, mix(mix(c.skyLow, c.far, (k / (RIPPLE_LEVELS - 1)) * 0.6), WHITE, 0.25));
  const avg = mix(c.ground, c.alt, 0.5);
  for (let band = 0; band < 2; band++) {
    for (let f = 0; f < FADES; f++) {
      for (let d = 0; d < DEPTHS; d++)
        set(
          FURROW + (band * FADES + f) * DEPTHS + d,
          mix(mix(avg, band ? c.alt : c.ground, f / (FADES - 1)), c.near, (d / (DEPTHS - 1)) * 0.25),
        );
    }
  }
  return out;
}

/** Per-column heights of a ridge: a few sine waves, seeded so each variant differs. */
function ridge(width: number, base: number, amp: number, seed: number): Float64Array {
  const out = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const t = x / width;
    out[x] =
      base -
      amp *
        (0.55 * Math.sin(t * 5.1 + seed) +
          0.3 * Math.sin(t * 11.3 + seed * 2.1) +
          0.15 * Math.sin(t * 23.7 + seed * 0.7));
  }
  return out;
}

/** Building tops along the width: flat runs of random-looking heights. */
function skyline(width: number, base: number, seed: number): Float64Array {
  const out = new Float64Array(width);
  let x = 0;
  let k = seed;
  while (x < width) {
    k = (k * 9301 + 49297) % 233280;
    const w = 40 + (k % 70);
    const top = base - 40 - ((k * 7) % 220);
    for (let i = x; i < Math.min(width, x + w); i++) out[i] = top;
    x += w + 6;
    for (let i = x - 6; i < Math.min(width, x); i++) out[i] = base;
  }
  return out;
}

/** The scene's shapes as palette indices, rows "Up"-filtered and deflated: nearly equal rows become zeros. */
function drawIndices(scene: Scene, variant: number, w: number, h: number): Buffer {
  const horizon = h * 0.62;
  const built = scene === 'city' || scene === 'dusk';
  const far = built
    ? skyline(w, horizon + 20, 3 + variant * 17)
    : ridge(w, horizon - 40, scene === 'hills' ? 90 : 40, 1 + variant * 2.3);
  const near = built
    ? skyline(w, h * 0.86, 11 + variant * 29)
    : scene === 'hills'
      ? ridge(w, horizon + 70, 60, 2.7 + variant * 1.9)
      : new Float64Array(w).fill(h * 2);
  const sunX = (scene === 'dawn' ? 0.5 : variant % 2 ? 0.28 : 0.72) * w;
  const sunY = scene === 'dawn' ? horizon - 30 : h * 0.26;
  const radius = scene === 'dawn' ? 110 : 62;
  const glow = radius * 1.75;
  const wave = Float64Array.from({ length: w }, (_, x) => Math.sin(x * 0.02) * 3);

  const stride = w + 1;
  const out = Buffer.alloc(stride * h);
  let prev = new Uint8Array(w);
  let row = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    const sky = SKY + level(y / horizon, SKY_LEVELS);
    const shade = NEAR + level(y / h, NEAR_LEVELS);
    const depth = Math.max(0, (y - h * 0.72) / (h * 0.28));
    const water = WATER + level(depth, WATER_LEVELS);
    const ripple = RIPPLE + level(depth, RIPPLE_LEVELS);
    const yy = y - horizon + 8;
    const spread = 4 / yy;
    const furrowDepth = level(Math.max(0, (y - horizon) / (h - horizon)), DEPTHS);
    const nearSun = Math.abs(y - sunY) < glow;
    for (let x = 0; x < w; x++) {
      let i: number;
      if (scene === 'river' && y > h * 0.72) i = Math.sin(y * 0.9 + wave[x]!) > 0.93 ? ripple : water;
      else if (scene === 'fields' && y > horizon) {
        // furrows closer than a few pixels (vertically, at the sides) fade into one colour: they would only shimmer
        const period = (yy * yy) / (4 * Math.abs(x - w / 2) + 1);
        const fade = Math.min(FADES - 1, Math.max(0, Math.floor((period - 2) / 2)));
        const band = Math.floor((x - w / 2) * spread) % 2 === 0 ? 0 : 1;
        i = FURROW + (band * FADES + fade) * DEPTHS + furrowDepth;
      } else if (y > near[x]!) i = built && x % 22 < 8 && y % 26 < 10 && y > near[x]! + 14 ? LIT : shade;
      else if (y > far[x]!) i = FAR;
      else if (nearSun && Math.abs(x - sunX) < glow) {
        const r = Math.hypot(x - sunX, y - sunY);
        i = r < radius ? SUN : r < radius * 1.35 ? HALO : r < glow ? HALO + 1 : sky;
      } else i = sky;
      row[x] = i;
    }
    const at = y * stride;
    out[at] = y === 0 ? 0 : 2;
    for (let x = 0; x < w; x++) out[at + 1 + x] = y === 0 ? row[x]! : (row[x]! - prev[x]!) & 0xff;
    [prev, row] = [row, prev];
  }
  return deflateSync(out);
}

// Drawings are shared by every seed in the process (tests seed many databases).
const drawings = new Map<string, Buffer>();

/** A scene as a palette PNG in a theme's colours; `variant` moves the sun and reshapes hills and skylines. */
export function scenePng(
  scene: Scene,
  theme: { primary: string; accent: string },
  variant = 0,
  width: number = IMAGE_SIZE.width,
  height: number = IMAGE_SIZE.height,
): Buffer {
  const key = `${scene}:${variant}:${width}x${height}`;
  let idat = drawings.get(key);
  if (!idat) drawings.set(key, (idat = drawIndices(scene, variant, width, height)));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit palette indices
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('PLTE', palette(scene, theme)),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function altText(scene: Scene, p: Place): string {
  switch (scene) {
    case 'hills':
      return `${p.sights[0]}远眺`;
    case 'fields':
      return p.rural ? `${p.short}田野` : `${p.short}街景`;
    case 'city':
      return `${p.short}城区`;
    case 'river':
      return p.river;
    case 'dawn':
      return `${p.short}清晨`;
    case 'dusk':
      return `${p.short}夜色`;
  }
}

/**
 * One picture per scene for a tenant (tenant scope). The province shares its
 * first picture with the whole tree, as the shared media library would.
 */
export async function createDemoImages(
  trx: Trx,
  storage: AssetStorage,
  actor: Actor,
  tenantId: string,
  t: DemoTenant,
  p: Place,
  variant: number,
  createdBy: string,
): Promise<Record<Scene, Asset>> {
  const out = {} as Record<Scene, Asset>;
  for (const [i, scene] of SCENES.entries()) {
    const shared = t.level === 'province' && i === 0;
    out[scene] = await createAsset(trx, storage, actor, {
      tenantId,
      data: scenePng(scene, t.theme, variant),
      filename: `${t.slug}-${scene}.png`,
      alt: shared ? '中原大地（示意图）' : `${altText(scene, p)}（示意图）`,
      shared,
      createdBy,
    });
  }
  return out;
}
