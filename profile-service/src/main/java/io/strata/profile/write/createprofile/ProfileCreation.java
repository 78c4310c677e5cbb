package io.strata.profile.write.createprofile;

import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.events.profile.Layer;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileRejected;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import io.strata.profile.write.PackPins;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Creates a profile with its first version: for the REST resource and for import. */
@ApplicationScoped
public class ProfileCreation {
  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;
  private final AccessRegistry access;
  private final PackPins pins;

  ProfileCreation(
      EventStore store,
      ProfileCatalog catalog,
      CallerContext caller,
      AccessRegistry access,
      PackPins pins) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
    this.access = access;
    this.pins = pins;
  }

  public ProfileView create(CreateProfileRequest body) {
    if (body == null) {
      throw new ProblemException(400, "Bad Request", "a JSON body is required");
    }
    List<FieldError> errors = problems(body, access);
    if (errors.stream().noneMatch(e -> e.field().equals("project"))) {
      caller.caller().require(body.project(), Role.ADMIN, "project " + body.project());
    }
    var meta = caller.metadata(body.project());
    ProfileId id = ProfileId.generate();
    try {
      ProfileView created =
          store.inTransaction(
              c -> {
                // registry pins are checked with everything else: one 422 lists all problems
                List<Layer> pinned = pins.pin(c, body.layers(), errors);
                if (!errors.isEmpty()) {
                  throw ProblemException.invalid(errors);
                }
                if (catalog.existsByName(c, body.name())) {
                  throw ProblemException.conflict("a profile named '" + body.name() + "' exists");
                }
                CreateProfile cmd = command(id, body, pinned);
                List<EventEnvelope> history = store.load(c, id.value());
                Profile state =
                    Profile.fold(id, history.stream().map(e -> (ProfileEvent) e.event()).toList());
                List<ProfileEvent> events = CreateProfileDecider.decide(cmd, state);
                List<EventEnvelope> appended =
                    store.append(c, id.value(), history.size(), events, meta);
                catalog.apply(c, appended);
                return catalog.find(c, id.value()).orElseThrow();
              });
      return created;
    } catch (ProfileRejected.AlreadyExists e) {
      throw ProblemException.conflict(e.getMessage());
    } catch (ProfileCatalog.NameTaken e) {
      throw ProblemException.conflict("a profile named '" + body.name() + "' exists");
    }
  }

  static CreateProfile command(ProfileId id, CreateProfileRequest body, List<Layer> layers) {
    return new CreateProfile(
        id,
        body.name(),
        body.type(),
        body.description(),
        body.tags(),
        body.project(),
        Semver.parse(body.version()),
        body.variables(),
        layers);
  }

  /** Every problem of the body that needs no database: names, types, semver, variables, layers. */
  public static List<FieldError> problems(CreateProfileRequest body, AccessRegistry access) {
    List<FieldError> errors = new java.util.ArrayList<>();
    ProfileValidation.name("name", body.name(), errors);
    ProfileValidation.name("project", body.project(), errors);
    if (errors.stream().noneMatch(e -> e.field().equals("project"))
        && !access.projectExists(body.project())) {
      errors.add(new FieldError("project", "unknown project '" + body.project() + "'"));
    }
    if (body.type() == null) {
      errors.add(new FieldError("type", "is required: infra, addon or full"));
    }
    if (body.description().length() > 1024) {
      errors.add(new FieldError("description", "at most 1024 characters"));
    }
    ProfileValidation.tags(body.tags(), errors);
    ProfileValidation.version("version", body.version(), errors);
    ProfileValidation.variables(body.variables(), errors);
    ProfileValidation.layers(body.type(), body.layers(), body.variables(), errors);
    return errors;
  }
}
