package io.strata.events;

import java.util.List;

/** The Kafka topics that carry the event families; they are the system of record. */
public final class Topics {
  public static final String PROFILE_EVENTS = "strata.profile.events";
  public static final String CLUSTER_EVENTS = "strata.cluster.events";
  public static final String RECONCILE_EVENTS = "strata.reconcile.events";
  public static final String ACCESS_EVENTS = "strata.access.events";
  public static final List<String> ALL =
      List.of(PROFILE_EVENTS, CLUSTER_EVENTS, RECONCILE_EVENTS, ACCESS_EVENTS);

  /** Suffix of the dead-letter topic beside each event topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private Topics() {}

  public static String deadLetterOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  public static String topicOf(DomainEvent event) {
    return switch (event) {
      case ProfileEvent p -> PROFILE_EVENTS;
      case ClusterEvent c -> CLUSTER_EVENTS;
      case ReconcileEvent r -> RECONCILE_EVENTS;
      case AccessEvent a -> ACCESS_EVENTS;
    };
  }

  public static String aggregateTypeOf(DomainEvent event) {
    return switch (event) {
      case ProfileEvent p ->
          p instanceof io.strata.events.ProfileEvent.PackUploaded ? "pack" : "profile";
      case ClusterEvent c -> "cluster";
      case ReconcileEvent r -> "reconcile";
      case AccessEvent.ProjectCreated p -> "project";
      case AccessEvent a -> "apikey";
    };
  }
}
