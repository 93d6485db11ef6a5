import { describe, expect, it } from 'vitest';
import { campaignBody, skippedRows } from './messages-data';

describe('messages data', () => {
  it('builds the campaign body, leaving the cap to the server default when blank', () => {
    expect(
      campaignBody({
        name: ' Winter ',
        segment_id: 'seg_1',
        promotion_id: 'prm_1',
        offer: '',
        cap_max: '',
        cap_days: '',
      }),
    ).toEqual({
      name: 'Winter',
      segment_id: 'seg_1',
      promotion_id: 'prm_1',
    });
    expect(
      campaignBody({ name: 'W', segment_id: 's', promotion_id: 'p', offer: '10 %', cap_max: '1', cap_days: '' }),
    ).toEqual({
      name: 'W',
      segment_id: 's',
      promotion_id: 'p',
      offer: '10 %',
      frequency_cap: { max: 1, days: 7 },
    });
  });
  it('lists skipped reasons biggest first with their translation keys', () => {
    expect(
      skippedRows({
        recipients: 5,
        sent: 1,
        pending: 0,
        skipped: { 'frequency cap': 1, 'no marketing consent': 3, odd: 0 },
      }),
    ).toEqual([
      ['no_consent', 3],
      ['capped', 1],
    ]);
  });
});
