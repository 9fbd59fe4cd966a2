/**
 * ANSI colours for the text output: only on a terminal and only when NO_COLOR is unset
 * (https://no-color.org), decided by the caller; the plain palette returns text unchanged.
 */
import type { EventCategory } from '../narrate/event-categories.ts';

export interface Palette {
  category(category: EventCategory, text: string): string;
  error(text: string): string;
  warning(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const CATEGORY_CODES: Readonly<Record<EventCategory, string>> = {
  session: '36',
  membership: '34',
  leadership: '35',
  vip: '33',
  health: '32',
  teardown: '91',
  restart: '93',
  process: '95',
  submission: '94',
  dispatch: '96',
  runner: '92',
  unknown: '90',
};

const paint = (code: string, text: string): string => `\x1b[${code}m${text}\x1b[0m`;

const PLAIN: Palette = {
  category: (_category, text) => text,
  error: (text) => text,
  warning: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

const COLOURED: Palette = {
  category: (category, text) => paint(CATEGORY_CODES[category], text),
  error: (text) => paint('1;31', text),
  warning: (text) => paint('33', text),
  dim: (text) => paint('2', text),
  bold: (text) => paint('1', text),
};

/** Colours when `enabled`, plain text otherwise. */
export function palette(enabled: boolean): Palette {
  return enabled ? COLOURED : PLAIN;
}

/** Should the text output be coloured: a terminal, and NO_COLOR unset or empty. */
export function wantsColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
