import { describe, expect, it } from 'vitest';
import { MESSAGE_KIND, MESSAGE_LOCALES, MESSAGE_TEMPLATES, messageLocale, sampleData } from './messages.js';
import { renderMessage } from './message-render.js';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('messages in the shopper’s language', () => {
  it('renders every template in every language, html escaped, the unsubscribe link on marketing only', () => {
    for (const locale of MESSAGE_LOCALES)
      for (const t of MESSAGE_TEMPLATES) {
        const r = renderMessage(t, { ...sampleData(locale), pickup_code: '<b>X</b>' });
        expect(r.locale).toBe(locale);
        expect(r.subject.length, `${t} ${locale}`).toBeGreaterThan(5);
        expect(r.html).not.toContain('<b>X</b>');
        expect(r.text.includes('/unsubscribe?token='), `${t} ${locale}`).toBe(MESSAGE_KIND[t] === 'marketing');
      }
  });
  it('formats money and dates for the locale', () => {
    const es = plain(renderMessage('order_confirmation', sampleData('es')).text);
    expect(es).toContain('Total: 49,90 €');
    expect(es).toContain('prevista el 3 de diciembre de 2026');
    const pt = plain(renderMessage('order_confirmation', sampleData('pt')).text);
    expect(pt).toContain('49,90 €');
    expect(pt).toContain('3 de dezembro de 2026');
    const en = plain(renderMessage('order_confirmation', sampleData('en')).text);
    expect(en).toContain('Total: €49.90');
    // The collect window in the store's own timezone (Madrid is UTC+1 in December).
    expect(plain(renderMessage('ready_for_pickup', sampleData('es')).text)).toContain('21:30');
  });
  it('writes Portuguese and Spanish without English left over', () => {
    const english = /\b(the|your|order|you|with|we|thank|ready|code|refund)\b/i;
    for (const t of MESSAGE_TEMPLATES)
      for (const locale of ['es', 'pt'] as const) {
        const r = renderMessage(t, { ...sampleData(locale), unsubscribe_url: undefined });
        expect(
          english.test(r.text.replace(/ord_PREVIEW|ret_PREVIEW|TSHIRT-M|WELCOME-7K2P9Q|Omnia/g, '')),
          `${t} ${locale}: ${r.text}`,
        ).toBe(false);
      }
  });
  it('tells a gift’s recipient what and when, with the receipt code, never a price (even with amounts in the data)', () => {
    for (const locale of MESSAGE_LOCALES) {
      const r = renderMessage('gift_notice', sampleData(locale));
      const text = plain(r.text);
      expect(text, locale).toContain('2 × T-shirt');
      expect(text, locale).toContain('GR-7K2P-9QX4-M3TB-8DWA');
      expect(text, locale).toContain('Ana');
      // ready from 18:00, collect until 21:30, Madrid time
      expect(text, locale).toMatch(/18:00.*21:30/);
      expect(r.text + r.html + r.subject, locale).not.toMatch(/€|EUR|\d[.,]\d\d(?!\d)|TSHIRT-M/);
    }
    expect(renderMessage('gift_notice', { ...sampleData('pt'), giver_name: undefined }).subject).toMatch(
      /^Alguém enviou-lhe um presente/,
    );
  });
  it('picks a supported language from a BCP 47 tag, English otherwise', () => {
    expect(messageLocale('pt-BR')).toBe('pt');
    expect(messageLocale('es_MX')).toBe('es');
    expect(messageLocale('fr')).toBe('en');
    expect(messageLocale(undefined)).toBe('en');
  });
});
