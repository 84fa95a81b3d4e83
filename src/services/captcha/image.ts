import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

// svg-captcha's default export (draw a given text) is missing from its typings; `create` would pick
// the text itself with Math.random, which we do not want for a security check.
const drawSvg = createRequire(import.meta.url)('svg-captcha') as (text: string, options: Record<string, unknown>) => string;

/**
 * Characters a CAPTCHA may use: no 0/O/o, 1/l/I/i, and no lower-case letters that look like their
 * capitals (c k p s u v w x z), because the answer is case-sensitive.
 */
export const CAPTCHA_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabdefghjmnqrty23456789';

/** How many characters a CAPTCHA shows. */
export const CAPTCHA_LENGTH = 5;

const WIDTH = 200;
const HEIGHT = 64;
/** Terminal columns of the console rendering; each character cell covers 1×2 sub-pixels. */
const TERMINAL_COLS = 72;

/** A drawn CAPTCHA: the PNG a chat shows and the same characters drawn with block characters. */
export interface CaptchaImage {
  png: Buffer;
  terminal: string;
}

/** A random CAPTCHA text from {@link CAPTCHA_CHARS}, using the crypto RNG. */
export function randomCaptchaText(length = CAPTCHA_LENGTH): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CAPTCHA_CHARS[randomInt(CAPTCHA_CHARS.length)];
  return s;
}

/** Draws `text` as a distorted CAPTCHA: a PNG (svg-captcha rendered by resvg) and a terminal picture. */
export function drawCaptcha(text: string): CaptchaImage {
  const svg = drawSvg(text, { width: WIDTH, height: HEIGHT, fontSize: 64, noise: 3, color: false });
  const png = Buffer.from(new Resvg(svg, { background: '#ffffff' }).render().asPng());
  // The noise curves (unfilled paths) blur into smudges at terminal resolution; the letters stay.
  const clean = new Resvg(svg.replace(/<path[^>]*fill="none"\/>/g, ''), { background: '#ffffff' }).render();
  return { png, terminal: toBlocks(clean.pixels, clean.width, clean.height) };
}

/**
 * Downsamples RGBA pixels to half-block characters (▀ ▄ █): a cell half is ink when a quarter of
 * its pixels are dark. Blank rows at the top and bottom are dropped.
 */
export function toBlocks(pixels: Uint8Array, width: number, height: number, cols = TERMINAL_COLS): string {
  const cellW = width / cols;
  const halfH = cellW; // terminal cells are about twice as tall as wide
  const rows = Math.ceil(height / (halfH * 2));
  const ink = (x0: number, y0: number): boolean => {
    let dark = 0;
    let n = 0;
    for (let y = Math.floor(y0); y < Math.min(height, Math.floor(y0 + halfH)); y++) {
      for (let x = Math.floor(x0); x < Math.min(width, Math.floor(x0 + cellW)); x++) {
        const i = (y * width + x) * 4;
        const lum = pixels[i]! * 0.299 + pixels[i + 1]! * 0.587 + pixels[i + 2]! * 0.114;
        if (lum < 128) dark++;
        n++;
      }
    }
    return n > 0 && dark / n > 0.25;
  };
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const top = ink(c * cellW, r * halfH * 2);
      const bottom = ink(c * cellW, r * halfH * 2 + halfH);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line.trimEnd());
  }
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
