import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('SWEETSPOT_ALLOWED_HOSTS', () => {
  it('reads a comma-separated list of host names, lower case, IPv6 in brackets', () => {
    const config = loadConfig({ SWEETSPOT_ALLOWED_HOSTS: ' Tracker.Example.com, 10.0.0.5,,::1 , [fe80::1]' });
    expect(config.allowedHosts).toEqual(['tracker.example.com', '10.0.0.5', '[::1]', '[fe80::1]']);
    expect(Object.isFrozen(config.allowedHosts)).toBe(true);
    expect(loadConfig({}).allowedHosts).toEqual([]);
  });

  it('names an entry that is not a host name', () => {
    for (const bad of ['https://tracker.example.com', 'tracker.example.com:443', 'tracker.example.com/x', 'two words', '*.example.com', '-x.example', 'abc:443']) {
      expect(() => loadConfig({ SWEETSPOT_ALLOWED_HOSTS: `ok.example, ${bad}` }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ SWEETSPOT_ALLOWED_HOSTS: bad }), bad).toThrow(/SWEETSPOT_ALLOWED_HOSTS: '.*' is not a host name/);
    }
  });
});
