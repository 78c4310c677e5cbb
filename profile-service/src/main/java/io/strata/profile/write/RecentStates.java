package io.strata.profile.write;

import io.strata.events.ProfileId;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.Variable;
import io.strata.profile.domain.Profile;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The states of the profiles commanded lately, each as of the sequence its command committed. A
 * command on one of them reads only the events after that sequence (usually none) instead of the
 * snapshot and the events after it: the snapshot holds every version's whole content, megabytes to
 * fetch and parse on each command for a profile with a few large versions. A kept state is never
 * trusted alone: the events after it are always read, so a state another replica moved on is caught
 * up, and the append's sequence check guards the rest.
 *
 * <p>Bounded by the content the kept states hold (their manifests' and values' text) and by a
 * count; the least recently used goes first.
 */
final class RecentStates {
  /** A profile's state as of {@code seq}; {@code snapshotSeq}: the newest snapshot known. */
  record Kept(long seq, long snapshotSeq, Profile state, long weight) {}

  private final long budget;
  private final int maxProfiles;
  private final LinkedHashMap<ProfileId, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
  private long total;

  RecentStates(long budget, int maxProfiles) {
    this.budget = budget;
    this.maxProfiles = maxProfiles;
  }

  synchronized Optional<Kept> get(ProfileId id) {
    return Optional.ofNullable(kept.get(id));
  }

  /**
   * Keeps a committed state unless a newer one is kept already (two commands on one profile can
   * finish their transactions in one order and reach this in the other).
   */
  synchronized void keep(ProfileId id, long seq, long snapshotSeq, Profile state) {
    Kept old = kept.get(id);
    if (old != null && old.seq() >= seq) {
      return;
    }
    long weight = weight(state);
    if (old != null) {
      kept.remove(id);
      total -= old.weight();
    }
    if (weight > budget) {
      return;
    }
    kept.put(id, new Kept(seq, snapshotSeq, state, weight));
    total += weight;
    Iterator<Map.Entry<ProfileId, Kept>> eldest = kept.entrySet().iterator();
    while ((total > budget || kept.size() > maxProfiles) && eldest.hasNext()) {
      total -= eldest.next().getValue().weight();
      eldest.remove();
    }
  }

  synchronized int size() {
    return kept.size();
  }

  synchronized long weight() {
    return total;
  }

  /** About the characters a state holds: what makes one profile's state large. */
  static long weight(Profile state) {
    long w = 256;
    for (Profile.VersionState v : state.versions().values()) {
      w += 64;
      for (Variable variable : v.variables()) {
        w += 64 + variable.defaultValue().length();
      }
      for (Layer layer : v.layers()) {
        w +=
            64
                + switch (layer) {
                  case Layer.ManifestLayer m -> manifests(m);
                  case Layer.HelmLayer h -> h.values().length();
                  case Layer.PackLayer p -> p.values().length();
                  case Layer.ZarfLayer z -> 0;
                };
      }
    }
    return w;
  }

  private static long manifests(Layer.ManifestLayer layer) {
    long w = 0;
    for (Manifest m : layer.manifests()) {
      w += 32 + m.name().length() + m.content().length();
    }
    return w;
  }
}
