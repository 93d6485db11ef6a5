/**
 * Product text search without pg_trgm (PGlite does not load it, and one SQL dialect serves both
 * databases): each product is indexed as a set of terms — every word of its name and brand, its
 * code, its SKUs and GTINs — folded (lower case, accents stripped) in one place here, so the words a
 * merchandiser types are folded the same way. A term row in `product_search_terms` with a
 * `text_pattern_ops` btree answers "some term starts with w" (`term LIKE 'w%'`) from the index on
 * PostgreSQL and PGlite alike, whatever the database collation: word-prefix search ("cami" finds
 * "Camiseta básica", "basica" finds it too), SKU prefix, exact GTIN. Rejected: `lower(name) LIKE
 * '%q%'` (a sequential scan of every product per keystroke) and a trigram index (not on PGlite).
 * Pure: no I/O.
 */

/** Longest term kept: a btree entry must stay small, and nobody types 64 characters of one word. */
export const MAX_TERM = 64;
/** Words of a query beyond this are ignored rather than turned into ever more subqueries. */
export const MAX_QUERY_WORDS = 5;

/** Lower case, accents stripped ("Camisón" → "camison"): the one folding for terms and queries. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a text: runs of letters and digits after folding. */
export function words(s: string): string[] {
  return fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, MAX_TERM));
}

/** The terms a product is found by. Codes and SKUs are whole terms too ("webt-1-s" as typed). */
export function searchTerms(p: {
  name: string;
  brand: string;
  code: string;
  skus: readonly string[];
  gtins: readonly (string | null)[];
}): string[] {
  const whole = [p.code, ...p.skus].map((x) => fold(x).slice(0, MAX_TERM));
  const gtins = p.gtins.filter((g): g is string => !!g);
  return [...new Set([...words(`${p.name} ${p.brand} ${p.code}`), ...whole, ...gtins, ...p.skus.flatMap(words)])];
}

/**
 * The prefixes a query asks for, each escaped for LIKE: every word must start some term of the
 * product (AND). SKUs and codes are indexed by their words as well, so "WEBT-1-M" typed whole
 * finds its product through "webt", "1" and "m". No words (only punctuation): nothing matches.
 */
export function queryPrefixes(q: string): string[] {
  return [...new Set(words(q))].slice(0, MAX_QUERY_WORDS).map(escapeLike);
}

export function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}
