package io.strata.cluster;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.OperationalContract;

@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "cluster_it"))
class ClusterServiceIT extends OperationalContract {
  @Override
  protected String serviceName() {
    return "cluster-service";
  }
}
