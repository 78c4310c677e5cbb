// What PostgreSQL alone commits per second on this machine, to set beside ProfileCommands' peak:
// the same server the platform uses (./strata up's local stack, fsync and synchronous_commit on),
// in a scratch schema dropped afterwards. Each transaction inserts one event-sized row (500 bytes
// of JSON-like text, unique on aggregate and sequence, like the event store) and commits.
//   java -cp "$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | tail -n1)" \
//     bench/PostgresAlone.java [seconds] [jdbcUrl]
// Prints commits/s and p50/p99 commit latency with 1, 8 and 32 clients (a service's pool holds 16
// connections; 32 is ProfileCommands' writer count, for a database flooded with clients).
// Run it with the services idle to measure the database alone, or during a benchmark to see what
// the database still has to spare.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class PostgresAlone {
  static final String SCHEMA = "bench_postgres_alone";
  static int runs;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String url = args.length > 1 ? args[1] : "jdbc:postgresql://localhost:55432/strata";
    try (Connection c = connect(url); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      st.execute("CREATE SCHEMA " + SCHEMA);
      st.execute("CREATE TABLE " + SCHEMA + ".events (id BIGSERIAL PRIMARY KEY, aggregate_id TEXT"
          + " NOT NULL, seq BIGINT NOT NULL, data TEXT NOT NULL, UNIQUE (aggregate_id, seq))");
    }
    try {
      run(url, 1, 3, false); // warm-up: connections, plans, the table's first pages
      run(url, 1, seconds, true);
      run(url, 8, seconds, true);
      run(url, 32, seconds, true);
    } finally {
      try (Connection c = connect(url); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
      }
    }
  }

  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, System.getenv().getOrDefault("PGUSER", "postgres"),
        System.getenv().getOrDefault("PGPASSWORD", "postgres"));
  }

  static void run(String url, int clients, int seconds, boolean print) throws Exception {
    String data = "{\"type\":\"ProfileVersionUpdated\",\"pad\":\"" + "x".repeat(440) + "\"}";
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int run = ++runs;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int w = 0; w < clients; w++) {
      String aggregate = "bench-" + run + "-" + w;
      results.add(pool.submit(() -> {
        List<Long> lat = new ArrayList<>();
        try (Connection c = connect(url);
            PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA
                + ".events (aggregate_id, seq, data) VALUES (?, ?, ?)")) {
          c.setAutoCommit(false);
          long seq = 0;
          while (System.nanoTime() < end) {
            long t = System.nanoTime();
            ps.setString(1, aggregate);
            ps.setLong(2, ++seq);
            ps.setString(3, data);
            ps.executeUpdate();
            c.commit();
            lat.add(System.nanoTime() - t);
          }
        }
        return lat;
      }));
    }
    List<Long> all = new ArrayList<>();
    try {
      for (Future<List<Long>> f : results) all.addAll(f.get());
    } finally {
      pool.shutdownNow(); // a failed client must not leave the others (and this JVM) running
    }
    if (!print) return;
    if (all.isEmpty()) {
      System.out.printf("PostgreSQL alone, %d clients: no commit in %d s%n", clients, seconds);
      return;
    }
    Collections.sort(all);
    System.out.printf("PostgreSQL alone, %d client%s: %.0f commits/s, p50 %.2f ms, p99 %.2f ms%n",
        clients, clients == 1 ? "" : "s", all.size() / (double) seconds,
        all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6);
  }
}
