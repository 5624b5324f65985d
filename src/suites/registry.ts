import { batonYamlFormat } from './baton-yaml/format.js';
import { evalplusFormat } from './evalplus/index.js';
import type { SuiteFormat } from './format.js';
import { gpqaFormat } from './gpqa/index.js';
import { humanevalFormat } from './humaneval/index.js';
import { livecodebenchFormat } from './livecodebench/index.js';
import { aimeFormat, gsm8kFormat, math500Format } from './math/index.js';
import { mbppFormat } from './mbpp/index.js';
import { mmluFormat } from './mmlu/index.js';
import { mmluProFormat } from './mmlu-pro/index.js';

/**
 * One loader per file format. Order matters only for guessing a format from a file name when
 * the config names none: the first whose `matches` accepts the path wins.
 */
export const suiteFormats: readonly SuiteFormat[] = [
  batonYamlFormat,
  evalplusFormat,
  humanevalFormat,
  mbppFormat,
  gpqaFormat,
  mmluProFormat,
  mmluFormat,
  aimeFormat,
  gsm8kFormat,
  math500Format,
  livecodebenchFormat,
];
