package io.strata.profile.write.uploadpack;

import io.strata.events.EventEnvelope;
import io.strata.events.PackId;
import io.strata.events.ProfileEvent;
import io.strata.events.access.Role;
import io.strata.events.profile.PackKind;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.read.packs.PackRecord;
import io.strata.profile.read.packs.PackRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Verifies and stores a pack: for the upload endpoint and for imports that embed packs. */
@ApplicationScoped
public class PackUploads {
  public static final long MAX_PACK_BYTES = 10L * 1024 * 1024;
  private final EventStore store;
  private final PackRegistry registry;
  private final PackVerifier verifier;
  private final CallerContext caller;
  private final AccessRegistry access;

  PackUploads(
      EventStore store,
      PackRegistry registry,
      PackVerifier verifier,
      CallerContext caller,
      AccessRegistry access) {
    this.store = store;
    this.registry = registry;
    this.verifier = verifier;
    this.caller = caller;
    this.access = access;
  }

  /** {@code created} is false when the same content was there already. */
  public record Uploaded(String digest, boolean created) {}

  /** A pack that passed every check, ready to be stored. */
  public record VerifiedPack(UploadPackDecider.UploadPack command, byte[] content) {
    /** The registry's record of it once stored, for checks that run before it is. */
    public PackRecord asRegistered() {
      return new PackRecord(
          command.name(),
          command.version(),
          command.kind(),
          command.digest(),
          command.sizeBytes(),
          command.defaultValues(),
          command.project(),
          "",
          java.time.Instant.EPOCH);
    }
  }

  /**
   * Every check of an upload (names, semver, kind, values, the caller's right, the content as a
   * chart or bundle) with nothing written: a 422 listing the problems, or the pack to store.
   */
  public VerifiedPack verify(
      String name,
      String version,
      String kind,
      byte[] content,
      String values,
      String project,
      List<FieldError> earlierErrors) {
    List<FieldError> errors = new ArrayList<>(earlierErrors);
    Names.check("name", name, errors);
    ProfileValidation.version("version", version, errors);
    PackKind packKind =
        "helm".equals(kind) ? PackKind.HELM : "manifests".equals(kind) ? PackKind.MANIFESTS : null;
    if (packKind == null) {
      errors.add(new FieldError("kind", "must be helm or manifests"));
    }
    String inProject = project == null || project.isBlank() ? "default" : project;
    Names.check("project", inProject, errors);
    if (errors.stream().noneMatch(e -> e.field().equals("project"))
        && !access.projectExists(inProject)) {
      errors.add(new FieldError("project", "unknown project '" + inProject + "'"));
    }
    String defaults = values == null ? "" : values;
    if (!defaults.isBlank()) {
      ProfileValidation.mapping("values", defaults, errors);
    }
    if (content == null && errors.stream().noneMatch(e -> e.field().equals("file"))) {
      errors.add(new FieldError("file", "is required"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    caller.caller().require(inProject, Role.ADMIN, "project " + inProject);
    errors.addAll(verifier.verify(packKind, content, version));
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    String digest = digestOf(content);
    return new VerifiedPack(
        new UploadPackDecider.UploadPack(
            name, version, packKind, digest, content.length, defaults, inProject),
        content);
  }

  /** Stores a verified pack (nothing when the same content is there already). */
  public Uploaded store(VerifiedPack pack) {
    var cmd = pack.command();
    byte[] content = pack.content();
    String digest = cmd.digest();
    String inProject = cmd.project();
    String aggregate = PackId.of(cmd.name(), cmd.version()).value();
    List<EventEnvelope> appended =
        store.inTransaction(
            c -> {
              List<EventEnvelope> history = store.load(c, aggregate);
              Optional<ProfileEvent.PackUploaded> earlier =
                  history.stream()
                      .map(EventEnvelope::event)
                      .filter(ProfileEvent.PackUploaded.class::isInstance)
                      .map(ProfileEvent.PackUploaded.class::cast)
                      .findFirst();
              List<ProfileEvent> events = UploadPackDecider.decide(cmd, earlier);
              if (!events.isEmpty()) {
                registry.storeBlob(c, digest, content);
              }
              List<EventEnvelope> out =
                  store.append(c, aggregate, history.size(), events, caller.metadata(inProject));
              registry.apply(c, out);
              return out;
            });
    return new Uploaded(digest, !appended.isEmpty());
  }

  public static String digestOf(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
