package dev.cotenant.jobapi.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.JobSpec;
import dev.cotenant.jobapi.repository.JobEntity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: the stored (and hashed) form of a spec, and the API view of it. */
class JobMapperTest {

  @Test
  void aSpecWithoutPortsIsWrittenAsBeforePortsExisted() {
    String json = JobMapper.specJson(spec(JobSpec.JobKind.BATCH, List.of()));
    // The idempotency hash of a submission made before ports existed stays valid.
    assertThat(json).doesNotContain("ports");
    assertThat(read(json).ports()).isEmpty();
  }

  @Test
  void aSpecWithoutWorkIsWrittenAsBeforeWorkExisted() {
    String json = JobMapper.specJson(spec(JobSpec.JobKind.BATCH, List.of()));
    assertThat(json).doesNotContain("work");
    assertThat(read(json).work()).isEmpty();
    assertThat(JobMapper.request(read(json)).work()).isNull();
  }

  @Test
  void declaredWorkIsWrittenReadBackAndShown() {
    JobSpec s = spec(JobSpec.JobKind.BATCH, List.of());
    JobSpec withWork = s.withWork(50000);
    String json = JobMapper.specJson(withWork);
    assertThat(json).contains("\"work\":50000.0");
    assertThat(read(json).work()).hasValue(50000.0);
    assertThat(JobMapper.request(read(json)).work()).isEqualTo(50000.0);
  }

  @Test
  void declaredPortsAreWrittenAndReadBack() {
    String json = JobMapper.specJson(spec(JobSpec.JobKind.INTERACTIVE, List.of(8787, 6006)));
    assertThat(json).contains("\"ports\":[8787,6006]");
    assertThat(read(json).ports()).containsExactly(8787, 6006);
    assertThat(JobMapper.request(read(json)).ports()).containsExactly(8787, 6006);
  }

  @Test
  void anInteractiveJobStoredWithoutPortsShowsTheDefault() {
    JobSpec stored = read(JobMapper.specJson(spec(JobSpec.JobKind.INTERACTIVE, List.of())));
    assertThat(JobMapper.request(stored).ports()).containsExactly(8888);
  }

  @Test
  void endpointsRoundTripAndNoneIsANullColumn() {
    assertThat(JobMapper.endpointsJson(List.of())).isNull();
    assertThat(JobMapper.endpoints(null)).isEmpty();
    String json = JobMapper.endpointsJson(List.of("nb.lab.svc:8888"));
    assertThat(JobMapper.endpoints(json)).containsExactly("nb.lab.svc:8888");
  }

  private static JobSpec read(String json) {
    JobEntity row = new JobEntity();
    row.spec = json;
    return JobMapper.spec(row);
  }

  private static JobSpec spec(JobSpec.JobKind kind, List<Integer> ports) {
    return new JobSpec(
        "nb",
        "jupyter",
        "quay.io/jupyter/base-notebook:2025-01-06",
        List.of(),
        List.of(),
        Map.of(),
        kind,
        JobSpec.Replicas.fixed(1),
        new JobSpec.Resources(1000, 2048, JobSpec.GpuRequest.none()),
        0,
        Optional.empty(),
        Map.of(),
        Map.of(),
        ports);
  }
}
