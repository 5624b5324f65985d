import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/util/suggest.js';

describe('closest known name', () => {
  it('suggests a name a typo or a swapped pair away, case ignored', () => {
    expect(closestName('modle', ['id', 'model', 'provider'])).toBe('model');
    expect(closestName('baseurl', ['baseUrl', 'model'])).toBe('baseUrl');
    expect(closestName('opnai', ['openai', 'anthropic', 'sim'])).toBe('openai');
    expect(didYouMean('concurency', ['concurrency', 'seed'])).toBe(" — did you mean 'concurrency'?");
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('xy', ['ab', 'model'])).toBeUndefined();
    expect(closestName('temperature', ['id', 'model'])).toBeUndefined();
    expect(didYouMean('zzz', [])).toBe('');
  });
});
