/**
 * Minimal RFC 4180 CSV: encoding of one row, and an incremental parser that keeps track of physical line
 * numbers and tells a row cut short by end of file (no closing quote) from a complete one.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * OWASP CSV injection: a cell a spreadsheet would read as a formula (=, +, -, @, tab or CR first) is
 * written with a leading apostrophe, which spreadsheets show as text; a plain number ("-12.5") is not a
 * formula and stays as it is. `decodeCsvCell` takes the apostrophe off again on import.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutraliseCsvCell(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

export function decodeCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export function encodeCsvRow(cells: readonly string[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const c = neutraliseCsvCell(cells[i] as string);
    if (i > 0) out += ',';
    out += NEEDS_QUOTES.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
  }
  return `${out}\n`;
}

export interface ParsedRow {
  cells: string[];
  /** 1-based line number where the row starts (the header is line 1). */
  line: number;
  /** True when the file ended without the row's line break. */
  unterminated: boolean;
  /** True when the file ended inside a quoted cell. */
  quoteOpen?: boolean;
}

/** Feed text chunks; complete rows come out of `push`, the rest out of `end`. */
export class CsvParser {
  private cells: string[] = [];
  private cell = '';
  private inQuotes = false;
  private quoteSeen = false;
  private line = 1;
  private rowLine = 1;
  private pendingCr = false;
  private rowHasContent = false;

  push(text: string): ParsedRow[] {
    const out: ParsedRow[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') continue;
      }
      if (this.inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            this.cell += '"';
            i++;
          } else if (i + 1 === text.length) {
            // The escape decision needs the next chunk: remember the quote and decide there.
            this.inQuotes = false;
            this.quoteSeen = true;
          } else {
            this.inQuotes = false;
          }
        } else {
          if (ch === '\n') this.line++;
          this.cell += ch;
        }
        continue;
      }
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (ch === '"') {
          this.cell += '"';
          this.inQuotes = true;
          continue;
        }
      }
      if (ch === '"') {
        this.inQuotes = true;
        this.rowHasContent = true;
      } else if (ch === ',') {
        this.cells.push(this.cell);
        this.cell = '';
        this.rowHasContent = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') this.pendingCr = true;
        this.finishRow(out, false);
        this.line++;
        this.rowLine = this.line;
      } else {
        this.cell += ch;
        this.rowHasContent = true;
      }
    }
    return out;
  }

  end(): ParsedRow[] {
    const out: ParsedRow[] = [];
    if (this.rowHasContent || this.cell !== '' || this.inQuotes) this.finishRow(out, true);
    return out;
  }

  private finishRow(out: ParsedRow[], unterminated: boolean): void {
    this.cells.push(this.cell);
    const blank = !this.rowHasContent && this.cells.length === 1 && this.cells[0] === '';
    if (!blank) out.push({ cells: this.cells, line: this.rowLine, unterminated, quoteOpen: this.inQuotes });
    this.cells = [];
    this.cell = '';
    this.inQuotes = false;
    this.rowHasContent = false;
  }
}
