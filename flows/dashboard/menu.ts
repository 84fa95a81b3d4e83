import type { Button } from '../shared/protocol.js';
import { button } from '../shared/say.js';

/** A dashboard entry: the flow it starts, its label, and who sees it. */
export interface MenuItem {
  flow: string;
  label: string;
  audience: 'guest' | 'member' | 'all';
  order: number;
}

/** Entries the root machine answers itself (`do:` values): help, language, log out. */
const BUILT_IN: MenuItem[] = [
  { flow: 'do:help', label: 'menu-help', audience: 'all', order: 95 },
  { flow: 'do:language', label: 'menu-language', audience: 'all', order: 96 },
  { flow: 'do:logout', label: 'menu-logout', audience: 'member', order: 99 },
];

/** The value a dashboard button carries. */
export function startFlowValue(flow: string): string {
  return `flow:${flow}`;
}

/** Builds the dashboard's buttons, two per row, for a guest or a logged-in member. */
export function menuButtons(items: readonly MenuItem[], loggedIn: boolean): Button[][] {
  const visible = [...items, ...BUILT_IN]
    .filter((i) => i.audience === 'all' || (loggedIn ? i.audience === 'member' : i.audience === 'guest'))
    .sort((a, b) => a.order - b.order);
  const rows: Button[][] = [];
  for (let i = 0; i < visible.length; i += 2) {
    rows.push(visible.slice(i, i + 2).map((item) => button(item.label, item.flow.startsWith('do:') ? item.flow : startFlowValue(item.flow))));
  }
  return rows;
}
