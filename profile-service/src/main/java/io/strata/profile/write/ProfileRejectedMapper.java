package io.strata.profile.write;

import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemMappers;
import io.strata.profile.domain.ProfileRejected;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The aggregate's refusals as problem documents. */
public class ProfileRejectedMapper {
  @ServerExceptionMapper
  public Response rejected(ProfileRejected e, UriInfo uri) {
    List<FieldError> errors =
        e instanceof ProfileRejected.Unprocessable u
            ? List.of(new FieldError(u.field(), e.getMessage()))
            : List.of();
    String title =
        switch (e.status()) {
          case 404 -> "Not Found";
          case 409 -> "Conflict";
          case 412 -> "Precondition Failed";
          default -> "Unprocessable Content";
        };
    return ProblemMappers.problem(e.status(), title, e.getMessage(), uri, errors);
  }
}
