/**
 * The Teams app icons, drawn in code so they can be regenerated and checked: a plum rounded square
 * with a white "H" and a pink "2" (color.png, 192×192), and the same "H2" mark in white on
 * transparent (outline.png, 32×32).
 *
 *   tsx src/teams-package/icons.ts      # rewrites appPackage/color.png and appPackage/outline.png
 *
 * Shapes are tested point by point and each pixel is 4×4 supersampled, so the edges are anti-aliased
 * and the output is the same on every machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { projectPath } from '../util/project-root.ts';

export const APP_PACKAGE_DIR = projectPath('appPackage');
export const COLOR_ICON = { file: 'color.png', size: 192 } as const;
export const OUTLINE_ICON = { file: 'outline.png', size: 32 } as const;
/** The manifest's accentColor: the middle of the color icon's background gradient. */
export const ACCENT_COLOR = '#8e2a63';

type Rgb = readonly [number, number, number];
/** Inside test in the unit square (x right, y down). */
type Shape = (x: number, y: number) => boolean;

const TOP: Rgb = [0xa8, 0x34, 0x74];
const BOTTOM: Rgb = [0x74, 0x20, 0x52];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const PINK: Rgb = [0xff, 0xb8, 0xd6];
const SAMPLES = 4;

function capsule(ax: number, ay: number, bx: number, by: number, half: number): Shape {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= half;
  };
}

/** A stroked circular arc from angle `from` to `to` (degrees, clockwise on screen), with round ends. */
function arc(cx: number, cy: number, r: number, from: number, to: number, half: number): Shape {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const end = (deg: number) => [cx + r * Math.cos(rad(deg)), cy + r * Math.sin(rad(deg))] as const;
  const [sx, sy] = end(from);
  const [ex, ey] = end(to);
  return (x, y) => {
    const angle = (Math.atan2(y - cy, x - cx) * 180) / Math.PI;
    const swept = (((angle - from) % 360) + 360) % 360;
    if (swept <= to - from) return Math.abs(Math.hypot(x - cx, y - cy) - r) <= half;
    return Math.hypot(x - sx, y - sy) <= half || Math.hypot(x - ex, y - ey) <= half;
  };
}

function roundedSquare(radius: number): Shape {
  return (x, y) => {
    const qx = Math.abs(x - 0.5) - (0.5 - radius);
    const qy = Math.abs(y - 0.5) - (0.5 - radius);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) <= radius;
  };
}

/**
 * The "H2" mark in a 1 × 0.8 glyph box, placed at (left, top) and scaled to `width` of the canvas.
 * The "2" is an arc over the top, a diagonal and a base bar, all in one stroke width.
 */
function mark(left: number, top: number, width: number): { h: Shape; two: Shape } {
  const half = 0.065;
  const place =
    (shape: Shape): Shape =>
    (x, y) =>
      shape((x - left) / width, (y - top) / width);
  const anyOf =
    (...shapes: Shape[]): Shape =>
    (x, y) =>
      shapes.some((s) => s(x, y));
  const h = anyOf(
    capsule(0.07, 0.07, 0.07, 0.73, half),
    capsule(0.4, 0.07, 0.4, 0.73, half),
    capsule(0.07, 0.4, 0.4, 0.4, half),
  );
  const two = anyOf(
    arc(0.745, 0.25, 0.18, 200, 390, half),
    capsule(0.901, 0.34, 0.575, 0.73, half),
    capsule(0.575, 0.73, 0.93, 0.73, half),
  );
  return { h: place(h), two: place(two) };
}

/** Paints layers back to front, each a shape and a colour (or a colour per row), with "over" blending. */
function paint(size: number, layers: { shape: Shape; color: (y: number) => Rgb }[]): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied accumulation, averaged over the sub-samples.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let sample: [number, number, number, number] = [0, 0, 0, 0];
          for (const layer of layers) {
            if (layer.shape(x, y)) sample = [...layer.color(y), 1];
          }
          r += sample[0] * sample[3];
          g += sample[1] * sample[3];
          b += sample[2] * sample[3];
          a += sample[3];
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a === 0 ? 255 : Math.round(r / a);
      png.data[i + 1] = a === 0 ? 255 : Math.round(g / a);
      png.data[i + 2] = a === 0 ? 255 : Math.round(b / a);
      png.data[i + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return png;
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb =>
  [0, 1, 2].map((k) => Math.round(from[k]! + (to[k]! - from[k]!) * t)) as unknown as Rgb;

/** 192×192: the mark sits in the central 96 px, as Teams' icon guidelines ask. */
export function renderColorIcon(): PNG {
  const { h, two } = mark(0.25, 0.3, 0.5);
  return paint(COLOR_ICON.size, [
    { shape: roundedSquare(0.22), color: (y) => mix(TOP, BOTTOM, y) },
    { shape: h, color: () => WHITE },
    { shape: two, color: () => PINK },
  ]);
}

/** 32×32: white on transparent, the mark filling the icon (2 px margin). */
export function renderOutlineIcon(): PNG {
  const { h, two } = mark(0.0625, 0.15, 0.875);
  return paint(OUTLINE_ICON.size, [
    { shape: h, color: () => WHITE },
    { shape: two, color: () => WHITE },
  ]);
}

/** Width and height from a PNG's IHDR chunk, or undefined if the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  if (Buffer.from(bytes.subarray(12, 16)).toString('latin1') !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function encodePng(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}

/** Writes both icons into `dir` (appPackage/ by default) and returns their paths. */
export function writeIcons(dir: string = APP_PACKAGE_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [icon, render] of [
    [COLOR_ICON, renderColorIcon],
    [OUTLINE_ICON, renderOutlineIcon],
  ] as const) {
    const path = resolve(dir, icon.file);
    writeFileSync(path, encodePng(render()));
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of writeIcons()) process.stdout.write(`wrote ${path}\n`);
}
