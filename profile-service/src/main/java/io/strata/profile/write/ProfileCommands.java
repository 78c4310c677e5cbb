package io.strata.profile.write;

import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.Profile;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The write path of every profile command: authorise on the profile's project, then in one
 * transaction load the events, fold, decide, append (events + outbox) and update the read model.
 */
@ApplicationScoped
public class ProfileCommands {
  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;

  ProfileCommands(EventStore store, ProfileCatalog catalog, CallerContext caller) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
  }

  /** Decides with the transaction's connection at hand (for registry lookups) and the state. */
  @FunctionalInterface
  public interface Decision {
    List<ProfileEvent> decide(Connection c, Profile state) throws SQLException;
  }

  /** The profile, if the caller holds {@code role} in its project: 404 if it cannot see it. */
  public ProfileView authorize(String profileId, Role role) {
    ProfileView view =
        store
            .inTransaction(c -> catalog.findWithoutVersions(c, profileId))
            .filter(v -> caller.caller().canSee(v.project()))
            .orElseThrow(() -> ProblemException.notFound("profile " + profileId));
    caller.caller().require(view.project(), role, "profile " + profileId);
    return view;
  }

  public List<EventEnvelope> execute(ProfileView profile, Decision decision) {
    ProfileId id = ProfileId.of(profile.id());
    return store.inTransaction(
        c -> {
          List<EventEnvelope> history = store.load(c, id.value());
          Profile state =
              Profile.fold(id, history.stream().map(e -> (ProfileEvent) e.event()).toList());
          List<ProfileEvent> events = decision.decide(c, state);
          List<EventEnvelope> appended =
              store.append(
                  c, id.value(), history.size(), events, caller.metadata(profile.project()));
          catalog.apply(c, appended);
          return appended;
        });
  }
}
