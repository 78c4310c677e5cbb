package io.strata.audit.stream;

import io.strata.audit.log.AuditRecord;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hands every committed batch of the log to the open streams, in seq order. Published by the ingest
 * thread right after its commit, so a stream never shows what a rollback undid.
 */
@ApplicationScoped
public class LiveFeed {
  /** An open stream. */
  public interface Listener {
    void onRecords(List<AuditRecord> records);

    /** Every few seconds: a chance to notice that the client went away. */
    void onTick();

    boolean closed();
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("audit-feed-ticks").daemon().unstarted(r));

  LiveFeed() {
    ticks.scheduleAtFixedRate(this::tick, 10, 10, TimeUnit.SECONDS);
  }

  public void subscribe(Listener l) {
    listeners.add(l);
  }

  public void unsubscribe(Listener l) {
    listeners.remove(l);
  }

  public int subscribers() {
    return listeners.size();
  }

  public void publish(List<AuditRecord> records) {
    for (Listener l : listeners) {
      if (l.closed()) {
        listeners.remove(l);
      } else {
        l.onRecords(records);
      }
    }
  }

  private void tick() {
    for (Listener l : listeners) {
      if (l.closed()) {
        listeners.remove(l);
      } else {
        l.onTick();
      }
    }
  }

  @PreDestroy
  void stop() {
    ticks.shutdownNow();
  }
}
