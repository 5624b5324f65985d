import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PickleError, unpickleString } from '../../src/suites/livecodebench/pickle.js';
import { fixture } from './helpers.js';

/** Written by Python's own pickle.dumps (test/fixtures/suites/make-fixtures.py). */
const pickled = JSON.parse(readFileSync(fixture('pickled-strings.json'), 'utf8')) as Record<
  string,
  { parts: [string, number][]; zlibBase64: string }
>;

describe('minimal pickle reader', () => {
  it.each(Object.entries(pickled))('reads the str Python pickled as %s', (_name, entry) => {
    const bytes = inflateSync(Buffer.from(entry.zlibBase64, 'base64'));
    expect(unpickleString(bytes)).toBe(entry.parts.map(([chunk, times]) => chunk.repeat(times)).join(''));
  });

  it('covers protocols 2 to 5 and the three string sizes', () => {
    expect(Object.keys(pickled).sort()).toEqual(
      [2, 3, 4, 5].flatMap((p) => ['huge', 'long', 'short'].map((s) => `p${p}-${s}`)).sort(),
    );
  });

  it('reads BINUNICODE8, which Python only writes for strings over 4 GiB', () => {
    const text = Buffer.from('big');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(text.length));
    const bytes = Buffer.concat([Buffer.from([0x80, 0x05, 0x8d]), length, text, Buffer.from([0x94, 0x2e])]);
    expect(unpickleString(bytes)).toBe('big');
  });

  it('refuses any other opcode instead of executing it', () => {
    // pickle.dumps(os.system) style payload: GLOBAL opcode 'c'.
    const evil = Buffer.from('cos\nsystem\n(S"echo hi"\ntR.', 'latin1');
    expect(() => unpickleString(evil)).toThrow(PickleError);
    expect(() => unpickleString(evil)).toThrow(/unsupported pickle opcode 0x63/);
  });

  it('refuses truncated data and a missing STOP', () => {
    expect(() => unpickleString(Buffer.from([0x80, 0x04, 0x8c, 0x05, 0x61]))).toThrow(/truncated/);
    expect(() => unpickleString(Buffer.from([0x80, 0x04, 0x8c, 0x01, 0x61]))).toThrow(/without STOP/);
  });
});
