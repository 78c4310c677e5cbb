package io.strata.reconciler.api;

import static java.util.stream.Collectors.toSet;

import io.strata.events.ClusterId;
import io.strata.events.EventJson;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.reconcile.DriftedObject;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import io.strata.reconciler.desired.Charts;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.reconciler.desired.RenderFailure;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.desired.SealedVariables;
import io.strata.reconciler.preview.Preview;
import io.strata.reconciler.specs.ClusterSpecs;
import io.strata.reconciler.target.SimulatedClusters;
import io.strata.reconciler.target.Target;
import io.strata.reconciler.target.Targets;
import io.strata.reconciler.work.Reconciles;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the reconciler did, what it wants, and the simulated clusters' objects. */
@Path("/api/v1")
@Tag(name = "reconciler")
public class ReconcilerResource {
  private final EventStore store;
  private final ClusterSpecs specs;
  private final KnownProfiles profiles;
  private final Charts charts;
  private final SimulatedClusters simulated;
  private final CallerContext caller;
  private final Targets targets;
  private final Reconciles reconciles;
  private final SealedVariables sealed;

  ReconcilerResource(
      EventStore store,
      ClusterSpecs specs,
      KnownProfiles profiles,
      Charts charts,
      SimulatedClusters simulated,
      CallerContext caller,
      Targets targets,
      Reconciles reconciles,
      SealedVariables sealed) {
    this.sealed = sealed;
    this.targets = targets;
    this.reconciles = reconciles;
    this.store = store;
    this.specs = specs;
    this.profiles = profiles;
    this.charts = charts;
    this.simulated = simulated;
    this.caller = caller;
  }

  /** The cluster, if the caller may see it; 404 otherwise (existence does not leak). */
  private ClusterSpecs.Known visible(String clusterId) {
    return store
        .inTransaction(c -> specs.find(c, clusterId))
        .filter(k -> caller.caller().canSee(k.project()))
        .orElseThrow(() -> ProblemException.notFound("cluster " + clusterId));
  }

