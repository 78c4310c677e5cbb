package io.strata.cluster.domain;

import io.strata.cluster.domain.ClusterCommand.ApplyPendingUpdates;
import io.strata.cluster.domain.ClusterCommand.AttachProfiles;
import io.strata.cluster.domain.ClusterCommand.Deregister;
import io.strata.cluster.domain.ClusterCommand.Patch;
import io.strata.cluster.domain.ClusterCommand.ProfileRequest;
import io.strata.cluster.domain.ClusterCommand.Register;
import io.strata.cluster.domain.ClusterCommand.RemoveOverride;
import io.strata.cluster.domain.ClusterCommand.Rollback;
import io.strata.cluster.domain.ClusterCommand.SetDriftPolicy;
import io.strata.cluster.domain.ClusterCommand.SetOverride;
import io.strata.cluster.domain.ClusterCommand.SetVariables;
import io.strata.cluster.domain.Overrides.Conflict;
import io.strata.cluster.domain.Overrides.Pin;
import io.strata.events.ClusterEvent;
import io.strata.events.ClusterEvent.ClusterDeregistered;
import io.strata.events.ClusterEvent.ClusterOverrideRemoved;
import io.strata.events.ClusterEvent.ClusterOverrideSet;
import io.strata.events.ClusterEvent.ClusterProfilesAttached;
import io.strata.events.ClusterEvent.ClusterRegistered;
import io.strata.events.ClusterEvent.ClusterRolledBack;
import io.strata.events.ClusterEvent.ClusterUpdatesApplied;
import io.strata.events.ClusterEvent.ClusterVariablesSet;
import io.strata.events.ClusterId;
import io.strata.events.ProfileId;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.ManifestPatch;
import io.strata.events.cluster.PendingUpdate;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.http.Problem.FieldError;
import io.strata.values.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster aggregate's decisions: given its state, a command and what it may look up, the events
 * that follow, or a rejection. Pure: no clock, no database, no randomness beyond the context.
 */
public final class ClusterDecider {
  private ClusterDecider() {}

  public static List<ClusterEvent> decide(
      ClusterState state, ClusterCommand command, DecisionContext ctx) {
    if (!(command instanceof Register) && !state.registered()) {
      throw new ClusterRejected.Conflict("cluster " + state.id() + " is not registered");
    }
    return switch (command) {
      case Register r -> register(state, r, ctx);
      case AttachProfiles a -> attach(state, a, ctx);
      case SetVariables v -> variables(state, v, ctx);
      case SetOverride o -> setOverride(state, o, ctx);
      case RemoveOverride o -> removeOverride(state, o, ctx);
      case ApplyPendingUpdates a -> applyUpdates(state, a, ctx);
      case Rollback r -> rollback(state, r, ctx);
      case Deregister d -> List.of(new ClusterDeregistered(state.id(), d.prune()));
      case SetDriftPolicy p ->
          p.policy() == state.driftPolicy()
              ? List.of()
              : List.of(new ClusterEvent.ClusterDriftPolicySet(state.id(), p.policy()));
    };
  }

  private static List<ClusterEvent> register(ClusterState state, Register r, DecisionContext ctx) {
    if (state.registered()) {
      throw new ClusterRejected.Conflict("cluster " + r.id() + " exists already");
    }
    List<FieldError> errors = new ArrayList<>();
    List<AttachedProfile> profiles =
        Attachments.resolve(r.profiles(), List.of(), r.project(), ctx.catalog(), errors);
    Map<String, String> variables =
        checkedVariables(r.id(), profiles, Map.of(), r.variables(), ctx, errors);
    ClusterRejected.Invalid.throwIfAny(errors);
    return List.of(
        new ClusterRegistered(
            r.id(),
            r.name(),
            r.labels(),
            r.target(),
            new ClusterSpec(1, profiles, variables, List.of()),
            r.project(),
            r.driftPolicy()));
  }

  private static List<ClusterEvent> attach(
      ClusterState state, AttachProfiles a, DecisionContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    ClusterSpec spec = state.spec();
    List<ProfileRequest> requests = a.merge() ? merged(spec, a.profiles(), ctx) : a.profiles();
    List<AttachedProfile> profiles =
        Attachments.resolve(requests, spec.profiles(), state.project(), ctx.catalog(), errors);
    for (AttachedProfile p : profiles) {
      spec.profiles().stream()
          .filter(was -> was.profileId().equals(p.profileId()) && was.version().equals(p.version()))
          .filter(was -> was.revision() != p.revision())
          .findFirst()
          .ifPresent(
              was ->
                  errors.add(
                      new FieldError(
                          "profiles",
                          p.name()
                              + " "
                              + p.version()
                              + " is attached at revision "
                              + was.revision()
                              + ": take newer revisions with pending-updates/apply, earlier ones"
                              + " with rollback")));
    }
    Map<String, String> variables =
        checkedVariables(state.id(), profiles, spec.variables(), a.variables(), ctx, errors);
    ClusterRejected.Invalid.throwIfAny(errors);
    if (profiles.equals(spec.profiles()) && variables.equals(spec.variables())) {
      return List.of();
    }
    List<LayerOverride> overrides =
        rebase(spec.overrides(), profiles, variables, a.acceptConflicts(), ctx);
    return List.of(
        new ClusterProfilesAttached(
            state.id(),
            new ClusterSpec(state.generation() + 1, profiles, variables, overrides),
            Attachments.reason(spec.profiles(), profiles)));
  }

