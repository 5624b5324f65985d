import Database from 'better-sqlite3';
import { CorruptStoreError, UsageError } from '../util/errors.js';
import { describeFault, isCorruption } from '../util/storage-fault.js';
import { STORE_SCHEMA_VERSION } from './migrations.js';
import { PreparedStatements, StoreReads } from './reads.js';

/**
 * A run store opened for reading only, for commands that look at runs without owning them (`baton
 * runs`, `baton view`): no run lock, no migration, no journal import, no write of any kind. It sees
 * what the run's writer has committed, also while that writer is live (SQLite's WAL lets readers and
 * one writer work at once).
 *
 * SQLite needs the WAL companions (`run.sqlite-wal`, `-shm`) to read a store in WAL mode: a live or
 * killed run has them; a store closed by baton is in rollback-journal mode (store/open.ts
 * closeDatabase) and needs none. Only a store left in WAL mode without them — closed by a baton older
 * than that rule, or while another connection had it open — makes SQLite create the two (an empty
 * log and its index; the store file itself is untouched).
 */
export class ReadOnlyStore extends StoreReads {
  private readonly prepared: PreparedStatements;

  private constructor(private readonly db: Database.Database) {
    super();
    this.prepared = new PreparedStatements(db);
  }

  /**
   * Opens `file` read-only. A file that is not a sound SQLite store is a CorruptStoreError; a store of
   * another schema version (made by an older baton, not yet migrated, or by a newer one) a UsageError
   * saying which: migrating is a write, which a reader must not do.
   */
  static open(file: string): ReadOnlyStore {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run'").get())
        throw new CorruptStoreError(file, 'an SQLite file without the tables of a baton run store');
      if (version < STORE_SCHEMA_VERSION)
        throw new UsageError(
          `run store ${file} has schema v${version}, older than this baton's v${STORE_SCHEMA_VERSION}; \`baton report <run folder>\` migrates it in place`,
        );
      if (version > STORE_SCHEMA_VERSION)
        throw new UsageError(
          `run store ${file} has schema v${version}, made by a newer baton (this one reads v${STORE_SCHEMA_VERSION})`,
        );
      return new ReadOnlyStore(db);
    } catch (err) {
      db?.close();
      if (err instanceof UsageError) throw err; // CorruptStoreError included
      if (isCorruption(err)) throw new CorruptStoreError(file, describeFault(err));
      throw new UsageError(`cannot read the run store ${file}: ${describeFault(err)}`);
    }
  }

  protected statement(sql: string, shared = true): Database.Statement {
    return this.prepared.get(sql, shared);
  }

  close(): void {
    this.db.close();
  }
}
