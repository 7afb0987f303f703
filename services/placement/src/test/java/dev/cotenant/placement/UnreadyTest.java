package dev.cotenant.placement;

import dev.cotenant.testsupport.ServiceReadinessContract;
import dev.cotenant.testsupport.ServiceUnreadyContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

@QuarkusTest
@TestProfile(ServiceUnreadyContract.UnreachableDependencies.class)
class UnreadyTest extends ServiceUnreadyContract {
  @Override
  protected List<String> expectedDownChecks() {
    return List.of(ServiceReadinessContract.KAFKA, ServiceReadinessContract.KUBERNETES);
  }
}
