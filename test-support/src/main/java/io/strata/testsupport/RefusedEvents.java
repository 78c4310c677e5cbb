package io.strata.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes PostgreSQL refuse an aggregate's events after a sequence, with a trigger on the event
 * store: a write that fails after its command was decided, as a database fault would. Closing drops
 * the trigger.
 */
public final class RefusedEvents implements AutoCloseable {
  private final DataSource dataSource;
  private final String name;

  private RefusedEvents(DataSource dataSource, String name) {
    this.dataSource = dataSource;
    this.name = name;
  }

  /** Refuses every event of {@code aggregateId} whose sequence is above {@code afterSeq}. */
  public static RefusedEvents after(DataSource dataSource, String aggregateId, long afterSeq)
      throws SQLException {
    String name = "refuse_" + aggregateId.replaceAll("[^A-Za-z0-9]", "_");
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE FUNCTION "
              + name
              + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.aggregate_id = '"
              + aggregateId.replace("'", "''")
              + "' AND NEW.seq > "
              + afterSeq
              + " THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$");
      st.execute(
          "CREATE TRIGGER "
              + name
              + " BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION "
              + name
              + "()");
    }
    return new RefusedEvents(dataSource, name);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER " + name + " ON events");
      st.execute("DROP FUNCTION " + name + "()");
    }
  }
}
