-- Product text search (GET /v1/products?q=) without pg_trgm: one row per search term of a product
-- (each word of its name and brand, its code, SKUs and GTINs, folded to lower case without accents
-- by src/catalog/search.ts). The text_pattern_ops btree answers `term LIKE 'prefix%'` from the index
-- on PostgreSQL and PGlite whatever the collation; see search.ts for the strategies rejected.
create table product_search_terms (
  term text not null,
  product_id text not null references products (id) on delete cascade,
  primary key (product_id, term)
);
create index product_search_terms_prefix on product_search_terms (term text_pattern_ops, product_id);

-- Backfill for products that exist already. SQL cannot run search.ts's Unicode folding, so this
-- folds the accents of Spanish and Portuguese by hand; the next write of a product re-indexes it
-- with the exact rules.
insert into product_search_terms (term, product_id)
select distinct left(t.term, 64), t.product_id
from (
  select w as term, p.id as product_id
  from products p,
    unnest(regexp_split_to_array(
      translate(lower(p.name || ' ' || p.brand || ' ' || p.code),
        'áàâäãéèêëíìîïóòôöõúùûüçñÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑ',
        'aaaaaeeeeiiiiooooouuuucnaaaaaeeeeiiiiooooouuuucn'),
      '[\s!-/:-@\[-`{-~]+')) as w
  union all
  select lower(p.code), p.id from products p
  union all
  select lower(v.sku), v.product_id from variants v
  union all
  select v.gtin, v.product_id from variants v where v.gtin is not null
) t
where t.term <> '';
