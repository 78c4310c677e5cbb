package io.strata.audit.ingest;

import io.strata.audit.log.AuditLog;
import io.strata.audit.log.AuditRecord;
import io.strata.audit.projection.Logged;
import io.strata.audit.projection.Projections;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.EventStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One transaction per batch: append to the chain, then fold into the projections. A batch that
 * fails for another reason than the database being away is split, and the one event the projections
 * refuse is logged raw and flagged {@code unappliable}: the log never loses an event and the stream
 * goes on.
 */
public final class IngestWriter {
  private static final Logger LOG = Logger.getLogger(IngestWriter.class);
  private final EventStore store;
  private final AuditLog log;

  public IngestWriter(EventStore store, AuditLog log) {
    this.store = store;
    this.log = log;
  }

  /** The store the log is written through: its write-ahead log decides when offsets commit. */
  public EventStore store() {
    return store;
  }

  /**
   * @throws EventStoreException when the database is unavailable: the caller retries the batch
   */
  public List<AuditRecord> write(List<Incoming> batch) {
    try {
      // a whole poll: its offsets wait for the flush (AuditIngest), so the commit need not
      return store.inTransactionFlushedLater(c -> writeIn(c, log, batch));
    } catch (EventStoreException e) {
      if (e.isTransientFailure()) {
        throw e;
      }
      LOG.warnf(
          "audit batch of %d failed (%s); writing its events one by one",
          batch.size(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warnf(
          "audit batch of %d failed (%s); writing its events one by one",
          batch.size(), e.toString());
    }
    List<AuditRecord> out = new ArrayList<>();
    for (Incoming one : batch) {
      try {
        out.addAll(store.inTransaction(c -> writeIn(c, log, List.of(one))));
      } catch (EventStoreException e) {
        if (e.isTransientFailure()) {
          throw e;
        }
        out.addAll(unappliable(one, e));
      } catch (RuntimeException e) {
        out.addAll(unappliable(one, e));
      }
    }
    return out;
  }

  private List<AuditRecord> unappliable(Incoming one, RuntimeException e) {
    LOG.errorf("audit: %s %s kept raw, projections refused it: %s", one.type(), one.eventId(), e);
    Incoming flagged = one.flagged(Incoming.Flag.UNAPPLIABLE, String.valueOf(e.getMessage()));
    try {
      return store.inTransaction(c -> writeIn(c, log, List.of(flagged)));
    } catch (EventStoreException again) {
      if (again.isTransientFailure()) {
        throw again;
      }
      // the database refuses the data itself (jsonb is stricter than JSON): keep its bytes
      Incoming wrapped =
          flagged.withData(
              Decoder.wrapped(one.data().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return store.inTransaction(c -> writeIn(c, log, List.of(wrapped)));
    }
  }

  /** The log and the projections, in the caller's transaction. */
  public static List<AuditRecord> writeIn(Connection c, AuditLog log, List<Incoming> batch)
      throws SQLException {
    List<AuditLog.Appended> appended = log.appendAll(c, batch);
    List<Logged> decoded = new ArrayList<>(appended.size());
    for (AuditLog.Appended a : appended) {
      if (a.incoming().decoded() instanceof Incoming.Decoded.Known k) {
        AuditRecord r = a.record();
        decoded.add(new Logged(r.seq(), r.time(), r.actor(), r.project(), k.event()));
      }
    }
    Projections.apply(c, decoded);
    return appended.stream().map(AuditLog.Appended::record).toList();
  }
}
