package io.strata.kit.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body larger than {@code quarkus.http.limits.max-body-size} with a problem document
 * before it is read. (A chunked body without a length is still cut off by Vert.x at the same limit,
 * with a plain 413.)
 */
@Singleton
public class BodyLimit {
  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "2M")
  MemorySize limit;

  void install(@Observes Router router) {
    long max = limit.asLongValue();
    router
        .route()
        .order(-1000)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              long declared;
              try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
              } catch (NumberFormatException e) {
                declared = -1;
              }
              if (declared > max) {
                Problem p =
                    new Problem(
                        null,
                        "Content Too Large",
                        413,
                        "the body has "
                            + declared
                            + " bytes; the limit is "
                            + max
                            + " bytes (quarkus.http.limits.max-body-size)",
                        ctx.request().path(),
                        List.of());
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(Json.encode(p));
              } else {
                ctx.next();
              }
            });
  }
}
