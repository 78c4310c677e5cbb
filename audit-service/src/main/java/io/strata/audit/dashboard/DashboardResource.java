package io.strata.audit.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.strata.audit.compliance.Compliance;
import io.strata.audit.compliance.ComplianceResource;
import io.strata.audit.http.TimeParams;
import io.strata.audit.log.AuditLog;
import io.strata.audit.log.AuditRecord;
import io.strata.audit.revisions.LayerDiff;
import io.strata.audit.revisions.ProfileResource;
import io.strata.audit.revisions.RevisionViews;
import io.strata.audit.timeline.ClusterViews;
import io.strata.audit.timeline.SpecDiff;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard: server-rendered pages over the same views as the API, for the projects of the
 * signed-in caller only. Pages are GETs that change nothing; the only POSTs sign in and out.
 */
@Path("/")
@Tag(name = "dashboard")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {
  /** Who is signed in, as the header shows it. */
  public record Viewer(String name, String projects) {}

  /** A version with every revision, for the profile page. */
  public record VersionRevisions(
      RevisionViews.Version version, List<RevisionViews.Revision> revisions) {}

  private final Session session;
  private final EventStore store;
  private final AuditLog log;
  private final ObjectMapper json;

  @Location("dashboard/login.html")
  Template login;

  @Location("dashboard/fleet.html")
  Template fleet;

  @Location("dashboard/feed.html")
  Template feed;

  @Location("dashboard/cluster.html")
  Template cluster;

  @Location("dashboard/profile.html")
  Template profile;

  @Location("dashboard/compliance.html")
  Template compliance;

  @Location("dashboard/missing.html")
  Template missing;

  DashboardResource(Session session, EventStore store, AuditLog log, ObjectMapper json) {
    this.session = session;
    this.store = store;
    this.log = log;
    this.json = json;
  }

  @GET
  @Path("login")
  @Operation(summary = "The dashboard's sign-in page (paste an API key)")
  public Response loginPage() {
    return page(login.data("error", "").data("viewer", null));
  }

  @POST
  @Path("login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Sign in to the dashboard with an API key; sets an HttpOnly cookie")
  public Response signIn(
      @FormParam("key") String key,
      @Context UriInfo uri,
      @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
    AccessRegistry.Authentication auth = session.authenticate(key);
    if (auth.caller().isEmpty()) {
      return Response.status(401)
          .entity(
              login.data("error", "Not signed in: " + auth.reason()).data("viewer", null).render())
          .type(MediaType.TEXT_HTML_TYPE)
          .header("Cache-Control", "no-store")
          .header("Content-Security-Policy", CSP)
          .build();
    }
    return Response.seeOther(URI.create("/"))
        .cookie(Session.cookie(key, secure(uri, forwardedProto)))
        .header("Cache-Control", "no-store")
        .build();
  }

  @POST
  @Path("logout")
  @Operation(summary = "Sign out of the dashboard")
  public Response signOut(
      @Context UriInfo uri, @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
    return Response.seeOther(URI.create("/login"))
        .cookie(Session.expired(secure(uri, forwardedProto)))
        .build();
  }

  @GET
  @Operation(summary = "The fleet at a glance: phases, pending updates, drift, failures")
  public Response fleetPage(@CookieParam(Session.COOKIE) String cookie) {
    Optional<Caller> who = session.caller(cookie);
    if (who.isEmpty()) {
      return toLogin();
    }
    Caller c = who.get();
    Compliance.Report report = ComplianceResource.report(store, c);
    List<RevisionViews.Profile> profiles =
        store.inTransaction(x -> RevisionViews.profiles(x, c.projects(), c.seesAllProjects()));
    List<AuditRecord> recent =
        store.inTransaction(x -> log.latest(x, c.projects(), c.seesAllProjects(), 10));
    List<Compliance.ClusterRow> attention =
        report.clusters().stream()
            .filter(
                r -> !r.phase().equals("Converged") || r.drifted() || !r.pendingUpdates().isEmpty())
            .toList();
    return page(
        fleet
            .data("viewer", viewer(c))
            .data("report", report)
            .data("attention", attention)
            .data("profiles", profiles)
            .data("recent", recent)
            .data("phaseChart", chart("bar", report.byPhase())));
  }

  @GET
  @Path("feed")
  @Operation(summary = "The live event feed")
  public Response feedPage(@CookieParam(Session.COOKIE) String cookie) {
    Optional<Caller> who = session.caller(cookie);
    if (who.isEmpty()) {
      return toLogin();
    }
    Caller c = who.get();
    long head = store.inTransaction(log::head);
    List<AuditRecord> recent =
        store.inTransaction(x -> log.latest(x, c.projects(), c.seesAllProjects(), 50));
    return page(
        feed.data("viewer", viewer(c))
            .data("recent", recent)
            .data("stream", "/api/v1/audit/stream?after=" + head));
  }

  @GET
  @Path("clusters/{id}")
  @Operation(summary = "A cluster: timeline, state at an instant, spec diff against a generation")
  public Response clusterPage(
      @CookieParam(Session.COOKIE) String cookie,
      @PathParam("id") String id,
      @QueryParam("at") String at,
      @QueryParam("compare") String compare) {
    Optional<Caller> who = session.caller(cookie);
    if (who.isEmpty()) {
      return toLogin();
    }
    Caller c = who.get();
    Optional<ClusterViews.Cluster> found =
        store.inTransaction(x -> ClusterViews.cluster(x, id)).filter(cl -> c.canSee(cl.project()));
    if (found.isEmpty()) {
      return notFound(c, "No cluster " + id + " in your projects.");
    }
    ClusterViews.Cluster cl = found.get();
    List<ClusterViews.Step> steps =
        store.inTransaction(x -> ClusterViews.timeline(x, id, ClusterViews.Position.START, 1000));
    List<ClusterViews.Generation> generations =
        store.inTransaction(x -> ClusterViews.generations(x, id));
    String atError = "";
    ClusterViews.StateAt stateAt = null;
    if (at != null && !at.isBlank()) {
      try {
        Instant when = TimeParams.required("at", utc(at));
        stateAt = store.inTransaction(x -> ClusterViews.stateAt(x, cl, when)).orElse(null);
        if (stateAt == null) {
          atError = "The cluster was not registered yet at " + when + ".";
        }
      } catch (ProblemException e) {
        atError = e.getMessage();
      }
    }
    ClusterViews.Generation current = generations.isEmpty() ? null : generations.getLast();
    ClusterViews.Generation earlier = null;
    if (compare != null && !compare.isBlank()) {
      earlier =
          generations.stream()
              .filter(g -> Long.toString(g.generation()).equals(compare.strip()))
              .findFirst()
              .orElse(null);
    } else if (generations.size() > 1) {
      earlier = generations.get(generations.size() - 2);
    }
    List<SpecDiff.Line> diff =
        current != null && earlier != null
            ? SpecDiff.between(earlier.spec(), current.spec())
            : List.of();
    return page(
        cluster
            .data("viewer", viewer(c))
            .data("cluster", cl)
            .data("steps", steps)
            .data("generations", generations)
            .data("at", stateAt == null ? "" : LOCAL.format(stateAt.at()))
            .data("atError", atError)
            .data("stateAt", stateAt)
            .data("current", current)
            .data("earlier", earlier)
            .data("diff", diff));
  }

  @GET
  @Path("profiles/{id}")
  @Operation(summary = "A profile: versions, every revision, and a diff between two")
  public Response profilePage(
      @CookieParam(Session.COOKIE) String cookie,
      @PathParam("id") String id,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    Optional<Caller> who = session.caller(cookie);
    if (who.isEmpty()) {
      return toLogin();
    }
    Caller c = who.get();
    Optional<RevisionViews.Profile> found =
        store.inTransaction(x -> RevisionViews.profile(x, id)).filter(p -> c.canSee(p.project()));
    if (found.isEmpty()) {
      return notFound(c, "No profile " + id + " in your projects.");
    }
    List<VersionRevisions> versions = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (RevisionViews.Version v : store.inTransaction(x -> RevisionViews.versions(x, id))) {
      List<RevisionViews.Revision> revs =
          store.inTransaction(x -> RevisionViews.revisions(x, id, v.version()));
      versions.add(new VersionRevisions(v, revs));
      revs.forEach(r -> refs.add(r.version() + "@" + r.revision()));
    }
    String fromRef =
        from != null && !from.isBlank() ? from : refs.size() > 1 ? refs.get(refs.size() - 2) : "";
    String toRef = to != null && !to.isBlank() ? to : refs.isEmpty() ? "" : refs.getLast();
    LayerDiff.Diff diff = null;
    String diffError = "";
    if (!fromRef.isEmpty() && !toRef.isEmpty()) {
      try {
        diff =
            ProfileResource.diff(
                store, id, ProfileResource.ref("from", fromRef), ProfileResource.ref("to", toRef));
      } catch (ProblemException e) {
        diffError = e.getMessage();
      }
    }
    List<AuditRecord> history =
        store.inTransaction(
            x ->
                log.query(
                    x,
                    new AuditLog.Filter(
                        id, null, null, null, null, 0, c.projects(), c.seesAllProjects()),
                    500));
    return page(
        profile
            .data("viewer", viewer(c))
            .data("history", history)
            .data("profile", found.get())
            .data("versions", versions)
            .data("refs", refs)
            .data("from", fromRef)
            .data("to", toRef)
            .data("diff", diff)
            .data("diffError", diffError));
  }

  @GET
  @Path("compliance")
  @Operation(summary = "The compliance view")
  public Response compliancePage(@CookieParam(Session.COOKIE) String cookie) {
    Optional<Caller> who = session.caller(cookie);
    if (who.isEmpty()) {
      return toLogin();
    }
    Caller c = who.get();
    Compliance.Report report = ComplianceResource.report(store, c);
    Map<String, Long> actors = new LinkedHashMap<>();
    report.changesPerActor().stream().limit(20).forEach(a -> actors.put(a.actor(), a.changes()));
    return page(
        compliance
            .data("viewer", viewer(c))
            .data("report", report)
            .data("phaseChart", chart("pie", report.byPhase()))
            .data("actorChart", chart("bar", actors)));
  }

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  private static Response page(TemplateInstance t) {
    // rendered here: without the REST-Qute bridge a TemplateInstance is not an entity
    return Response.ok(t.render())
        .type("text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  private Response notFound(Caller c, String message) {
    return Response.status(404)
        .entity(missing.data("viewer", viewer(c)).data("message", message).render())
        .type("text/html; charset=utf-8")
        .header("Content-Security-Policy", CSP)
        .build();
  }

  private static Response toLogin() {
    return Response.seeOther(URI.create("/login")).header("Cache-Control", "no-store").build();
  }

  private static Viewer viewer(Caller c) {
    return new Viewer(
        c.name(),
        c.seesAllProjects()
            ? "all projects"
            : String.join(", ", new java.util.TreeSet<>(c.projects())));
  }

  /** The chart's data as JSON for a data attribute (the page holds no inline script). */
  private String chart(String type, Map<String, Long> series) {
    try {
      return json.writeValueAsString(
          Map.of(
              "type", type,
              "labels", List.copyOf(series.keySet()),
              "values", List.copyOf(series.values())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final java.time.format.DateTimeFormatter LOCAL =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
          .withZone(java.time.ZoneOffset.UTC);

  /** The picker sends a local date-time without a zone; the page says it is UTC. */
  static String utc(String at) {
    String v = at.strip();
    if (v.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d")) {
      return v + ":00Z";
    }
    return v.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?") ? v + "Z" : v;
  }

  private static boolean secure(UriInfo uri, String forwardedProto) {
    return "https".equalsIgnoreCase(uri.getRequestUri().getScheme())
        || "https".equalsIgnoreCase(forwardedProto);
  }
}
