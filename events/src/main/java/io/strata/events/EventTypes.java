package io.strata.events;

import io.strata.events.ClusterEvent.ClusterDeregistered;
import io.strata.events.ClusterEvent.ClusterOverrideRemoved;
import io.strata.events.ClusterEvent.ClusterOverrideSet;
import io.strata.events.ClusterEvent.ClusterPendingUpdateDetected;
import io.strata.events.ClusterEvent.ClusterProfilesAttached;
import io.strata.events.ClusterEvent.ClusterRegistered;
import io.strata.events.ClusterEvent.ClusterRolledBack;
import io.strata.events.ClusterEvent.ClusterStatusChanged;
import io.strata.events.ClusterEvent.ClusterUpdatesApplied;
import io.strata.events.ClusterEvent.ClusterVariablesSet;
import io.strata.events.ProfileEvent.PackUploaded;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileDeleted;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.events.ProfileEvent.ProfileVersionUpdated;
import io.strata.events.ReconcileEvent.DriftCorrected;
import io.strata.events.ReconcileEvent.DriftDetected;
import io.strata.events.ReconcileEvent.ReconcileFailed;
import io.strata.events.ReconcileEvent.ReconcileStarted;
import io.strata.events.ReconcileEvent.ReconcileSucceeded;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The registry of published event types: {@code io.strata.<aggregate>.<Name>.v<N>}. A published
 * type never changes meaning; a new shape gets a new version here. Registration is explicit (not
 * derived by reflection) so that a new event class is a deliberate contract change, and a test
 * proves every permitted subtype is here.
 */
public final class EventTypes {
  private static final Map<String, Class<? extends DomainEvent>> BY_TYPE = new LinkedHashMap<>();
  private static final Map<Class<? extends DomainEvent>, String> BY_CLASS = new LinkedHashMap<>();

  static {
    register("profile", ProfileCreated.class, 1);
    register("profile", ProfileVersionCreated.class, 1);
    register("profile", ProfileVersionUpdated.class, 1);
    register("profile", ProfileVersionDeprecated.class, 1);
    register("profile", ProfileVersionLocked.class, 1);
    register("profile", ProfileDeleted.class, 1);
    register("pack", PackUploaded.class, 1);
    register("cluster", ClusterRegistered.class, 1);
    register("cluster", ClusterProfilesAttached.class, 1);
    register("cluster", ClusterVariablesSet.class, 1);
    register("cluster", ClusterOverrideSet.class, 1);
    register("cluster", ClusterOverrideRemoved.class, 1);
    register("cluster", ClusterPendingUpdateDetected.class, 1);
    register("cluster", ClusterUpdatesApplied.class, 1);
    register("cluster", ClusterRolledBack.class, 1);
    register("cluster", ClusterDeregistered.class, 1);
    register("cluster", ClusterStatusChanged.class, 1);
    register("cluster", ClusterEvent.ClusterDriftPolicySet.class, 1);
    register("reconcile", ReconcileStarted.class, 1);
    register("reconcile", ReconcileSucceeded.class, 1);
    register("reconcile", ReconcileFailed.class, 1);
    register("reconcile", DriftDetected.class, 1);
    register("reconcile", DriftCorrected.class, 1);
    register("project", AccessEvent.ProjectCreated.class, 1);
    register("apikey", AccessEvent.ApiKeyCreated.class, 1);
    register("apikey", AccessEvent.ApiKeyRevoked.class, 1);
  }

  private EventTypes() {}

  private static void register(String aggregate, Class<? extends DomainEvent> type, int version) {
    String name = "io.strata." + aggregate + "." + type.getSimpleName() + ".v" + version;
    BY_TYPE.put(name, type);
    BY_CLASS.put(type, name);
  }

  public static String typeOf(Class<? extends DomainEvent> type) {
    String name = BY_CLASS.get(type);
    if (name == null) {
      throw new UnknownEventTypeException("event class not registered: " + type.getName());
    }
    return name;
  }

  public static Class<? extends DomainEvent> classOf(String type) {
    Class<? extends DomainEvent> c = BY_TYPE.get(type);
    if (c == null) {
      throw new UnknownEventTypeException("unknown event type: " + type);
    }
    return c;
  }

  public static Set<String> types() {
    return java.util.Collections.unmodifiableSet(BY_TYPE.keySet());
  }

  public static Set<Class<? extends DomainEvent>> classes() {
    return java.util.Collections.unmodifiableSet(BY_CLASS.keySet());
  }
}
