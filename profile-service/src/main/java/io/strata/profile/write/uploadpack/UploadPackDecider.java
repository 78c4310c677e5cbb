package io.strata.profile.write.uploadpack;

import io.strata.events.PackId;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.PackUploaded;
import io.strata.events.profile.PackKind;
import io.strata.profile.domain.ProfileRejected;
import java.util.List;
import java.util.Optional;

/**
 * decide(UploadPack, earlier upload) -> events. Pure. A name+version is immutable: the same content
 * again changes nothing; other content is a conflict (a released revision pinned it).
 */
public final class UploadPackDecider {
  public record UploadPack(
      String name,
      String version,
      PackKind kind,
      String digest,
      long sizeBytes,
      String defaultValues,
      String project) {}

  private UploadPackDecider() {}

  public static List<ProfileEvent> decide(UploadPack cmd, Optional<PackUploaded> earlier) {
    if (earlier.isPresent()) {
      if (earlier.get().digest().equals(cmd.digest())) {
        return List.of();
      }
      throw new ProfileRejected.AlreadyExists(
          "pack "
              + cmd.name()
              + " "
              + cmd.version()
              + " exists with other content ("
              + earlier.get().digest()
              + "); publish a new version instead");
    }
    return List.of(
        new PackUploaded(
            PackId.of(cmd.name(), cmd.version()),
            cmd.name(),
            cmd.version(),
            cmd.kind(),
            cmd.digest(),
            cmd.sizeBytes(),
            cmd.defaultValues(),
            cmd.project()));
  }
}
