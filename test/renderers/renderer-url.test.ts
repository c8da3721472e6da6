import { describe, expect, it } from 'vitest';
import { parseRendererUrl } from '../../src/renderers/renderer-url.js';
import { stringifyWithBigIntegers } from '../../src/renderers/json-with-big-integers.js';

describe('parseRendererUrl', () => {
  it('normalises http(s) URLs and keeps a path prefix', () => {
    expect(parseRendererUrl(' http://127.0.0.1:8188/ ')).toEqual({ url: 'http://127.0.0.1:8188' });
    expect(parseRendererUrl('https://gpu.example.com/comfy/')).toEqual({ url: 'https://gpu.example.com/comfy' });
  });

  it('names what is wrong with anything else', () => {
    expect(parseRendererUrl('file:///etc/passwd')).toEqual({ problem: 'must start with http:// or https://' });
    expect(parseRendererUrl('javascript:alert(1)')).toEqual({ problem: 'must start with http:// or https://' });
    expect(parseRendererUrl('http://user:secret@127.0.0.1:7860')).toMatchObject({ problem: expect.stringMatching(/user name or password/) });
    expect(parseRendererUrl('http://127.0.0.1:7860/?next=x')).toMatchObject({ problem: expect.stringMatching(/query/) });
    expect(parseRendererUrl('127.0.0.1:8188')).toMatchObject({ problem: expect.stringMatching(/http/) });
    expect(parseRendererUrl('')).toEqual({ problem: 'is empty' });
  });
});

describe('stringifyWithBigIntegers', () => {
  it('writes bigints as integers and leaves look-alike strings alone', () => {
    expect(stringifyWithBigIntegers({ seed: 18446744073709551615n, note: '@bigint-x:1' })).toBe('{"seed":18446744073709551615,"note":"@bigint-x:1"}');
  });
});
