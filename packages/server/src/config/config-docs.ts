import { type Setting, SETTINGS } from './settings.js';

/** The Markdown files, from the repository root, that hold the configuration table. */
export const CONFIG_DOCS_FILES = ['README.md', 'packages/server/README.md'];

export const CONFIG_DOCS_START = '<!-- config:start -->';
export const CONFIG_DOCS_END = '<!-- config:end -->';
const GENERATED_NOTE =
  '<!-- Generated from packages/server/src/config/config.schema.ts: edit the schema, then run `npm run docs:config`. -->';

const HEADER = ['variable', 'default', 'accepts', 'secret', 'meaning'];

const row = (setting: Setting): string[] => [
  `\`${setting.env}\``,
  setting.default === undefined ? (setting.unset ?? 'unset') : `\`${String(setting.default)}\``,
  setting.expects,
  setting.secret ? 'yes' : '',
  setting.description,
];

/**
 * The configuration table in Markdown, one row per setting, aligned the way Prettier aligns tables so the
 * README passes `prettier --check` as generated.
 */
export const renderConfigTable = (settings: readonly Setting[] = SETTINGS): string => {
  const rows = [HEADER, ...settings.map(row)].map((cells) =>
    cells.map((cell) => cell.replaceAll('|', '\\|')),
  );
  const widths = HEADER.map((_, column) => Math.max(3, ...rows.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  const [header = HEADER, ...body] = rows;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
};

/**
 * `markdown` with the part between the config markers replaced by the generated table. Throws when the
 * markers are missing, so a README that lost them is noticed instead of silently left stale.
 */
export const replaceConfigTable = (markdown: string, table: string = renderConfigTable()): string => {
  const start = markdown.indexOf(CONFIG_DOCS_START);
  const end = markdown.indexOf(CONFIG_DOCS_END);
  if (start === -1 || end < start) {
    throw new Error(`the configuration table needs the markers ${CONFIG_DOCS_START} and ${CONFIG_DOCS_END}`);
  }
  const generated = [CONFIG_DOCS_START, GENERATED_NOTE, '', table, '', CONFIG_DOCS_END].join('\n');
  return markdown.slice(0, start) + generated + markdown.slice(end + CONFIG_DOCS_END.length);
};
