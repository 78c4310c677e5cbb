package io.strata.kit.security;

import io.strata.events.access.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an {@code /api/v1} endpoint needs (in at least one project; handlers check the
 * project of what they touch). An endpoint without it is refused: deny by default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allow {
  Role value();
}
