import { describe, expect, it } from 'vitest';
import { apiPathOf, sign, signatureBase, timestampFresh, timestampMs } from './signing.js';

/*
 * The expected signatures were computed by hand outside this code, from the base strings written out below:
 *   printf '%s' '<base string>' | openssl dgst -sha256 -hmac '<secret>'   (then upper-cased)
 */
describe('AliExpress request signature', () => {
  it('signs a /sync call: sorted name-value pairs, no path, HMAC-SHA256, upper-case hex', () => {
    const params = {
      method: 'aliexpress.solution.order.get',
      app_key: '12345678',
      timestamp: '1764530000000',
      sign_method: 'sha256',
      access_token: 'token-abc',
      simplify: 'false',
      format: 'json',
      param0: '{"current_page":1,"page_size":50}',
    };
    expect(signatureBase(params)).toBe(
      'access_tokentoken-abcapp_key12345678formatjsonmethodaliexpress.solution.order.get' +
        'param0{"current_page":1,"page_size":50}sign_methodsha256simplifyfalsetimestamp1764530000000',
    );
    expect(sign(params, 'helloworld')).toBe('BF4DB884A217DCE26A59DC4E042485C6AECD06E83DF0B762F7E9E50D8B2983D4');
  });

  it('puts the API path in front for a /rest call', () => {
    const params = { app_key: '123456', code: '3_abc', sign_method: 'sha256', timestamp: '1517820392000' };
    expect(apiPathOf('/auth/token/create')).toBe('/auth/token/create');
    expect(sign(params, 'helloworld', apiPathOf('/auth/token/create'))).toBe(
      '2EEE65A723C6CB9D3A7C4890A43CA4F1F91BFF422DE64196A301BA205272E999',
    );
  });

  it("sorts in ASCII order, as the platform's own example (foo_bar before foobar)", () => {
    const params = { foobar: '4', foo: '1', foo_bar: '3', bar: '2' };
    expect(signatureBase(params, '/test/api')).toBe('/test/apibar2foo1foo_bar3foobar4');
    expect(sign(params, 'helloworld', '/test/api')).toBe(
      'BD011266EC150C787B2201495AA2D6F326BB6910DE77E84EA28F5215DCD7FA5E',
    );
  });

  it('leaves the sign parameter out and hashes UTF-8 bytes (values and secret)', () => {
    const params = { subject: 'Camiseta niño €', app_key: '1', sign: 'WHATEVER' };
    expect(signatureBase(params)).toBe('app_key1subjectCamiseta niño €');
    expect(sign(params, 'sécret')).toBe('AED7E7B9D114370E51D19AE99AF7CC361E9673F42A55F26D85028623A390AE41');
  });

  it('changes with any parameter, so a tampered request is refused', () => {
    const params = { app_key: '1', method: 'aliexpress.solution.order.fulfill', logistics_no: 'ES123' };
    expect(sign({ ...params, logistics_no: 'ES124' }, 's')).not.toBe(sign(params, 's'));
    expect(sign(params, 't')).not.toBe(sign(params, 's'));
  });

  it('reads the timestamp as epoch ms or ISO UTC and accepts it within 7200 s', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(timestampMs(String(now.getTime()))).toBe(now.getTime());
    expect(timestampMs('2026-11-30T12:00:00Z')).toBe(now.getTime());
    expect(Number.isNaN(timestampMs('2026-11-30 12:00:00'))).toBe(true);
    expect(timestampFresh(String(now.getTime() - 7_200_000), now)).toBe(true);
    expect(timestampFresh(String(now.getTime() - 7_200_001), now)).toBe(false);
    expect(timestampFresh(String(now.getTime() + 7_200_001), now)).toBe(false);
    expect(timestampFresh('yesterday', now)).toBe(false);
  });
});
