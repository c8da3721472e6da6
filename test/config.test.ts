import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: path.resolve('data/sweetspot.db'),
      dataDir: path.resolve('data'),
      token: null,
      allowedHosts: [],
      trustProxy: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', SWEETSPOT_DB: '/tmp/x.db', SWEETSPOT_DATA_DIR: '/tmp/d', SWEETSPOT_TOKEN: 'a-long-enough-token' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', database: '/tmp/x.db', dataDir: '/tmp/d', token: 'a-long-enough-token' });
  });

  it('names a bad PORT', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a number/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be between 0 and 65535/);
  });

  it('refuses a non-loopback host without a token', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/SWEETSPOT_TOKEN/);
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('rejects a short token', () => {
    expect(() => loadConfig({ SWEETSPOT_TOKEN: 'short' })).toThrow(/at least 16 characters/);
  });
});
