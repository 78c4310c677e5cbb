package io.strata.reconciler.api;

import io.strata.events.ClusterId;
import io.strata.events.EventJson;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import io.strata.reconciler.desired.Charts;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.reconciler.desired.RenderFailure;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.specs.ClusterSpecs;
import io.strata.reconciler.target.SimulatedClusters;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  ReconcilerResource(
      EventStore store,
      ClusterSpecs specs,
      KnownProfiles profiles,
      Charts charts,
      SimulatedClusters simulated,
      CallerContext caller) {
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
                  "SELECT generation, phase, desired_digest, objects, started_at, finished_at, error"
                      + " FROM reconciliations WHERE cluster_id = ?")) {
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
      r = Renderer.render(ClusterId.of(clusterId), k.spec(), profiles.catalog(), charts);
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

  @GET
  @Path("/targets/{clusterId}/objects")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "A simulated cluster's objects now, by apiVersion/kind/namespace/name")
  public Map<String, Object> objects(@PathParam("clusterId") String clusterId) {
    simulatedOnly(visible(clusterId));
    return Map.of("clusterId", clusterId, "objects", simulated.objects(ClusterId.of(clusterId)));
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
