import { type AnswerForm, cleanSurface, readForm, statedUnit } from './answer-form.js';
import {
  type ExpressionCache,
  isComparableExpression,
  MAX_EXPRESSION_LENGTH,
  sameExpression,
} from './expression.js';

/**
 * The `equivalent` mode: two answers are the same when a careful human grader would say so —
 * the same value however written (symbolic and exact, expression.ts), the same set in any order,
 * the same interval or tuple with the same brackets, the same choice letter however decorated,
 * the same words in any case. Units written in words and `\text{}` are ignored; a bare letter is a
 * variable, so `2m` is not `2`. Symmetric, so votes can use it too.
 */
export function sameEquivalent(a: string, b: string): boolean {
  if (a === b) return a.trim() !== '';
  // No gold answer is this long: such an answer only matches the same text (and costs no parsing).
  if (a.length > 4 * MAX_EXPRESSION_LENGTH || b.length > 4 * MAX_EXPRESSION_LENGTH)
    return compact(a) === compact(b);
  // Units are dropped from both sides, so two different stated units must be caught first.
  const ua = statedUnit(a);
  const ub = statedUnit(b);
  if (ua !== null && ub !== null && ua !== ub) return false;
  const ca = cleanSurface(a);
  const cb = cleanSurface(b);
  if (ca === '' || cb === '') return false;
  if (ca.length > MAX_EXPRESSION_LENGTH || cb.length > MAX_EXPRESSION_LENGTH)
    return compact(ca) === compact(cb);
  return sameForm(readForm(ca), readForm(cb), new Map());
}

/**
 * The parts of an answer key that this mode can only compare as text (the maths engine cannot read
 * them, or they are past its bounds): each then matches only the same spelling, so `0.5` would not be
 * `\frac12`. Empty when every value in the answer is compared by value (words and letters are text by
 * design). `baton suites verify` lists a key with such parts.
 */
export function textOnlyParts(answer: string): string[] {
  const cleaned = cleanSurface(answer);
  if (cleaned === '') return [answer];
  if (answer.length > 4 * MAX_EXPRESSION_LENGTH || cleaned.length > MAX_EXPRESSION_LENGTH) return [cleaned];
  const parts: string[] = [];
  const visit = (form: AnswerForm): void => {
    switch (form.kind) {
      case 'expression':
        if (!isComparableExpression(form.latex)) parts.push(form.latex);
        return;
      case 'sequence':
      case 'set':
        form.items.forEach(visit);
        return;
      case 'matrix':
        for (const row of form.rows) row.forEach(visit);
        return;
      case 'choice':
      case 'words':
        return;
    }
  };
  visit(readForm(cleaned));
  return parts;
}

function sameForm(a: AnswerForm, b: AnswerForm, cache: ExpressionCache): boolean {
  switch (a.kind) {
    case 'choice':
      return b.kind === 'choice' && a.letter === b.letter;
    case 'words':
      return b.kind === 'words' && a.text === b.text;
    case 'expression':
      return (
        b.kind === 'expression' &&
        (a.name === undefined || b.name === undefined || a.name === b.name) &&
        sameScalar(a.latex, b.latex, cache)
      );
    case 'sequence':
      return (
        b.kind === 'sequence' &&
        a.open === b.open &&
        a.close === b.close &&
        a.items.length === b.items.length &&
        a.items.every((x, i) => sameForm(x, b.items[i] as AnswerForm, cache))
      );
    case 'set':
      return b.kind === 'set' && sameMultiset(a.items, b.items, cache);
    case 'matrix':
      return (
        b.kind === 'matrix' &&
        a.rows.length === b.rows.length &&
        a.rows.every(
          (row, i) =>
            row.length === b.rows[i]?.length &&
            row.every((x, j) => sameForm(x, b.rows[i]?.[j] as AnswerForm, cache)),
        )
      );
  }
}

function sameMultiset(a: AnswerForm[], b: AnswerForm[], cache: ExpressionCache): boolean {
  if (a.length !== b.length) return false;
  const unmatched = [...b];
  for (const x of a) {
    const j = unmatched.findIndex((y) => sameForm(x, y, cache));
    if (j < 0) return false;
    unmatched.splice(j, 1);
  }
  return true;
}

function sameScalar(a: string, b: string, cache: ExpressionCache): boolean {
  if (a === '' || b === '') return false;
  if (compact(a) === compact(b)) return true;
  return sameExpression(a, b, cache) === true;
}

function compact(s: string): string {
  return s.replace(/\s+/g, '');
}
