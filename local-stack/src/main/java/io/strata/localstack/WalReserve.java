package io.strata.localstack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes PostgreSQL's WAL segments ahead of need, so that commits do not wait for new ones.
 *
 * <p>A WAL segment that PostgreSQL has to create is 16 MB of zeros written and flushed while it
 * holds the WAL write lock: every commit in flight waits for it (50–100 ms on this machine's disk).
 * Segments that a checkpoint recycles (renames to a future name) are already there and cost
 * nothing. A new data directory has none until its first checkpoint, minutes after start, and the
 * platform under load needs a segment every few seconds. So on start, when fewer than {@code
 * wanted} segments lie ahead of the current one, this writes that many by switching segments (a
 * logical message gives each switch something to switch from) and checkpoints, which recycles them
 * all ahead: up to {@code min_wal_size}, which must hold at least {@code wanted} segments. After
 * that every checkpoint recycles what was used since the previous one, and a restart finds them.
 */
final class WalReserve {
  private WalReserve() {}

  /** How many segments lie ahead of the one being written. */
  static int ahead(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_ls_waldir()"
                    + " WHERE name ~ '^[0-9A-F]{24}$'"
                    + " AND name > pg_walfile_name(pg_current_wal_insert_lsn())")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Ensures at least {@code wanted} segments ahead; answers how many it wrote (0 when they were
   * there). Needs a superuser connection in autocommit.
   */
  static int ensure(Connection c, int wanted) throws SQLException {
    int missing = wanted - ahead(c);
    if (missing <= 0) {
      return 0;
    }
    try (Statement st = c.createStatement()) {
      // each switch leaves the current segment and starts the next: one more segment written
      for (int i = 0; i < missing + 1; i++) {
        st.execute("SELECT pg_logical_emit_message(false, 'strata.wal-reserve', '')");
        st.execute("SELECT pg_switch_wal()");
      }
      // the segments before the checkpoint's redo point are now recycled as future ones
      st.execute("CHECKPOINT");
    }
    return missing + 1;
  }
}
