package io.strata.events;

/** Every fact Strata records. One sealed family per aggregate, one Kafka topic per family. */
public sealed interface DomainEvent
    permits ProfileEvent, ClusterEvent, ReconcileEvent, AccessEvent {

  /** The aggregate this event belongs to; also the Kafka key, so its events stay in order. */
  String aggregateId();
}
