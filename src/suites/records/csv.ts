import type { ProblemLog, SourceRecord } from './problems.js';
import { readSuiteText } from './read-file.js';

/**
 * Records of a CSV file with a header row (RFC 4180: quoted fields may hold commas, doubled
 * quotes and newlines, as GPQA's questions do). Each record is an object keyed by the header and
 * carries the line its row starts on. A row with the wrong number of fields is logged and skipped.
 */
export function readCsvRecords(file: string, log: ProblemLog): SourceRecord[] {
  const rows = parseCsv(readSuiteText(file).replace(/^\uFEFF/, ''));
  const header = rows[0];
  if (!header) {
    log.add({ file, line: 1, col: 1, field: '', message: 'empty CSV file (no header row)' });
    return [];
  }
  const records: SourceRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.fields.length === 1 && row.fields[0] === '') continue; // blank line
    if (row.fields.length !== header.fields.length) {
      log.add({
        file,
        line: row.line,
        col: 1,
        field: '',
        message: `${row.fields.length} fields where the header has ${header.fields.length}`,
      });
      continue;
    }
    const value = Object.fromEntries(header.fields.map((name, i) => [name, row.fields[i]]));
    records.push({ file, line: row.line, value });
  }
  return records;
}

interface CsvRow {
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}
