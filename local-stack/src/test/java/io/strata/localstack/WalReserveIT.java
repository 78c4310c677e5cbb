package io.strata.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testsupport.RealPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

class WalReserveIT {

  @Test
  void writesTheMissingSegmentsAheadOnceAndThenFindsThem() throws Exception {
    try (Connection c = RealPostgres.dataSource("wal_reserve").getConnection()) {
      // a new data directory: nothing ahead yet (the test server keeps min_wal_size at 80 MB, five
      // segments, so three fit)
      assertThat(WalReserve.ahead(c)).isZero();

      int written = WalReserve.ensure(c, 3);

      assertThat(written).isEqualTo(4);
      assertThat(WalReserve.ahead(c)).isGreaterThanOrEqualTo(3);
      assertThat(WalReserve.ensure(c, 3)).isZero();
    }
  }
}
