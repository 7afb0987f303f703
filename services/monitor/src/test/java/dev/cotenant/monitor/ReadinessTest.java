package dev.cotenant.monitor;

import dev.cotenant.testsupport.CotenantTestResource;
import dev.cotenant.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(CotenantTestResource.class)
class ReadinessTest extends ServiceReadinessContract {
  @Override
  protected List<String> expectedChecks() {
    return List.of(KAFKA, KUBERNETES);
  }
}
