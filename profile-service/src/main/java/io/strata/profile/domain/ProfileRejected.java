package io.strata.profile.domain;

/** Why the profile aggregate refused a command; the REST edge maps each to its status. */
public sealed class ProfileRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ProfileRejected(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 404 */
  public static final class NotFound extends ProfileRejected {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(404, message);
    }
  }

  /** 409: the profile or version exists already */
  public static final class AlreadyExists extends ProfileRejected {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String message) {
      super(409, message);
    }
  }

  /** 409: a locked version changes only by a new version */
  public static final class Locked extends ProfileRejected {
    private static final long serialVersionUID = 1L;

    public Locked(String message) {
      super(409, message);
    }
  }

  /** 412: the If-Match revision is not the newest */
  public static final class StaleRevision extends ProfileRejected {
    private static final long serialVersionUID = 1L;

    public StaleRevision(String message) {
      super(412, message);
    }
  }

  /** 422: the command names something that does not exist (a version to copy, ...) */
  public static final class Unprocessable extends ProfileRejected {
    private static final long serialVersionUID = 1L;
    private final String field;

    public Unprocessable(String field, String message) {
      super(422, message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
