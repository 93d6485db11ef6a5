/**
 * Proposal ids made in SQL, in ids.ts's format, from a run's start and a chunk's proposal numbers:
 * a chunk numbers its proposals in a range of its own, so its ids are known bounds of its partition.
 */
import { sql, type RawBuilder } from 'kysely';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `chars` Crockford base-32 digits of a non-negative bigint expression (ids.ts's `encode`). */
export function base32(n: RawBuilder<number>, chars: number): RawBuilder<string> {
  const digits = Array.from(
    { length: chars },
    (_, i) => sql`substr(${sql.lit(ALPHABET)}, cast((${n} >> ${sql.lit(5 * (chars - 1 - i))}) & 31 as int) + 1, 1)`,
  );
  return sql<string>`(${sql.join(digits, sql` || `)})`;
}

/** Numbers proposals: ids in ids.ts's format from a run's start and a per-run random tail. */
export interface ProposalIds {
  /** The run's start: the ids' millisecond part. */
  baseMs: number;
  /** The chunk's first proposal number. */
  firstN: number;
  now: Date;
  /** 13 random Crockford base-32 characters drawn once per run (ids.ts's random tail). */
  tail: string;
}

/**
 * Proposal ids in ids.ts's format (`ppl_` + 10 chars of milliseconds, 3 of sequence, 13 random) for
 * the n-th proposal of a run started at `baseMs`: 32,768 per millisecond, as newId carries them, so
 * a run's ids sort in the order they were made. (milliseconds, sequence) is unique within a run and
 * the random tail, drawn once per run, tells runs started in the same millisecond apart: a random
 * tail per row (md5 of random()) cost a tenth of the proposals' write.
 */
export function proposalId(ids: ProposalIds, n: RawBuilder<number>): RawBuilder<string> {
  return proposalIdFrom(base32(sql<number>`(cast(${ids.baseMs} as bigint) + (${n}) / 32768)`, 10), n, ids.tail);
}

/** The same with the millisecond part already encoded. */
export function proposalIdFrom(head: RawBuilder<string>, n: RawBuilder<number>, tail: string): RawBuilder<string> {
  if (!/^[0-9A-HJKMNP-TV-Z]{13}$/.test(tail)) throw new Error('a proposal id tail is 13 base-32 characters');
  return sql<string>`('ppl_' || ${head} || ${base32(sql<number>`((${n}) % 32768)`, 3)} || ${sql.lit(tail)})`;
}

/**
 * The id `proposalId` makes for the n-th proposal, computed here: a chunk's proposals are numbered
 * in [firstN, firstN + space), so their ids lie in [id(firstN), id(firstN + space)) — the ids sort
 * as their numbers do (fixed-width base 32, an alphabet in ASCII order, one tail per run) — which
 * are the bounds of the chunk's proposals partition.
 */
export function proposalIdOf(ids: Pick<ProposalIds, 'baseMs' | 'tail'>, n: number): string {
  const enc = (x: number, chars: number) => {
    let out = '';
    for (let i = 0; i < chars; i++, x = Math.floor(x / 32)) out = ALPHABET[x % 32]! + out;
    return out;
  };
  return `ppl_${enc(ids.baseMs + Math.floor(n / 32768), 10)}${enc(n % 32768, 3)}${ids.tail}`;
}

/**
 * proposalIdOf's ids as ASCII bytes into one reused buffer (a COPY writer copies them at once): the
 * millisecond part is encoded once per 32,768 numbers, the tail once.
 */
export function proposalIdBytes(ids: Pick<ProposalIds, 'baseMs' | 'tail'>): (n: number) => Buffer {
  const out = Buffer.from(proposalIdOf(ids, 0), 'latin1');
  let head = 0;
  return (n) => {
    const h = Math.floor(n / 32768);
    if (h !== head) {
      out.write(proposalIdOf(ids, h * 32768).slice(4, 14), 4, 'latin1');
      head = h;
    }
    const seq = n % 32768;
    out[14] = ALPHABET.charCodeAt(seq >> 10);
    out[15] = ALPHABET.charCodeAt((seq >> 5) & 31);
    out[16] = ALPHABET.charCodeAt(seq & 31);
    return out;
  };
}