  @GET
  @Path("/reconciliations/{clusterId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "The last reconcile of a cluster: generation, phase, digest, object actions")
  public Map<String, Object> reconciliation(@PathParam("clusterId") String clusterId) {
    visible(clusterId);
    return store.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT generation, phase, desired_digest, objects, started_at, finished_at,"
                      + " error, drift, drift_checked_at FROM reconciliations WHERE cluster_id = ?")) {
            ps.setString(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw ProblemException.notFound("a reconcile of cluster " + clusterId);
              }
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("clusterId", clusterId);
              out.put("generation", rs.getLong(1));
              out.put("phase", rs.getString(2));
              out.put("desiredDigest", rs.getString(3));
              List<Map<String, Object>> objects = new ArrayList<>();
              for (Object a : EventJson.read(rs.getString(4), List.class)) {
                Map<?, ?> action = (Map<?, ?>) a;
                Map<String, Object> o = new LinkedHashMap<>();
                ((Map<?, ?>) action.get("object")).forEach((k, v) -> o.put(String.valueOf(k), v));
                o.put("layer", action.get("layer"));
                o.put("action", action.get("action"));
                objects.add(o);
              }
              out.put("objects", objects);
              out.put("startedAt", rs.getTimestamp(5).toInstant());
              Timestamp finished = rs.getTimestamp(6);
              out.put("finishedAt", finished == null ? null : finished.toInstant());
              out.put("error", rs.getString(7));
              out.put("drift", EventJson.readList(rs.getString(8), DriftedObject.class));
              Timestamp checked = rs.getTimestamp(9);
              out.put("driftCheckedAt", checked == null ? null : checked.toInstant());
              return out;
            }
          }
        });
  }

  @GET
  @Path("/clusters/{clusterId}/desired")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "The rendered desired objects of the cluster's current generation")
  public Map<String, Object> desired(@PathParam("clusterId") String clusterId) {
    ClusterSpecs.Known k = visible(clusterId);
    Renderer.Rendered r;
    try {
      r =
          Renderer.render(
              ClusterId.of(clusterId),
              k.spec(),
              profiles.catalog(),
              charts,
              Renderer.Secrets.MASKED);
    } catch (RenderFailure f) {
      throw new ProblemException(
          409, "Conflict", "the desired state does not render: " + f.getMessage());
    } catch (io.strata.eventstore.EventStoreException e) {
      throw e; // the database, not the content: retried (or a 503)
    } catch (RuntimeException e) {
      throw new ProblemException(
          409, "Conflict", "the desired state does not render: " + e.getClass().getSimpleName());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", clusterId);
    out.put("generation", r.generation());
    out.put("desiredDigest", r.digest());
    out.put("objects", r.objects().stream().map(DesiredObject::body).toList());
    return out;
  }

  public record ProfileRequest(String profileId, String version, Integer revision) {}

  public record PreviewRequest(List<ProfileRequest> profiles) {}

  @POST
  @Path("/clusters/{clusterId}/preview")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "What attaching these profiles (revision: the newest when absent; no profiles: the"
              + " current spec) would create, change (field by field) and prune; nothing applied")
  public Map<String, Object> preview(
      @PathParam("clusterId") String clusterId, PreviewRequest body) {
    ClusterSpecs.Known k = visible(clusterId);
    ClusterSpec current = k.spec();
    ClusterSpec candidate =
        body == null || body.profiles() == null || body.profiles().isEmpty()
            ? current
            : candidate(k, body.profiles());
    ClusterId cluster = ClusterId.of(clusterId);
    Renderer.Secrets secrets = sealed.of(cluster);
    Renderer.Rendered now = render(cluster, current, "the current spec", secrets);
    Renderer.Rendered next = render(cluster, candidate, "the candidate", secrets);
    Map<String, Map<String, Object>> live;
    try {
      live = targets.of(k).live(cluster, next.objects());
    } catch (Target.TargetFailure f) {
      throw new ProblemException(
          409, "Conflict", "the cluster's objects cannot be read: " + f.getMessage());
    }
    Preview.Result r = Preview.of(clusterId, next.objects(), now.objects(), live);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", clusterId);
    out.put("generation", current.generation());
    out.put("profiles", candidate.profiles());
    out.put("desiredDigest", next.digest());
    out.put("created", r.created());
    // the field values of a change may hold a sensitive variable's plaintext
    out.put(
        "changed",
        SealedVariables.mask(
            EventJson.mapper().convertValue(r.changed(), List.class),
            sealed.plaintexts(cluster, current)));
    out.put("pruned", r.pruned());
    out.put("unchanged", r.unchanged());
    return out;
  }

  /** The current spec with {@code requested} as its profiles; overrides of dropped ones go. */
  private ClusterSpec candidate(ClusterSpecs.Known k, List<ProfileRequest> requested) {
    Catalog catalog = profiles.catalog();
    List<FieldError> errors = new ArrayList<>();
    List<AttachedProfile> attached = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      ProfileRequest p = requested.get(i);
      String at = "profiles[" + i + "].";
      if (p == null || p.profileId() == null || p.version() == null) {
        errors.add(new FieldError(at + "profileId", "profileId and version are required"));
        continue;
      }
      Optional<Catalog.KnownProfile> profile =
          catalog
              .profile(p.profileId())
              .filter(f -> !f.deleted())
              .filter(f -> f.project().equals(k.project()) || catalog.projectShared(f.project()));
      if (profile.isEmpty()) {
        errors.add(new FieldError(at + "profileId", "profile " + p.profileId() + " is not known"));
        continue;
      }
      Optional<Semver> version =
          Semver.isValid(p.version()) ? Optional.of(Semver.parse(p.version())) : Optional.empty();
      Optional<Catalog.KnownVersion> known =
          version.flatMap(v -> catalog.version(profile.get().id(), v));
      if (known.isEmpty()) {
        errors.add(
            new FieldError(
                at + "version", profile.get().name() + " has no version " + p.version()));
        continue;
      }
      int revision = p.revision() == null ? known.get().latestRevision() : p.revision();
      if (revision < 1 || revision > known.get().latestRevision()) {
        errors.add(
            new FieldError(
                at + "revision",
                "must be between 1 and " + known.get().latestRevision() + " for " + p.version()));
        continue;
      }
      attached.add(
          new AttachedProfile(profile.get().id(), profile.get().name(), version.get(), revision));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    Set<ProfileId> kept = attached.stream().map(AttachedProfile::profileId).collect(toSet());
    ClusterSpec spec = k.spec();
    return new ClusterSpec(
        spec.generation(),
        attached,
        spec.variables(),
        spec.overrides().stream().filter(o -> kept.contains(o.profileId())).toList());
  }

  private Renderer.Rendered render(
      ClusterId cluster, ClusterSpec spec, String what, Renderer.Secrets secrets) {
    try {
      return Renderer.render(cluster, spec, profiles.catalog(), charts, secrets);
    } catch (RenderFailure f) {
      throw new ProblemException(
          422, "Unprocessable Content", what + " does not render: " + f.getMessage());
    } catch (io.strata.eventstore.EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ProblemException(
          422, "Unprocessable Content", what + " does not render: " + e.getClass().getSimpleName());
    }
  }

  @POST
  @Path("/clusters/{clusterId}/drift-check")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Check a converged cluster for drift now (and correct it when its policy says so);"
              + " 200 with the finding, 202 when it takes longer than 10 s")
  public Response driftCheck(@PathParam("clusterId") String clusterId) {
    ClusterSpecs.Known k = visible(clusterId);
    caller.caller().require(k.project(), Role.OPERATOR, "cluster " + clusterId);
    try {
      Reconciles.DriftReport report = reconciles.checkDrift(clusterId).get(10, TimeUnit.SECONDS);
      if (report.outcome().equals("not-converged")) {
        throw new ProblemException(
            409,
            "Conflict",
            "cluster "
                + clusterId
                + " is not converged on generation "
                + report.generation()
                + ": drift is checked once it is");
      }
      return Response.ok(report).build();
    } catch (TimeoutException e) {
      return Response.accepted(Map.of("clusterId", clusterId, "outcome", "queued"))
          .location(java.net.URI.create("/api/v1/reconciliations/" + clusterId))
          .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(503, "Service Unavailable", "interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @GET
  @Path("/targets/{clusterId}/objects")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "A simulated cluster's objects now, by apiVersion/kind/namespace/name")
  public Map<String, Object> objects(@PathParam("clusterId") String clusterId) {
    ClusterSpecs.Known k = visible(clusterId);
    simulatedOnly(k);
    ClusterId cluster = ClusterId.of(clusterId);
    return Map.of(
        "clusterId",
        clusterId,
        "objects",
        SealedVariables.mask(simulated.objects(cluster), sealed.plaintexts(cluster, k.spec())));
  }

  @PUT
  @Path("/targets/{clusterId}/objects/{object: .+}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Change a simulated cluster's object out of band (drift): path {apiVersion}/{kind}/"
              + "{namespace, or _ when cluster-scoped}/{name}")
  public Map<String, Object> change(
      @PathParam("clusterId") String clusterId,
      @PathParam("object") String object,
      Map<String, Object> body) {
    ClusterSpecs.Known k = visible(clusterId);
    caller.caller().require(k.project(), Role.OPERATOR, "cluster " + clusterId);
    simulatedOnly(k);
    String[] parts = object.split("/");
    if (parts.length < 4 || body == null) {
      throw new ProblemException(
          400,
          "Bad Request",
          "the path ends with {apiVersion}/{kind}/{namespace or _}/{name} and the body is the object");
    }
    int n = parts.length;
    String namespace = parts[n - 2].equals("_") ? "" : parts[n - 2];
    String key =
        String.join("/", Arrays.copyOf(parts, n - 3))
            + "/"
            + parts[n - 3]
            + "/"
            + namespace
            + "/"
            + parts[n - 1];
    simulated.put(ClusterId.of(clusterId), key, body);
    return Map.of("clusterId", clusterId, "object", key);
  }

  private static void simulatedOnly(ClusterSpecs.Known k) {
    if (!k.targetKind().equals("simulated")) {
      throw new ProblemException(
          409,
          "Conflict",
          "cluster " + k.clusterId() + " is not simulated: its objects live in Kubernetes");
    }
  }
}
