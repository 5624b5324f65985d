/** A problem in a file the user wrote (config, suite): reported as file:line:col, exit code 2, no stack. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: InputProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'InputError';
  }
}

export interface InputProblem {
  line: number;
  col: number;
  /** Dotted field path such as `pool[2].price.input`; empty for syntax errors. */
  field: string;
  message: string;
}

function formatProblem(file: string, p: InputProblem): string {
  const where = `${file}:${p.line}:${p.col}`;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** Bad command-line usage or a missing file: exit code 2 like InputError. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
