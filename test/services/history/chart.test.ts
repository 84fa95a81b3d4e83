import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_FONTS, chartSvg, drawChart, type ChartData } from '../../../src/services/history/chart.js';

const data = (title: string): ChartData => ({
  title,
  legend: { balance: 'Balance', in: 'In', out: 'Out' },
  series: [{ currency: 'JPY', days: [{ day: '11/01', in: 5000n, out: 0n, balance: 5000n }, { day: '11/02', in: 0n, out: 1200n, balance: 3800n }] }],
});

/** Dark pixels in the title's band (y 10–40) when drawn with the shipped fonts only. */
function titleInk(title: string): number {
  const r = new Resvg(chartSvg(data(title), 'en'), { background: '#ffffff', font: { fontFiles: CHART_FONTS, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
  const pixels = r.pixels; // a copy each time it is read
  let ink = 0;
  for (let y = 10; y < 40; y++) for (let x = 0; x < r.width; x++) if (pixels[(y * r.width + x) * 4]! < 128) ink++;
  return ink;
}

describe('history chart', () => {
  it('draws Latin and Japanese text with the fonts shipped from npm (no system fonts)', () => {
    expect(titleInk('')).toBe(0);
    expect(titleInk('Balance 11/01/2026 - 11/30/2026')).toBeGreaterThan(200);
    expect(titleInk('残高と日ごとの入出金')).toBeGreaterThan(200);
  });

  it('escapes text in the SVG and draws one panel a currency', () => {
    const svg = chartSvg({ ...data('<Tom & Jerry>'), series: [...data('').series, { currency: 'USD', days: [] }] }, 'en');
    expect(svg).toContain('&lt;Tom &amp; Jerry&gt;');
    expect(drawChart(data('x'), 'en').readUInt32BE(20)).toBe(56 + 230);
  });
});
