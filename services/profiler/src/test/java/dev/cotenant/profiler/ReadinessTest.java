package dev.cotenant.profiler;

import dev.cotenant.testsupport.CotenantTestResource;
import dev.cotenant.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(
    value = CotenantTestResource.class,
    initArgs = @ResourceArg(name = CotenantTestResource.DATABASE_ARG, value = "profiler"))
class ReadinessTest extends ServiceReadinessContract {
  @Override
  protected List<String> expectedChecks() {
    return List.of(KAFKA, POSTGRES);
  }
}
