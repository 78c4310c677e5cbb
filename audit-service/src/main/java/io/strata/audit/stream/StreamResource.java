package io.strata.audit.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.audit.http.TimeParams;
import io.strata.audit.log.AuditLog;
import io.strata.audit.log.AuditRecord;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The log as Server-Sent Events: each event's {@code id} is its seq, so a reconnecting client
 * (EventSource sends {@code Last-Event-ID}) resumes exactly after the last one it saw.
 */
@Path("/api/v1/audit/stream")
@Tag(name = "audit")
@Allow(Role.VIEWER)
public class StreamResource {
  private static final Logger LOG = Logger.getLogger(StreamResource.class);
  private static final int REPLAY_PAGE = 500;
  private final EventStore store;
  private final AuditLog log;
  private final LiveFeed feed;
  private final CallerContext caller;
  private final ObjectMapper json;

  StreamResource(
      EventStore store, AuditLog log, LiveFeed feed, CallerContext caller, ObjectMapper json) {
    this.store = store;
    this.log = log;
    this.feed = feed;
    this.caller = caller;
    this.json = json;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "Live events of the caller's projects (text/event-stream); resumes after Last-Event-ID or"
              + " ?after=<seq>, otherwise starts with the next event")
  public void stream(
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("after") String after) {
    Caller who = caller.caller();
    Optional<Long> resume = seq("Last-Event-ID", lastEventId).or(() -> seq("after", after));
    long start = resume.orElseGet(() -> store.inTransaction(log::head));
    Stream s = new Stream(sink, sse, who, start);
    feed.subscribe(s); // first, so nothing committed during the replay is missed
    try {
      s.replay();
    } catch (RuntimeException e) {
      feed.unsubscribe(s);
      sink.close();
      throw e;
    }
  }

  private static Optional<Long> seq(String name, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      long v = Long.parseLong(value.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(v);
    } catch (NumberFormatException e) {
      throw TimeParams.badRequest(name, "must be the seq of an event (a whole number)");
    }
  }

  /** One client: replays what it missed, then forwards live batches it may see. */
  private final class Stream implements LiveFeed.Listener {
    private final SseEventSink sink;
    private final Sse sse;
    private final Caller who;
    private long lastSent;
    private boolean replaying = true;
    private final List<AuditRecord> buffered = new ArrayList<>();

    Stream(SseEventSink sink, Sse sse, Caller who, long start) {
      this.sink = sink;
      this.sse = sse;
      this.who = who;
      this.lastSent = start;
    }

    void replay() {
      while (true) {
        long from;
        synchronized (this) {
          from = lastSent;
        }
        AuditLog.Filter filter =
            new AuditLog.Filter(
                null, null, null, null, null, from, who.projects(), who.seesAllProjects());
        List<AuditRecord> page = store.inTransaction(c -> log.query(c, filter, REPLAY_PAGE));
        synchronized (this) {
          page.forEach(this::send);
          if (page.size() < REPLAY_PAGE) {
            replaying = false;
            buffered.forEach(this::send);
            buffered.clear();
            return;
          }
        }
      }
    }

    @Override
    public synchronized void onRecords(List<AuditRecord> records) {
      if (replaying) {
        buffered.addAll(records);
      } else {
        records.forEach(this::send);
      }
    }

    private void send(AuditRecord r) {
      if (r.seq() <= lastSent || !who.canSee(r.project()) || sink.isClosed()) {
        return;
      }
      lastSent = r.seq();
      try {
        sink.send(
                sse.newEventBuilder()
                    .id(Long.toString(r.seq()))
                    .name("audit")
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(json.writeValueAsString(r))
                    .build())
            .exceptionally(
                e -> {
                  close();
                  return null;
                });
      } catch (JsonProcessingException e) {
        LOG.warnf("cannot stream record %d: %s", r.seq(), e.getMessage());
      }
    }

    @Override
    public synchronized void onTick() {
      if (!sink.isClosed()) {
        sink.send(sse.newEventBuilder().comment("keep-alive").build())
            .exceptionally(
                e -> {
                  close();
                  return null;
                });
      }
    }

    private void close() {
      feed.unsubscribe(this);
      if (!sink.isClosed()) {
        sink.close();
      }
    }

    @Override
    public boolean closed() {
      return sink.isClosed();
    }
  }
}
