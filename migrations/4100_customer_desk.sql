-- The contact-center desk (issue 14): where each identifier came from, the agent's search by name,
-- and notes on a profile (kept, exported and erased with the person).

-- The identification that linked it (`identify:<channel>`, `event:<channel>`, `register:<channel>`…);
-- null for rows linked before this column existed.
alter table customer_identifiers add column source text;

-- Agent search by name: a prefix of "first last" or of the last name alone, lower-cased. Btree with
-- text_pattern_ops so `like 'ana gar%'` is an index range scan on PostgreSQL and PGlite alike (no
-- trigram extension needed). Erased rows have no names: left out of the index.
create index customers_full_name_search
  on customers ((lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) text_pattern_ops)
  where status <> 'erased';
create index customers_last_name_search
  on customers ((lower(last_name)) text_pattern_ops)
  where status <> 'erased' and last_name is not null;

create table customer_notes (
  id text primary key,
  -- the profile row the note was written on; reads gather every row of the person (root_id)
  customer_id text not null references customers (id),
  body text not null,
  author text not null,
  created_at timestamptz not null
);
create index customer_notes_customer on customer_notes (customer_id, created_at);
