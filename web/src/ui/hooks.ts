import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALE } from '../app/i18n';
import * as f from './format';

/** Formatters bound to the current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = INTL_LOCALE[i18n.resolvedLanguage ?? 'en'] ?? 'en-GB';
  return {
    locale,
    money: (m: f.Money | null | undefined) => f.formatMoney(m, locale),
    number: (n: number | null | undefined) => f.formatNumber(n, locale),
    percent: (r: number) => f.formatPercent(r, locale),
    dateTime: (iso: string | null | undefined) => f.formatDateTime(iso, locale),
    date: (iso: string | null | undefined) => f.formatDate(iso, locale),
  };
}

/** `value` once it has stopped changing for `ms` (live validation asks the API after typing pauses). */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
