package io.strata.kit.security;

import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.Topics;
import io.strata.events.access.Role;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Projects and API keys as this process knows them, in memory (a key is checked without I/O), from
 * its own reading of {@code strata.access.events} ({@link AccessFeed}) and from what its own write
 * path appends. A revocation takes effect as soon as its event is applied, on every replica.
 */
@ApplicationScoped
public class AccessRegistry {
  public static final String DEFAULT_PROJECT = "default";
  private static final Logger LOG = Logger.getLogger(AccessRegistry.class);

  record KeyEntry(
      String name,
      String keyId,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      String salt,
      String hash,
      boolean revoked) {}

  private final Map<String, KeyEntry> keysById = new ConcurrentHashMap<>();
  private final Map<String, Boolean> projects = new ConcurrentHashMap<>();

  /** Each access aggregate's newest applied sequence: events arrive twice and out of turn. */
  private final Map<String, Long> appliedSeq = new HashMap<>();

  private final Clock clock = Clock.systemUTC();
  private final String service;
  private volatile AccessFeed feed;
  private volatile boolean fedByHand;

  AccessRegistry(@ConfigProperty(name = "strata.service.name") String service) {
    this.service = service;
  }

  /**
   * Starts reading the access topic and waits until the registry holds what the topic held (at most
   * {@code wait}): a replica should not refuse keys merely because it has not read them yet.
   */
  void follow(String bootstrapServers, Duration wait) throws InterruptedException {
    AccessFeed f = new AccessFeed(bootstrapServers, service + ".access-feed", this::applyInMemory);
    feed = f;
    f.start();
    long deadline = System.nanoTime() + wait.toNanos();
    while (!f.caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!f.caughtUp()) {
      LOG.warnf("access feed not caught up after %s; API keys are refused until it is", wait);
    }
  }

  /** Whether the registry holds every key and project the topic held when this process started. */
  public boolean complete() {
    if (fedByHand) {
      return true;
    }
    AccessFeed f = feed;
    return f != null && f.caughtUp() && f.isRunning();
  }

  /** For tests and benches that apply events themselves instead of following the topic. */
  void fedByHand() {
    fedByHand = true;
  }

  @PreDestroy
  void stop() {
    AccessFeed f = feed;
    if (f != null) {
      f.close();
    }
  }

  /**
   * Applies events this process's write path has just committed, without waiting for the feed to
   * bring them (it will, and they are then skipped).
   */
  public void applyWritten(List<EventEnvelope> events) {
    events.forEach(this::applyInMemory);
  }

  /**
   * One access event, applied only forward: an aggregate's event at or below the sequence already
   * applied is skipped. The feed replays the topic from the beginning and brings this process's own
   * events after {@link #applyWritten} applied them: without the check, a key's creation arriving
   * after its revocation made the key valid again.
   */
  synchronized void applyInMemory(EventEnvelope e) {
    if (!(e.event() instanceof AccessEvent event)) {
      return;
    }
    String aggregate = event.aggregateId();
    if (e.seq() <= appliedSeq.getOrDefault(aggregate, 0L)) {
      return;
    }
    appliedSeq.put(aggregate, e.seq());
    switch (event) {
      case AccessEvent.ProjectCreated p -> projects.put(p.name(), p.shared());
      case AccessEvent.ApiKeyCreated k -> {
        keysById.values().removeIf(old -> old.name().equals(k.name()));
        keysById.put(
            k.keyId(),
            new KeyEntry(
                k.name(),
                k.keyId(),
                k.role(),
                k.projects(),
                k.expiresAt(),
                k.salt(),
                k.hash(),
                false));
      }
      case AccessEvent.ApiKeyRevoked r ->
          keysById.computeIfPresent(
              r.keyId(),
              (id, k) ->
                  new KeyEntry(
                      k.name(),
                      k.keyId(),
                      k.role(),
                      k.projects(),
                      k.expiresAt(),
                      k.salt(),
                      k.hash(),
                      true));
    }
  }

  /** The caller a key stands for, or why it is refused. */
  public Authentication authenticate(String token) {
    Optional<ApiKeys.Parsed> parsed = ApiKeys.parse(token);
    if (parsed.isEmpty()) {
      return Authentication.refused("malformed API key");
    }
    if (!complete()) {
      return Authentication.refused(
          "API keys are still being read from " + Topics.ACCESS_EVENTS + "; try again shortly");
    }
    KeyEntry k = keysById.get(parsed.get().keyId());
    if (k == null || !ApiKeys.matches(k.salt(), k.hash(), parsed.get().secret())) {
      return Authentication.refused("unknown API key");
    }
    if (k.revoked()) {
      return Authentication.refused("API key '" + k.name() + "' was revoked");
    }
    if (k.expiresAt().isPresent() && !clock.instant().isBefore(k.expiresAt().get())) {
      return Authentication.refused("API key '" + k.name() + "' expired at " + k.expiresAt().get());
    }
    Map<String, Role> bindings = new HashMap<>();
    k.projects().forEach(p -> bindings.put(p, k.role()));
    return Authentication.ok(new Caller(k.name(), Caller.Kind.API_KEY, bindings));
  }

  public boolean projectExists(String name) {
    return DEFAULT_PROJECT.equals(name) || projects.containsKey(name);
  }

  /** The default project is shared: its profiles are everyone's building blocks. */
  public boolean projectShared(String name) {
    return DEFAULT_PROJECT.equals(name) || projects.getOrDefault(name, false);
  }

  public List<KeyView> keys() {
    return keysById.values().stream()
        .sorted(java.util.Comparator.comparing(KeyEntry::name))
        .map(
            k ->
                new KeyView(
                    k.name(), k.keyId(), k.role(), k.projects(), k.expiresAt(), k.revoked()))
        .toList();
  }

  public Optional<KeyView> key(String name) {
    return keys().stream().filter(k -> k.name().equals(name)).findFirst();
  }

  public List<String> projectNames() {
    java.util.TreeSet<String> names = new java.util.TreeSet<>(projects.keySet());
    names.add(DEFAULT_PROJECT);
    return List.copyOf(names);
  }

  /** An API key as the API lists it: never the secret, never the hash. */
  public record KeyView(
      String name,
      String keyId,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      boolean revoked) {}

  public record Authentication(Optional<Caller> caller, String reason) {
    static Authentication ok(Caller c) {
      return new Authentication(Optional.of(c), "");
    }

    static Authentication refused(String reason) {
      return new Authentication(Optional.empty(), reason);
    }
  }
}