  /**
   * The requested profiles plus the attached ones they do not replace (same profile, or the
   * infra/full slot), the latter pinned where they are.
   */
  private static List<ProfileRequest> merged(
      ClusterSpec spec, List<ProfileRequest> requested, DecisionContext ctx) {
    List<Optional<Catalog.KnownProfile>> known =
        requested.stream()
            .map(
                r ->
                    r.profile() == null
                        ? Optional.<Catalog.KnownProfile>empty()
                        : ctx.catalog().profile(r.profile()))
            .toList();
    boolean bringsInfra =
        known.stream().flatMap(Optional::stream).anyMatch(p -> p.type() != ProfileType.ADDON);
    List<ProfileRequest> out = new ArrayList<>(requested);
    for (AttachedProfile a : spec.profiles()) {
      boolean replaced =
          known.stream().flatMap(Optional::stream).anyMatch(p -> p.id().equals(a.profileId()));
      boolean infra =
          ctx.catalog()
              .profile(a.profileId().value())
              .map(p -> p.type() != ProfileType.ADDON)
              .orElse(false);
      if (!replaced && !(infra && bringsInfra)) {
        out.add(
            new ProfileRequest(
                a.profileId().value(), a.version().toString(), Optional.of(a.revision())));
      }
    }
    return out;
  }

  private static List<ClusterEvent> variables(
      ClusterState state, SetVariables v, DecisionContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    ClusterSpec spec = state.spec();
    Map<String, String> variables =
        checkedVariables(state.id(), spec.profiles(), spec.variables(), v.variables(), ctx, errors);
    ClusterRejected.Invalid.throwIfAny(errors);
    if (variables.equals(spec.variables())) {
      return List.of();
    }
    return List.of(
        new ClusterVariablesSet(
            state.id(),
            new ClusterSpec(state.generation() + 1, spec.profiles(), variables, spec.overrides())));
  }

  private static List<ClusterEvent> setOverride(
      ClusterState state, SetOverride o, DecisionContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    ClusterSpec spec = state.spec();
    AttachedProfile attached = attached(spec, o.profile(), ctx);
    Optional<LayerBase> base =
        Overrides.base(
            ctx.catalog(),
            attached.profileId(),
            attached.version(),
            attached.revision(),
            o.layer(),
            spec.variables());
    if (base.isEmpty()) {
      throw new ClusterRejected.Invalid(
          List.of(
              new FieldError(
                  "layer",
                  attached.name() + " " + attached.version() + " has no layer " + o.layer())));
    }
    String values = o.values() == null ? "" : o.values();
    if (!values.isBlank()) {
      if (!base.get().takesValues()) {
        errors.add(
            new FieldError(
                "values",
                "layer "
                    + o.layer()
                    + " is a "
                    + base.get().type()
                    + " layer and has no values; use patches"));
      } else {
        try {
          Values.parse(values);
        } catch (Values.NotAMapping e) {
          errors.add(new FieldError("values", e.getMessage()));
        }
      }
    }
    List<String> patches = new ArrayList<>();
    for (int i = 0; i < o.patches().size(); i++) {
      Patch p = o.patches().get(i);
      String at = "patches[" + i + "]";
      if (p.kind() == null || p.kind().isBlank()) {
        errors.add(new FieldError(at + ".target.kind", "is required"));
      }
      if (p.name() == null || p.name().isBlank()) {
        errors.add(new FieldError(at + ".target.name", "is required"));
      }
      if (p.patch().isEmpty()) {
        errors.add(new FieldError(at + ".patch", "must be a non-empty mapping (a merge patch)"));
      }
      if (p.kind() == null || p.name() == null) {
        continue;
      }
      var target = new ManifestPatch.Target(p.kind(), p.name(), p.namespace());
      if (base.get().type().equals("manifest") && base.get().object(target).isEmpty()) {
        errors.add(
            new FieldError(at + ".target", "layer " + o.layer() + " has no object " + target));
      } else if (base.get().type().equals("zarf")) {
        errors.add(new FieldError(at + ".target", "a zarf layer cannot be patched"));
      }
      patches.add(new ManifestPatch(target, p.patch()).write());
    }
    if (values.isBlank() && o.patches().isEmpty()) {
      errors.add(new FieldError("values", "an override needs values or patches"));
    }
    ClusterRejected.Invalid.throwIfAny(errors);
    LayerOverride override =
        new LayerOverride(
            attached.profileId(),
            o.layer(),
            values,
            patches,
            attached.version(),
            attached.revision());
    List<LayerOverride> overrides = new ArrayList<>();
    for (LayerOverride existing : spec.overrides()) {
      if (!existing.targets(attached.profileId(), o.layer())) {
        overrides.add(existing);
      }
    }
    overrides.add(override);
    if (overrides.equals(spec.overrides())) {
      return List.of();
    }
    return List.of(
        new ClusterOverrideSet(
            state.id(),
            override,
            new ClusterSpec(state.generation() + 1, spec.profiles(), spec.variables(), overrides)));
  }

