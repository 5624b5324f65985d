import { StoreReads } from './reads.js';
import type { RunRecord } from './records.js';

/** Writes to the run's own row: created once, then a session per invocation, its status and planned samples. */
export abstract class RunRecords extends StoreReads {
  /** A write outside the group commit: a refusal is the store's failure. */
  protected abstract write(sql: string, ...params: unknown[]): void;

  createRun(run: Omit<RunRecord, 'sessions' | 'status'>): void {
    this.write(
      `INSERT INTO run (id, name, config_hash, config_json, config_file, created_at, simulated, sessions, status, planned, environment_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'running', ?, ?)`,
      run.id,
      run.name,
      run.configHash,
      run.configJson,
      run.configFile,
      run.createdAt,
      run.simulated ? 1 : 0,
      run.planned,
      JSON.stringify(run.environment),
    );
  }

  /** Starts a new session (first run or a resume) and returns its number. */
  beginSession(): number {
    this.write("UPDATE run SET sessions = sessions + 1, status = 'running'");
    return this.getRun()?.sessions ?? 1;
  }

  setStatus(status: RunRecord['status']): void {
    this.write('UPDATE run SET status = ?', status);
  }

  /** Samples the run plans: raised when a pilot run is resumed with every task. */
  setPlanned(planned: number): void {
    this.write('UPDATE run SET planned = ?', planned);
  }
}
