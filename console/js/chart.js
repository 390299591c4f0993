// Hand-drawn SVG bar charts. Every bar carries its value as visible text (so the numbers are read, not
// estimated from lengths) and as an accessible name (<title> and aria-label), and the chart is a list
// of bars for screen readers. A bar without a value (an undefined ratio) shows why instead.
import { h, s } from './dom.js';

const LABEL_WIDTH = 190;
const VALUE_WIDTH = 120;
const WIDTH = 600;
const ROW = 30;
const BAR = 18;

/**
 * @param {{ id: string, title: string, bars: { key: string, label: string, value: number | null,
 *   display: string, exact?: string, tone?: string }[] }} chart
 *   `value` only sets the bar's length; `display` is what is written; `exact` is kept in data-value.
 */
export function barChart({ id, title, bars }) {
  const max = Math.max(0, ...bars.map((b) => (b.value === null ? 0 : Math.abs(b.value))));
  const area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, bars.length) * ROW + 8;
  const svg = s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'list',
      'aria-label': title,
      preserveAspectRatio: 'xMinYMin meet',
    },
    bars.map((bar, i) => {
      const y = 4 + i * ROW;
      const length = bar.value === null || max === 0 ? 0 : Math.max(2, (Math.abs(bar.value) / max) * area);
      const name = `${bar.label}: ${bar.display}`;
      return s(
        'g',
        {
          class: `bar tone-${bar.tone ?? 'primary'}${bar.value === null ? ' undefined' : ''}`,
          role: 'listitem',
          'aria-label': name,
          dataset: { key: bar.key, value: bar.exact ?? (bar.value === null ? '' : String(bar.value)) },
        },
        s('title', {}, name),
        s(
          'text',
          {
            class: 'bar-label',
            x: LABEL_WIDTH - 10,
            y: y + BAR / 2,
            'text-anchor': 'end',
            'dominant-baseline': 'central',
          },
          bar.label,
        ),
        s('rect', { class: 'bar-track', x: LABEL_WIDTH, y, width: area, height: BAR, rx: 3 }),
        length > 0
          ? s('rect', { class: 'bar-fill', x: LABEL_WIDTH, y, width: length, height: BAR, rx: 3 })
          : null,
        s(
          'text',
          { class: 'bar-value', x: LABEL_WIDTH + length + 8, y: y + BAR / 2, 'dominant-baseline': 'central' },
          bar.display,
        ),
      );
    }),
  );
  return h('figure', { class: 'chart-figure', id }, h('figcaption', {}, title), svg);
}