  private static List<ClusterEvent> removeOverride(
      ClusterState state, RemoveOverride o, DecisionContext ctx) {
    ClusterSpec spec = state.spec();
    Optional<ProfileId> profile = ctx.catalog().profile(o.profile()).map(Catalog.KnownProfile::id);
    List<LayerOverride> kept =
        spec.overrides().stream()
            .filter(x -> profile.isEmpty() || !x.targets(profile.get(), o.layer()))
            .toList();
    if (profile.isEmpty() || kept.size() == spec.overrides().size()) {
      throw new ClusterRejected.Invalid(
          List.of(
              new FieldError(
                  "layer",
                  "cluster has no override for profile " + o.profile() + " layer " + o.layer())));
    }
    return List.of(
        new ClusterOverrideRemoved(
            state.id(),
            profile.get(),
            o.layer(),
            new ClusterSpec(state.generation() + 1, spec.profiles(), spec.variables(), kept)));
  }

  /** The newest revision of every attached version that is newer than the attached one. */
  public static List<PendingUpdate> pending(ClusterSpec spec, Catalog catalog) {
    List<PendingUpdate> out = new ArrayList<>();
    for (AttachedProfile a : spec.profiles()) {
      catalog
          .version(a.profileId(), a.version())
          .filter(v -> v.latestRevision() > a.revision())
          .ifPresent(
              v ->
                  out.add(
                      new PendingUpdate(
                          a.profileId(), a.version(), a.revision(), v.latestRevision())));
    }
    return out;
  }

  /** {@code profiles} with every pending update taken. */
  public static List<AttachedProfile> updated(
      List<AttachedProfile> profiles, List<PendingUpdate> pending) {
    List<AttachedProfile> out = new ArrayList<>();
    for (AttachedProfile p : profiles) {
      int to =
          pending.stream()
              .filter(u -> u.profileId().equals(p.profileId()))
              .mapToInt(PendingUpdate::toRevision)
              .findFirst()
              .orElse(p.revision());
      out.add(new AttachedProfile(p.profileId(), p.name(), p.version(), to));
    }
    return out;
  }

