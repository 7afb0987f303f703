package dev.cotenant.placement.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSpec.GpuRequest;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JobRequestsTest {

  private static JobSubmitted job(
      JobSpec.Replicas replicas, JobSpec.Resources resources, Optional<String> policy) {
    return new JobSubmitted(
        "evt-1",
        Instant.parse("2024-05-01T10:00:00Z"),
        "acme",
        "job-42",
        new JobSpec(
            "train",
            "resnet50",
            "ghcr.io/acme/resnet50:1",
            List.of(),
            List.of(),
            Map.of(),
            JobSpec.JobKind.BATCH,
            replicas,
            resources,
            7,
            policy,
            Map.of(),
            Map.of()));
  }

  private static JobSpec.Resources resources(GpuRequest gpu) {
    return new JobSpec.Resources(2500, 8192, gpu);
  }

  @Test
  void aJobIsItsRequest() {
    JobRequest r =
        JobRequests.of(
            job(
                JobSpec.Replicas.fixed(3),
                resources(GpuRequest.share(250, 4096)),
                Optional.empty()),
            17,
            640.5);

    assertThat(r)
        .isEqualTo(
            new JobRequest(
                "job-42",
                "resnet50",
                7,
                17,
                new Replicas.Fixed(3),
                PodShape.share(2500, 8192, 250, 4096),
                640.5,
                Optional.empty()));
    assertThat(r.podName(2)).isEqualTo("job-42-2");
  }

  @Test
  void autoReplicasAreRightSizedUpToTheirMax() {
    JobRequest r =
        JobRequests.of(
            job(JobSpec.Replicas.upTo(8), resources(GpuRequest.whole(1)), Optional.empty()), 0, 0);

    assertThat(r.replicas()).isEqualTo(new Replicas.Auto(8));
    assertThat(r.replicas().max()).isEqualTo(8);
  }

  @Test
  void fixedReplicasAreAGang() {
    JobRequest r =
        JobRequests.of(
            job(JobSpec.Replicas.fixed(4), resources(GpuRequest.none()), Optional.empty()), 0, 0);

    assertThat(r.replicas()).isEqualTo(new Replicas.Fixed(4));
  }

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(GpuRequest.whole(2), PodShape.whole(2500, 8192, 2)),
        Arguments.of(GpuRequest.share(300, 4096), PodShape.share(2500, 8192, 300, 4096)),
        Arguments.of(GpuRequest.share(1000, 0), PodShape.share(2500, 8192, 1000, 0)),
        Arguments.of(new GpuRequest(0, 0, 2048), PodShape.share(2500, 8192, 0, 2048)),
        Arguments.of(GpuRequest.none(), PodShape.cpu(2500, 8192)),
        Arguments.of(null, PodShape.cpu(2500, 8192)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("shapes")
  void shapes(GpuRequest gpu, PodShape shape) {
    assertThat(JobRequests.shape(resources(gpu))).isEqualTo(shape);
    assertThat(
            JobRequests.of(job(JobSpec.Replicas.fixed(1), resources(gpu), Optional.empty()), 0, 0)
                .shape())
        .isEqualTo(shape);
  }

  @ParameterizedTest(name = "expected {0} -> soloSeconds {1}")
  @CsvSource({"0, 0", "3600, 3600", "12.25, 12.25", "-5, 0", "-0.001, 0"})
  void theExpectedSecondsArePassedThroughNeverNegative(double expected, double solo) {
    JobRequest r =
        JobRequests.of(
            job(JobSpec.Replicas.fixed(1), resources(GpuRequest.none()), Optional.empty()),
            0,
            expected);

    assertThat(r.soloSeconds()).isEqualTo(solo);
  }

  @Test
  void thePolicyIsPassedThrough() {
    var resources = resources(GpuRequest.share(100, 1024));

    assertThat(
            JobRequests.of(job(JobSpec.Replicas.fixed(1), resources, Optional.of("spread")), 0, 0)
                .policy())
        .contains("spread");
    assertThat(
            JobRequests.of(job(JobSpec.Replicas.fixed(1), resources, Optional.empty()), 0, 0)
                .policy())
        .isEmpty();
    assertThat(JobRequests.of(job(JobSpec.Replicas.fixed(1), resources, null), 0, 0).policy())
        .isEmpty();
  }

  @Test
  void aSpecWithoutResourcesIsRefusedNamingThem() {
    JobSubmitted noResources = job(JobSpec.Replicas.fixed(1), null, Optional.empty());

    assertThatThrownBy(() -> JobRequests.of(noResources, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.resources");
  }

  @Test
  void aSpecWithoutReplicasIsRefusedNamingThem() {
    JobSubmitted noReplicas = job(null, resources(GpuRequest.none()), Optional.empty());

    assertThatThrownBy(() -> JobRequests.of(noReplicas, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.replicas");
  }

  @Test
  void aJobWithoutSpecIsRefused() {
    JobSubmitted noSpec =
        new JobSubmitted("evt", Instant.parse("2024-05-01T10:00:00Z"), "acme", "job-1", null);

    assertThatThrownBy(() -> JobRequests.of(noSpec, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec");
  }
}
