import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { formatMoney, type MoneyLang } from '../../domain/money/index.js';

/** One currency's days: money in and out each day, and the balance at each day's end (minor units). */
export interface ChartSeries {
  currency: string;
  days: { day: string; in: bigint; out: bigint; balance: bigint }[];
}

/** What the chart shows: a title, and one panel per currency. */
export interface ChartData {
  title: string;
  legend: { balance: string; in: string; out: string };
  series: ChartSeries[];
}

const require = createRequire(import.meta.url);

/**
 * The fonts resvg draws text with, shipped from npm (no system fonts, so a picture looks the same on
 * every machine): DejaVu Sans for Latin, Noto Sans JP for Japanese.
 */
export const CHART_FONTS = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf')];

const W = 800;
const PANEL = 230;
const TOP = 56;
const LEFT = 96;
const RIGHT = 24;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Numbers for geometry only: pixel positions, never money arithmetic. */
const n = (v: bigint) => Number(v);

function panel(s: ChartSeries, y0: number, lang: MoneyLang, legend: ChartData['legend']): string {
  const h = PANEL - 70;
  const plotW = W - LEFT - RIGHT;
  const maxBar = Math.max(1, ...s.days.map((d) => Math.max(n(d.in), n(d.out))));
  const balances = s.days.map((d) => n(d.balance));
  const maxBal = Math.max(1, ...balances);
  const minBal = Math.min(0, ...balances);
  const step = plotW / Math.max(1, s.days.length);
  const barW = Math.max(1, Math.min(18, step / 2 - 1));
  const base = y0 + 24 + h;
  const out: string[] = [];
  out.push(`<text x="${LEFT}" y="${y0 + 14}" font-size="15" font-weight="bold">${esc(s.currency)}</text>`);
  out.push(`<line x1="${LEFT}" y1="${base}" x2="${W - RIGHT}" y2="${base}" stroke="#888" stroke-width="1"/>`);
  s.days.forEach((d, i) => {
    const x = LEFT + i * step + step / 2;
    const hin = (n(d.in) / maxBar) * h;
    const hout = (n(d.out) / maxBar) * h;
    if (hin > 0) out.push(`<rect x="${(x - barW).toFixed(1)}" y="${(base - hin).toFixed(1)}" width="${barW.toFixed(1)}" height="${hin.toFixed(1)}" fill="#2e9d5b"/>`);
    if (hout > 0) out.push(`<rect x="${x.toFixed(1)}" y="${(base - hout).toFixed(1)}" width="${barW.toFixed(1)}" height="${hout.toFixed(1)}" fill="#d0493f"/>`);
  });
  const yBal = (v: number) => base - ((v - minBal) / (maxBal - minBal || 1)) * h;
  const points = s.days.map((d, i) => `${(LEFT + i * step + step / 2).toFixed(1)},${yBal(n(d.balance)).toFixed(1)}`).join(' ');
  if (s.days.length) out.push(`<polyline points="${points}" fill="none" stroke="#2a5bd7" stroke-width="2.5"/>`);
  const last = s.days.at(-1);
  out.push(`<text x="${LEFT - 8}" y="${y0 + 30}" font-size="11" text-anchor="end">${esc(formatMoney(BigInt(Math.round(maxBar)), s.currency, lang))}</text>`);
  out.push(`<text x="${LEFT - 8}" y="${base}" font-size="11" text-anchor="end">0</text>`);
  if (s.days.length) {
    out.push(`<text x="${LEFT}" y="${base + 16}" font-size="11">${esc(s.days[0]!.day)}</text>`);
    out.push(`<text x="${W - RIGHT}" y="${base + 16}" font-size="11" text-anchor="end">${esc(last!.day)}</text>`);
  }
  const lx = LEFT + 120;
  out.push(`<rect x="${lx}" y="${y0 + 4}" width="12" height="12" fill="#2a5bd7"/><text x="${lx + 16}" y="${y0 + 14}" font-size="12">${esc(legend.balance)}: ${esc(last ? formatMoney(last.balance, s.currency, lang) : '')}</text>`);
  out.push(`<rect x="${lx + 260}" y="${y0 + 4}" width="12" height="12" fill="#2e9d5b"/><text x="${lx + 276}" y="${y0 + 14}" font-size="12">${esc(legend.in)}</text>`);
  out.push(`<rect x="${lx + 360}" y="${y0 + 4}" width="12" height="12" fill="#d0493f"/><text x="${lx + 376}" y="${y0 + 14}" font-size="12">${esc(legend.out)}</text>`);
  return out.join('');
}

/** The chart as SVG (its text escaped; fonts named so resvg finds the shipped ones). */
export function chartSvg(data: ChartData, lang: MoneyLang): string {
  const height = TOP + Math.max(1, data.series.length) * PANEL;
  const panels = data.series.map((s, i) => panel(s, TOP + i * PANEL, lang, data.legend)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans, Noto Sans JP" fill="#222">`
    + `<text x="${LEFT}" y="32" font-size="18" font-weight="bold">${esc(data.title)}</text>${panels}</svg>`;
}

/** Draws the period's balance and daily in/out per currency as a PNG, offline, with the shipped fonts. */
export function drawChart(data: ChartData, lang: MoneyLang): Buffer {
  const resvg = new Resvg(chartSvg(data, lang), { background: '#ffffff', font: { fontFiles: CHART_FONTS, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
  return Buffer.from(resvg.render().asPng());
}