  private static List<ClusterEvent> applyUpdates(
      ClusterState state, ApplyPendingUpdates a, DecisionContext ctx) {
    ClusterSpec spec = state.spec();
    List<PendingUpdate> pending = pending(spec, ctx.catalog());
    if (pending.isEmpty()) {
      throw new ClusterRejected.Conflict("cluster " + state.name() + " has no pending updates");
    }
    List<AttachedProfile> profiles = updated(spec.profiles(), pending);
    // only the overrides of the profiles being updated: others keep their own conflicts
    List<LayerOverride> touched =
        spec.overrides().stream()
            .filter(o -> pending.stream().anyMatch(u -> u.profileId().equals(o.profileId())))
            .toList();
    List<Conflict> conflicts =
        Overrides.conflicts(touched, pins(profiles), spec.variables(), ctx.catalog());
    if (!conflicts.isEmpty() && !a.acceptConflicts()) {
      throw new ClusterRejected.Conflict(
          conflicts.size()
              + " override path(s) changed in the base since the override was written; review the"
              + " diff, then apply with ?acceptConflicts=true to keep the overrides",
          conflicts.stream()
              .map(
                  c ->
                      new FieldError(
                          "overrides." + c.layer() + "." + c.path(),
                          "base was "
                              + c.baseWhenWritten()
                              + ", is now "
                              + c.baseNow()
                              + "; override sets "
                              + c.overrideValue()))
              .toList());
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> variables =
        checkedVariables(state.id(), profiles, spec.variables(), a.variables(), ctx, errors);
    ClusterRejected.Invalid.throwIfAny(errors);
    List<LayerOverride> overrides = new ArrayList<>();
    for (LayerOverride o : spec.overrides()) {
      overrides.addAll(
          touched.contains(o) ? rebase(List.of(o), profiles, variables, true, ctx) : List.of(o));
    }
    return List.of(
        new ClusterUpdatesApplied(
            state.id(),
            new ClusterSpec(state.generation() + 1, profiles, variables, overrides),
            pending));
  }

  private static List<ClusterEvent> rollback(ClusterState state, Rollback r, DecisionContext ctx) {
    long current = state.generation();
    long target;
    if (r.toGeneration().isPresent()) {
      target = r.toGeneration().getAsLong();
      if (target < 1 || target >= current) {
        throw new ClusterRejected.Invalid(
            List.of(
                new FieldError(
                    "toGeneration",
                    "must be an earlier generation of this cluster: 1.." + (current - 1))));
      }
    } else {
      if (current == 1) {
        throw new ClusterRejected.Conflict(
            "generation 1 is the cluster's first: there is nothing to roll back to");
      }
      // the last generation that worked; before any reconcile reported one, the previous one
      target = ctx.lastConvergedBefore(current).orElse(current - 1);
    }
    ClusterSpec earlier =
        ctx.generation(target)
            .orElseThrow(
                () ->
                    new ClusterRejected.Invalid(
                        List.of(
                            new FieldError(
                                "toGeneration", "cluster has no generation " + target))));
    return List.of(
        new ClusterRolledBack(
            state.id(),
            new ClusterSpec(
                current + 1, earlier.profiles(), earlier.variables(), earlier.overrides()),
            target));
  }

  /**
   * Overrides of profiles whose pin changed move their base to the new pin when nothing conflicts
   * (or conflicts were accepted); a conflicting one keeps its base, so the conflict stays shown.
   */
  private static List<LayerOverride> rebase(
      List<LayerOverride> overrides,
      List<AttachedProfile> profiles,
      Map<String, String> variables,
      boolean acceptConflicts,
      DecisionContext ctx) {
    Map<ProfileId, Pin> pins = pins(profiles);
    List<LayerOverride> out = new ArrayList<>();
    for (LayerOverride o : overrides) {
      Pin pin = pins.get(o.profileId());
      boolean moved =
          pin != null
              && (!pin.version().equals(o.baseVersion()) || pin.revision() != o.baseRevision());
      boolean layerStays =
          pin != null
              && ctx.catalog()
                  .content(o.profileId(), pin.version(), pin.revision())
                  .flatMap(c -> c.layer(o.layer()))
                  .isPresent();
      if (moved
          && layerStays
          && (acceptConflicts
              || Overrides.conflicts(List.of(o), pins, variables, ctx.catalog()).isEmpty())) {
        out.add(o.rebasedOn(pin.version(), pin.revision()));
      } else {
        out.add(o);
      }
    }
    return out;
  }

  public static Map<ProfileId, Pin> pins(List<AttachedProfile> profiles) {
    Map<ProfileId, Pin> out = new LinkedHashMap<>();
    profiles.forEach(p -> out.put(p.profileId(), new Pin(p.version(), p.revision())));
    return out;
  }

  private static AttachedProfile attached(ClusterSpec spec, String profile, DecisionContext ctx) {
    Optional<ProfileId> id = ctx.catalog().profile(profile).map(Catalog.KnownProfile::id);
    return spec.profiles().stream()
        .filter(a -> id.isPresent() && a.profileId().equals(id.get()))
        .findFirst()
        .orElseThrow(
            () ->
                new ClusterRejected.Invalid(
                    List.of(
                        new FieldError(
                            "profileId",
                            "profile " + profile + " is not attached to this cluster"))));
  }

  /**
   * The variables after applying {@code changes} (a {@code null} value removes one), checked
   * against the declarations of {@code profiles}; sensitive values given now are sealed.
   */
  private static Map<String, String> checkedVariables(
      ClusterId cluster,
      List<AttachedProfile> profiles,
      Map<String, String> current,
      Map<String, String> changes,
      DecisionContext ctx,
      List<FieldError> errors) {
    Map<String, String> values = new HashMap<>(current);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            values.remove(k);
          } else {
            values.put(k, v);
          }
        });
    Map<String, Variable> declared = VariableCheck.declared(profiles, ctx.catalog());
    Set<String> supplied = changes.keySet();
    int before = errors.size();
    VariableCheck.check(declared, values, supplied, errors);
    if (errors.size() > before) {
      return values;
    }
    Map<String, String> out = new HashMap<>(values);
    for (Map.Entry<String, String> e : values.entrySet()) {
      Variable v = declared.get(e.getKey());
      if (v != null && v.sensitive() && !SealedValues.isRef(e.getValue())) {
        out.put(e.getKey(), ctx.seal(cluster, e.getKey(), e.getValue()));
      }
    }
    return out;
  }
}
