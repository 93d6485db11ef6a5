/**
 * The database's table types. Each module adds its own tables to `DB` by module augmentation in its
 * `tables.ts`, so the table types live beside the module that owns them:
 *
 *   declare module '../platform/db/schema.js' { interface DB { channels: ChannelTable } }
 *
 * Only the owning module's store.ts may query those tables.
 */
import type { Kysely, Transaction } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DB {}

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the pool or an open transaction: store functions take this so services can compose them. */
export type Executor = Kysely<DB> | Transaction<DB>;
