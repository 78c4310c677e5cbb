package io.strata.cluster.domain;

import io.strata.cluster.domain.ClusterCommand.ProfileRequest;
import io.strata.events.Semver;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.profile.ProfileType;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.Catalog.KnownProfile;
import io.strata.kit.catalog.Catalog.KnownVersion;
import io.strata.kit.http.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves requested attachments to pinned revisions and checks them as Palette does: one {@code
 * infra} or {@code full} profile plus any number of {@code addon} profiles, each of the cluster's
 * project or of a shared one, on a version that exists and is not deprecated-and-locked.
 */
public final class Attachments {
  private Attachments() {}

  public static List<AttachedProfile> resolve(
      List<ProfileRequest> requests,
      List<AttachedProfile> current,
      String project,
      Catalog catalog,
      List<FieldError> errors) {
    List<AttachedProfile> out = new ArrayList<>();
    List<String> infra = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      ProfileRequest r = requests.get(i);
      String at = "profiles[" + i + "]";
      if (r.profile() == null || r.profile().isBlank()) {
        errors.add(new FieldError(at + ".profileId", "is required"));
        continue;
      }
      Optional<KnownProfile> known =
          catalog
              .profile(r.profile())
              .filter(p -> !p.deleted())
              .filter(p -> p.project().equals(project) || catalog.projectShared(p.project()));
      if (known.isEmpty()) {
        errors.add(
            new FieldError(
                at + ".profileId",
                "profile "
                    + r.profile()
                    + " does not exist in project "
                    + project
                    + " or a shared one"));
        continue;
      }
      KnownProfile p = known.get();
      if (!seen.add(p.id().value())) {
        errors.add(new FieldError(at + ".profileId", "profile " + p.name() + " is attached twice"));
        continue;
      }
      if (p.type() != ProfileType.ADDON) {
        infra.add(p.name());
      }
      if (r.version() == null || !Semver.isValid(r.version())) {
        errors.add(new FieldError(at + ".version", "must be a semantic version such as 1.0.0"));
        continue;
      }
      Semver version = Semver.parse(r.version());
      Optional<KnownVersion> v = catalog.version(p.id(), version);
      if (v.isEmpty()) {
        errors.add(
            new FieldError(at + ".version", "profile " + p.name() + " has no version " + version));
        continue;
      }
      if (v.get().deprecated() && v.get().locked()) {
        errors.add(
            new FieldError(
                at + ".version",
                p.name() + " " + version + " is deprecated and locked: choose a newer version"));
        continue;
      }
      int revision;
      if (r.revision().isPresent()) {
        revision = r.revision().get();
        if (revision < 1 || revision > v.get().latestRevision()) {
          errors.add(
              new FieldError(
                  at + ".revision",
                  p.name() + " " + version + " has revisions 1.." + v.get().latestRevision()));
          continue;
        }
      } else {
        // the same version stays on its revision: an in-place update waits to be applied
        revision =
            current.stream()
                .filter(a -> a.profileId().equals(p.id()) && a.version().equals(version))
                .map(AttachedProfile::revision)
                .findFirst()
                .orElse(v.get().latestRevision());
      }
      out.add(new AttachedProfile(p.id(), p.name(), version, revision));
    }
    if (infra.size() > 1) {
      errors.add(
          new FieldError(
              "profiles",
              "at most one infra or full profile per cluster; got " + String.join(", ", infra)));
    }
    return out;
  }

  /**
   * How one profile's pin changes: {@code added}, {@code removed}, {@code upgrade}, {@code
   * downgrade}, {@code revision} (same version, another revision) or {@code unchanged}.
   */
  public static String change(Optional<AttachedProfile> before, Optional<AttachedProfile> after) {
    if (before.isEmpty()) {
      return after.isEmpty() ? "unchanged" : "added";
    }
    if (after.isEmpty()) {
      return "removed";
    }
    int c = after.get().version().compareTo(before.get().version());
    if (c != 0) {
      return c > 0 ? "upgrade" : "downgrade";
    }
    return after.get().revision() == before.get().revision() ? "unchanged" : "revision";
  }

  /** The reason of a new list, as an operator would say it: upgrade, downgrade, detach, attach. */
  public static String reason(List<AttachedProfile> before, List<AttachedProfile> after) {
    Set<String> changes = new HashSet<>();
    Set<io.strata.events.ProfileId> ids = new java.util.LinkedHashSet<>();
    before.forEach(p -> ids.add(p.profileId()));
    after.forEach(p -> ids.add(p.profileId()));
    for (var id : ids) {
      changes.add(change(find(before, id), find(after, id)));
    }
    changes.remove("unchanged");
    changes.remove("revision");
    if (changes.equals(Set.of("upgrade"))) {
      return "upgrade";
    }
    if (changes.equals(Set.of("downgrade"))) {
      return "downgrade";
    }
    if (changes.equals(Set.of("removed"))) {
      return "detach";
    }
    return "attach";
  }

  public static Optional<AttachedProfile> find(
      List<AttachedProfile> profiles, io.strata.events.ProfileId id) {
    return profiles.stream().filter(p -> p.profileId().equals(id)).findFirst();
  }
}
