package io.strata.reconciler;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.OperationalContract;

@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "reconciler_it"))
class ReconcilerServiceIT extends OperationalContract {
  @Override
  protected String serviceName() {
    return "reconciler-service";
  }
}
