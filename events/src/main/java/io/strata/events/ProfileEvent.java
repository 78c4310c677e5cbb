package io.strata.events;

import io.strata.events.profile.*;
import java.util.List;

/** Facts about profiles, their versions and revisions, and the pack registry. */
public sealed interface ProfileEvent extends DomainEvent {

  /** A profile exists; its first version follows as {@link ProfileVersionCreated}. */
  record ProfileCreated(
      ProfileId profileId,
      String name,
      ProfileType type,
      String description,
      List<String> tags,
      String project)
      implements ProfileEvent {
    public ProfileCreated {
      description = description == null ? "" : description;
      tags = tags == null ? List.of() : List.copyOf(tags);
      project = project == null ? "default" : project;
    }

    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  /** A version with its whole content as revision 1; {@code copiedFrom} is empty when new. */
  record ProfileVersionCreated(
      ProfileId profileId,
      Semver version,
      int revision,
      String copiedFrom,
      List<Variable> variables,
      List<Layer> layers)
      implements ProfileEvent {
    public ProfileVersionCreated {
      copiedFrom = copiedFrom == null ? "" : copiedFrom;
      variables = variables == null ? List.of() : List.copyOf(variables);
      layers = layers == null ? List.of() : List.copyOf(layers);
    }

    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  /** An in-place update: the whole new content as {@code revision}, and what changed. */
  record ProfileVersionUpdated(
      ProfileId profileId,
      Semver version,
      int revision,
      List<Variable> variables,
      List<Layer> layers,
      List<LayerChange> changes)
      implements ProfileEvent {
    public ProfileVersionUpdated {
      variables = variables == null ? List.of() : List.copyOf(variables);
      layers = layers == null ? List.of() : List.copyOf(layers);
      changes = changes == null ? List.of() : List.copyOf(changes);
    }

    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  record ProfileVersionDeprecated(ProfileId profileId, Semver version, String reason)
      implements ProfileEvent {
    public ProfileVersionDeprecated {
      reason = reason == null ? "" : reason;
    }

    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  /** From now on only a new version can change this content. */
  record ProfileVersionLocked(ProfileId profileId, Semver version) implements ProfileEvent {
    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  record ProfileDeleted(ProfileId profileId) implements ProfileEvent {
    @Override
    public String aggregateId() {
      return profileId.value();
    }
  }

  /** A verified pack stored content-addressed under {@code digest} (sha256, hex). */
  record PackUploaded(
      PackId packId,
      String name,
      String version,
      PackKind kind,
      String digest,
      long sizeBytes,
      String defaultValues,
      String project)
      implements ProfileEvent {
    public PackUploaded {
      defaultValues = defaultValues == null ? "" : defaultValues;
      project = project == null ? "default" : project;
    }

    @Override
    public String aggregateId() {
      return packId.value();
    }
  }
}
