import { describe, expect, it } from 'vitest';
import { checkTarget, refusedRange, type Resolver } from './outbound.js';

const stub =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const list = answers[host];
    if (!list) throw new Error('ENOTFOUND');
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('outbound request targets (SSRF)', () => {
  it('classifies loopback, private, link-local, CGNAT, unspecified and mapped addresses as refused', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect(refusedRange(ip), ip).not.toBeNull();
    }
    expect(refusedRange('93.184.216.34')).toBeNull();
    expect(refusedRange('2606:4700::1111')).toBeNull();
  });

  it('refuses IP literals and names that resolve to private addresses, and passes public ones', async () => {
    const resolver = stub({ 'internal.example': ['10.0.0.7'], 'mixed.example': ['93.184.216.34', '192.168.0.2'] });
    const policy = { allowPrivate: false, resolver };
    await expect(checkTarget('http://127.0.0.1:8080/hook', policy)).rejects.toThrow(/loopback/);
    await expect(checkTarget('http://169.254.169.254/latest/meta-data', policy)).rejects.toThrow(/linkLocal/);
    await expect(checkTarget('http://[::ffff:a00:1]/', policy)).rejects.toThrow(/private/);
    await expect(checkTarget('http://2130706433/', policy)).rejects.toThrow(/loopback/); // decimal 127.0.0.1
    await expect(checkTarget('https://internal.example/hook', policy)).rejects.toThrow(/10\.0\.0\.7 \(private\)/);
    await expect(checkTarget('https://mixed.example/hook', policy)).rejects.toThrow(/192\.168\.0\.2/);
    await expect(checkTarget('http://localhost:3000/', policy)).rejects.toThrow(/local or metadata name/);
    await expect(checkTarget('http://metadata.google.internal/', policy)).rejects.toThrow(/metadata/);
    await expect(checkTarget('https://nowhere.example/', policy)).rejects.toThrow(/does not resolve/);
    await expect(checkTarget('ftp://x.example/', policy)).rejects.toThrow(/http or https/);
    const ok = await checkTarget('https://hooks.example/x', {
      allowPrivate: false,
      resolver: stub({ 'hooks.example': ['93.184.216.34'] }),
    });
    expect(ok.address).toBe('93.184.216.34');
  });

  it('lets everything through with the development flag', async () => {
    const t = await checkTarget('http://127.0.0.1:9/', { allowPrivate: true });
    expect(t.address).toBe('127.0.0.1');
  });
});
