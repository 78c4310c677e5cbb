package io.strata.cluster.spec;

import io.strata.cluster.domain.ClusterRejected;
import io.strata.kit.http.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The cluster aggregate's refusals as problem documents. */
public class ClusterRejectedMapper {
  @ServerExceptionMapper
  public Response rejected(ClusterRejected e, UriInfo uri) {
    String title =
        switch (e) {
          case ClusterRejected.Conflict c -> "Conflict";
          case ClusterRejected.Stale s -> "Precondition Failed";
          case ClusterRejected.Invalid i -> "Unprocessable Content";
        };
    return ProblemMappers.problem(e.status(), title, e.getMessage(), uri, e.errors());
  }
}
