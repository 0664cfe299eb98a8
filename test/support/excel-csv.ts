/**
 * A CSV reader that types cells as Excel does when it opens a .csv by a double click (the rules that matter for
 * our export): a cell that reads as a number becomes a number (leading zeros dropped, at most 15 significant
 * digits, 12 or more digits shown in scientific notation); a cell ="…" is a formula whose value is the text
 * inside; anything else is text. Returns what the cell shows.
 */
import { parse } from 'csv-parse/sync';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TEXT_FORMULA = /^="((?:[^"]|"")*)"$/;

/** What Excel shows for one raw CSV cell (General format, column of default width). */
export function excelShows(raw: string): string {
  const formula = TEXT_FORMULA.exec(raw);
  if (formula) return formula[1]!.replace(/""/g, '"');
  if (NUMBER.test(raw.trim())) {
    const n = Number(Number(raw.trim()).toPrecision(15));
    const digits = String(Math.trunc(Math.abs(n))).length;
    return digits >= 12 ? n.toExponential(2).replace('e+', 'E+') : String(n);
  }
  return raw;
}

/** Rows of the CSV (BOM removed) as objects by header, each cell as Excel shows it. */
export function readAsExcel(csv: Buffer | string): Record<string, string>[] {
  const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, excelShows(v)])));
}
