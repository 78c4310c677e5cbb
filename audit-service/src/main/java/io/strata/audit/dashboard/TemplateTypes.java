package io.strata.audit.dashboard;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateExtension;
import io.strata.audit.compliance.Compliance;
import io.strata.audit.log.AuditRecord;
import io.strata.audit.revisions.LayerDiff;
import io.strata.audit.revisions.RevisionViews;
import io.strata.audit.timeline.ClusterHistory;
import io.strata.audit.timeline.ClusterViews;
import io.strata.audit.timeline.SpecDiff;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The types the dashboard's templates read, so that Qute resolves them without reflection; and a
 * few formatting helpers the templates call.
 */
@TemplateData(target = Compliance.Report.class)
@TemplateData(target = Compliance.Counts.class)
@TemplateData(target = Compliance.ClusterRow.class)
@TemplateData(target = Compliance.ActorCount.class)
@TemplateData(target = Compliance.Recovery.class)
@TemplateData(target = ClusterViews.Cluster.class)
@TemplateData(target = ClusterViews.Step.class)
@TemplateData(target = ClusterViews.Generation.class)
@TemplateData(target = ClusterViews.StateAt.class)
@TemplateData(target = ClusterViews.Status.class)
@TemplateData(target = ClusterHistory.State.class)
@TemplateData(target = SpecDiff.Line.class)
@TemplateData(target = RevisionViews.Profile.class)
@TemplateData(target = RevisionViews.Version.class)
@TemplateData(target = RevisionViews.Revision.class)
@TemplateData(target = LayerDiff.Diff.class)
@TemplateData(target = LayerDiff.LayerChange.class)
@TemplateData(target = LayerDiff.PathChange.class)
@TemplateData(target = LayerDiff.ObjectChange.class)
@TemplateData(target = AuditRecord.class)
@TemplateData(target = ClusterSpec.class)
@TemplateData(target = AttachedProfile.class)
@TemplateData(target = LayerOverride.class)
@TemplateData(target = DashboardResource.VersionRevisions.class)
@TemplateData(target = DashboardResource.Viewer.class)
public final class TemplateTypes {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

  private TemplateTypes() {}

  @TemplateExtension
  static String human(Instant t) {
    return TIME.format(t);
  }

  @TemplateExtension
  static String ms(Optional<Long> millis) {
    return millis.map(TemplateTypes::duration).orElse("–");
  }

  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f min", ms / 60000.0);
  }

  @TemplateExtension
  static int layerCount(RevisionViews.Revision r) {
    return r.layers().size();
  }

  @TemplateExtension
  static String changesText(RevisionViews.Revision r) {
    StringBuilder b = new StringBuilder();
    r.changes()
        .forEach(
            c ->
                b.append(c.path("layer").asText())
                    .append(' ')
                    .append(c.path("kind").asText())
                    .append("; "));
    return b.isEmpty() ? "" : b.substring(0, b.length() - 2);
  }

  @TemplateExtension
  static boolean differs(SpecDiff.Line l) {
    return l.change() != SpecDiff.Change.same;
  }

  /** {@code io.strata.cluster.ClusterRegistered.v1} → {@code ClusterRegistered}. */
  @TemplateExtension
  static String shortType(AuditRecord r) {
    String[] parts = r.type().split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : r.type();
  }

  /** The dashboard page of the record's aggregate, when it has one. */
  @TemplateExtension
  static String link(AuditRecord r) {
    return switch (r.aggregateType()) {
      case "cluster", "reconcile" -> "/clusters/" + r.aggregateId();
      case "profile" -> "/profiles/" + r.aggregateId();
      default -> "";
    };
  }
}
