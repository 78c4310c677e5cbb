package io.strata.cluster.registry;

import io.strata.cluster.domain.ClusterDecider;
import io.strata.cluster.domain.ClusterState;
import io.strata.cluster.domain.Overrides;
import io.strata.cluster.domain.Selector;
import io.strata.cluster.domain.VariableCheck;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.PendingUpdate;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.Variable;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.Page;
import io.strata.kit.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads of the clusters read model, always narrowed to what the caller may see. */
@ApplicationScoped
public class ClusterQueries {
  private static final String COLUMNS =
      "id, state, phase, observed_generation, last_converged_generation, message,"
          + " status_updated_at, created_at, updated_at";

  private final EventStore store;
  private final KnownProfiles profiles;

  ClusterQueries(EventStore store, KnownProfiles profiles) {
    this.store = store;
    this.profiles = profiles;
  }

  /** A filter of the list endpoint. */
  public record Filter(
      Selector selector,
      Optional<String> phase,
      Optional<String> project,
      boolean pendingOnly,
      Optional<String> after,
      int limit) {}

  public Optional<ClusterView> get(Caller caller, String id) {
    return store.inTransaction(c -> get(c, caller, id));
  }

  /** The cluster as the caller may see it, read through {@code c} (a command's transaction). */
  public Optional<ClusterView> get(Connection c, Caller caller, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM clusters WHERE id = ? AND NOT deleted")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        ClusterView v = view(rs, profiles.catalog(c), true);
        return caller.canSee(v.project()) ? Optional.of(v) : Optional.empty();
      }
    }
  }

  /** The raw state of a cluster the caller may see, read through {@code c}. */
  public Optional<ClusterState> state(Connection c, Caller caller, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT state FROM clusters WHERE id = ? AND NOT deleted")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(ClusterRows.parse(rs.getString(1)))
                .filter(s -> caller.canSee(s.project()))
            : Optional.empty();
      }
    }
  }

  public Page<ClusterView> list(Caller caller, Filter f) {
    return store.inTransaction(
        c -> {
          StringBuilder sql =
              new StringBuilder("SELECT " + COLUMNS + " FROM clusters WHERE NOT deleted");
          List<Object> params = new ArrayList<>();
          visibleTo(caller, f.project(), sql, params);
          sql.append(" AND (").append(f.selector().sql()).append(")");
          params.addAll(f.selector().parameters());
          f.phase()
              .ifPresent(
                  p -> {
                    sql.append(" AND phase = ?");
                    params.add(p);
                  });
          if (f.pendingOnly()) {
            sql.append(" AND ").append(HAS_PENDING);
          }
          f.after()
              .ifPresent(
                  a -> {
                    sql.append(" AND id > ?");
                    params.add(a);
                  });
          sql.append(" ORDER BY id LIMIT ?");
          params.add(f.limit() + 1);
          List<ClusterView> rows = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bindAll(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              Catalog catalog = profiles.catalog(c);
              while (rs.next()) {
                rows.add(view(rs, catalog, false));
              }
            }
          }
          return Page.of(rows, f.limit(), ClusterView::id);
        });
  }

  /** Clusters on a revision older than the newest of their attached version. */
  static final String HAS_PENDING =
      "EXISTS (SELECT 1 FROM cluster_attachments a JOIN known_versions v ON v.profile_id ="
          + " a.profile_id AND v.version = a.version WHERE a.cluster_id = clusters.id AND"
          + " v.latest_revision > a.revision)";

  /** Narrows {@code sql} to the projects the caller may see (and {@code project} if given). */
  public static void visibleTo(
      Caller caller, Optional<String> project, StringBuilder sql, List<Object> params) {
    if (project.isPresent()) {
      if (caller.canSee(project.get())) {
        sql.append(" AND project = ?");
        params.add(project.get());
      } else {
        sql.append(" AND FALSE");
      }
    } else if (!caller.seesAllProjects()) {
      sql.append(" AND project = ANY (?)");
      params.add(caller.projects().toArray(String[]::new));
    }
  }

  public static void bindAll(Connection c, PreparedStatement ps, List<Object> params)
      throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof String[] array) {
        ps.setArray(i + 1, c.createArrayOf("text", array));
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /** The status columns of a cluster's row. */
  public record Row(
      String phase,
      long observedGeneration,
      long lastConvergedGeneration,
      String message,
      Instant statusUpdatedAt,
      Instant createdAt,
      Instant updatedAt) {
    static Row of(ResultSet rs) throws SQLException {
      return new Row(
          rs.getString("phase"),
          rs.getLong("observed_generation"),
          rs.getLong("last_converged_generation"),
          rs.getString("message"),
          instant(rs, "status_updated_at"),
          instant(rs, "created_at"),
          instant(rs, "updated_at"));
    }
  }

  public static ClusterView view(ResultSet rs, Catalog catalog, boolean detailed)
      throws SQLException {
    return view(ClusterRows.parse(rs.getString("state")), Row.of(rs), catalog, detailed);
  }

  public static ClusterView view(ClusterState s, Row row, Catalog catalog, boolean detailed) {
    ClusterSpec spec = s.spec();
    Map<String, Variable> declared = VariableCheck.declared(spec.profiles(), catalog);
    List<ClusterView.Pending> pending = new ArrayList<>();
    for (PendingUpdate u : ClusterDecider.pending(spec, catalog)) {
      List<Overrides.Conflict> conflicts = List.of();
      if (detailed) {
        var pins = ClusterDecider.pins(spec.profiles());
        pins.put(u.profileId(), new Overrides.Pin(u.version(), u.toRevision()));
        conflicts =
            Overrides.conflicts(
                spec.overrides().stream().filter(o -> o.profileId().equals(u.profileId())).toList(),
                pins,
                spec.variables(),
                catalog);
      }
      pending.add(
          new ClusterView.Pending(
              u.profileId(),
              name(spec, u),
              u.version(),
              u.fromRevision(),
              u.toRevision(),
              conflicts));
    }
    List<ClusterView.Available> available = new ArrayList<>();
    List<Overrides.Conflict> conflicts = List.of();
    if (detailed) {
      for (AttachedProfile a : spec.profiles()) {
        catalog.versions(a.profileId()).stream()
            .filter(v -> v.version().compareTo(a.version()) > 0)
            .filter(v -> !(v.deprecated() && v.locked()))
            .forEach(
                v ->
                    available.add(
                        new ClusterView.Available(
                            a.profileId(), a.name(), v.version(), v.deprecated())));
      }
      conflicts =
          Overrides.conflicts(
              spec.overrides(), ClusterDecider.pins(spec.profiles()), spec.variables(), catalog);
    }
    Map<String, String> variables = SealedValues.masked(spec.variables(), declared);
    return new ClusterView(
        s.id().value(),
        s.name(),
        s.project(),
        new TreeMap<>(s.labels()),
        new ClusterView.Target(
            s.target().kind().name().toLowerCase(java.util.Locale.ROOT),
            s.target().credentialsRef().isEmpty() ? null : "stored",
            s.driftPolicy().name().toLowerCase(java.util.Locale.ROOT)),
        spec.generation(),
        new ClusterView.Spec(
            spec.generation(),
            spec.profiles(),
            variables,
            spec.overrides().stream().map(ClusterQueries::override).toList()),
        new ClusterView.Status(
            row.phase(),
            row.observedGeneration(),
            row.lastConvergedGeneration(),
            row.message(),
            row.statusUpdatedAt()),
        pending,
        available,
        conflicts,
        row.createdAt(),
        row.updatedAt());
  }

  private static String name(ClusterSpec spec, PendingUpdate u) {
    return spec.profiles().stream()
        .filter(p -> p.profileId().equals(u.profileId()))
        .map(AttachedProfile::name)
        .findFirst()
        .orElse("");
  }

  static ClusterView.Override override(LayerOverride o) {
    return new ClusterView.Override(
        o.profileId(),
        o.layer(),
        o.values(),
        Overrides.patches(o),
        o.baseVersion(),
        o.baseRevision());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }
}
