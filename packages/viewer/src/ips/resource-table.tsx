import { useState } from 'preact/hooks';
import { usePrintMode } from '../documents/print-mode.js';
import { CODED_COLUMNS, nameCodes } from '../i18n/name-code.js';
import { useMessages } from '../i18n/select-messages.js';
import { GenericResource } from '../render/generic-view.js';
import type { ResourceTable as TableModel } from './document-model.js';
import type { Row } from './row.js';

/** Rows shown at first, and added per click: keeps a 374-result section from building thousands of nodes. */
export const FIRST_ROWS = 50;
const MORE_ROWS = 200;

/**
 * One table per resource type in a section. On narrow screens the CSS turns each row into a card and uses
 * `data-label` for the column names.
 */
export const ResourceTable = ({ table }: { table: TableModel }) => {
  const t = useMessages();
  const [shown, setShown] = useState(FIRST_ROWS);
  const rows = usePrintMode() ? table.rows : table.rows.slice(0, shown);
  const hidden = table.rows.length - rows.length;
  return (
    <div class="table-wrap">
      <table class="resource-table" data-resource-type={table.resourceType}>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column} scope="col">
                {t.ips.columns[column]}
              </th>
            ))}
            <th scope="col" class="no-print">
              <span class="visually-hidden">{t.ips.rowDetails}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <TableRow key={index} row={row} columns={table.columns} depth={0} />
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <button type="button" class="show-more no-print" onClick={() => setShown(shown + MORE_ROWS)}>
          {t.ips.showMore(Math.min(hidden, MORE_ROWS))}
        </button>
      )}
    </div>
  );
};

/** Indentation steps the style sheet draws; deeper rows keep the last step. */
const DEEPEST_STYLED = 6;

/**
 * A row, then, when the reader asks, the whole resource in a full-width row below it (built only then: most
 * rows are never expanded), then what is grouped under it (components, a report's results, a panel's
 * members), indented one step per level.
 */
const TableRow = ({ row, columns, depth }: { row: Row; columns: TableModel['columns']; depth: number }) => {
  const t = useMessages();
  const [open, setOpen] = useState(false);
  const classes = [
    row.flag ? `flag-${row.flag}` : '',
    depth > 0 ? `nested depth-${Math.min(depth, DEEPEST_STYLED)}` : '',
    row.component ? 'component' : '',
    row.children && row.children.length > 0 ? 'panel' : '',
  ].filter(Boolean);
  return (
    <>
      <tr class={classes.length > 0 ? classes.join(' ') : undefined} data-depth={depth}>
        <Cells row={row} columns={columns} />
        <td class="row-details no-print">
          {!row.component && (
            <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {t.ips.rowDetails}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr class="details-row">
          <td colSpan={columns.length + 1}>
            <GenericResource resource={row.resource} />
          </td>
        </tr>
      )}
      {row.children?.map((child, index) => (
        <TableRow key={index} row={child} columns={columns} depth={depth + 1} />
      ))}
    </>
  );
};

const Cells = ({ row, columns }: { row: Row; columns: TableModel['columns'] }) => {
  const t = useMessages();
  return (
    <>
      {columns.map((column) => (
        <td key={column} data-label={t.ips.columns[column]} data-column={column}>
          {CODED_COLUMNS.has(column) ? nameCodes(row.cells[column] ?? '', t) : row.cells[column]}
          {column === 'value' && row.flag && row.flag !== 'normal' && (
            <span class={`flag-badge flag-badge-${row.flag}`}>{t.ips.flags[row.flag]}</span>
          )}
          {row.secondary?.[column] && <span class="cell-secondary">{row.secondary[column]}</span>}
        </td>
      ))}
    </>
  );
};
