/**
 * Aligned `label:  value` lines, grouped under headings, for human readers.
 */
import type { Style } from './style.js';

/** One line of a section; `undefined` values are left out. */
export type Field = readonly [label: string, value: string | undefined];

/** A heading and its fields. */
export interface Section {
  readonly title: string;
  readonly fields: readonly Field[];
}

/** Renders sections with every label padded to the widest one, so values line up. */
export function renderSections(sections: readonly Section[], style: Style): string {
  const present = sections.map((section) => ({
    title: section.title,
    fields: section.fields.filter((field): field is readonly [string, string] => field[1] !== undefined),
  }));
  const width = Math.max(0, ...present.flatMap((section) => section.fields.map(([label]) => label.length + 1)));
  const lines: string[] = [];
  for (const section of present) {
    if (section.fields.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(style.bold(section.title));
    for (const [label, value] of section.fields) {
      lines.push(`  ${style.dim(`${label}:`.padEnd(width))}  ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
