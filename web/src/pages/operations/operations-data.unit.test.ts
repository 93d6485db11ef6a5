import { describe, expect, it } from 'vitest';
import { API_SCOPES, keysByChannel } from './operations-data';

const key = (id: string, channel_id: string, created_at: string, revoked_at: string | null = null) => ({
  id,
  kind: 'secret',
  channel_id,
  location_id: null,
  scopes: [],
  label: null,
  created_at,
  revoked_at,
});

describe('API keys per channel', () => {
  it('groups keys in the channels’ order, live keys first, newest first', () => {
    const g = keysByChannel(
      [
        key('k1', 'ch_pos', '2026-01-01T00:00:00Z'),
        key('k2', 'ch_web', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
        key('k3', 'ch_web', '2026-03-01T00:00:00Z'),
        key('k4', 'ch_web', '2026-01-02T00:00:00Z'),
        key('k5', 'ch_gone', '2026-01-01T00:00:00Z'),
      ],
      [{ id: 'ch_web' }, { id: 'ch_pos' }],
    );
    expect(g.map((x) => [x.channel_id, x.keys.map((k) => k.id)])).toEqual([
      ['ch_web', ['k3', 'k4', 'k2']],
      ['ch_pos', ['k1']],
      ['ch_gone', ['k5']],
    ]);
  });
  it('offers each scope once', () => {
    expect(new Set(API_SCOPES).size).toBe(API_SCOPES.length);
  });
});
