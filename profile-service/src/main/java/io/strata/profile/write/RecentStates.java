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
 * <p>Bounded by an estimate of the heap the kept states take (their text at two bytes a character,
 * as a string with one character beyond Latin-1 stores, plus the objects around it) and by a count;
 * the least recently used goes first.
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
   * Keeps a committed state of {@code weight} ({@link #weight(Profile)}) unless a newer one is kept
   * already (two commands on one profile can finish their transactions in one order and reach this
   * in the other).
   */
  synchronized void keep(ProfileId id, long seq, long snapshotSeq, Profile state, long weight) {
    Kept old = kept.get(id);
    if (old != null && old.seq() >= seq) {
      return;
    }
    if (old != null) {
      kept.remove(id);
      total -= old.weight();
    }
    if (!fits(weight)) {
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

  /** Whether a state of this weight can be kept at all. */
  boolean fits(long weight) {
    return weight <= budget;
  }

  /** About the bytes of heap a state takes: what makes one profile's state large. */
  static long weight(Profile state) {
    long w = 512 + text(state.name()) + text(state.project());
    for (Profile.VersionState v : state.versions().values()) {
      w += 256;
      for (Variable variable : v.variables()) {
        w += 128 + text(variable.name()) + text(variable.defaultValue()) + text(variable.regex());
      }
      for (Layer layer : v.layers()) {
        w +=
            256
                + text(layer.name())
                + switch (layer) {
                  case Layer.ManifestLayer m -> manifests(m);
                  case Layer.HelmLayer h -> text(h.values()) + 512;
                  case Layer.PackLayer p -> text(p.values()) + 256;
                  case Layer.ZarfLayer z -> 256;
                };
      }
    }
    return w;
  }

  private static long manifests(Layer.ManifestLayer layer) {
    long w = 0;
    for (Manifest m : layer.manifests()) {
      w += 96 + text(m.name()) + text(m.content());
    }
    return w;
  }

  /** A string's characters at two bytes each, plus its header. */
  private static long text(String s) {
    return 48 + 2L * s.length();
  }
}
