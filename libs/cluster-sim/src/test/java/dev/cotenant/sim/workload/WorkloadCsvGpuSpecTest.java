package dev.cotenant.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.sim.csv.CsvFormatException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional gpu_spec column: read where asked for, ignored by the simulator's reader. */
class WorkloadCsvGpuSpecTest {

  private static final String HEADER =
      "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,gpu_milli,"
          + "gpu_memory_mib";

  @TempDir Path dir;

  @Test
  void gpuSpecIsReadWithItsJobAndIgnoredOtherwise() throws Exception {
    Path file = dir.resolve("w.csv");
    Files.writeString(
        file,
        HEADER
            + ",gpu_spec\nj1,a,0,10,1,1000,1024,1,0,0,V100M16|V100M32\nj2,a,0,10,1,1000,1024,0,500,1024,\n");
    List<String> specs =
        WorkloadCsv.read(file, (job, row) -> job.name() + "=" + row.get("gpu_spec"));
    assertThat(specs).containsExactly("j1=V100M16|V100M32", "j2=");
    assertThat(WorkloadCsv.read(file)).extracting(WorkloadJob::name).containsExactly("j1", "j2");
  }

  @Test
  void aFileWithoutGpuSpecReadsAsEmptySpecs() throws Exception {
    Path file = dir.resolve("w.csv");
    Files.writeString(file, HEADER + "\nj1,a,0,10,1,1000,1024,1,0,0\n");
    assertThat(WorkloadCsv.read(file, (job, row) -> row.get("gpu_spec"))).containsExactly("");
  }

  @Test
  void otherUnknownColumnsAreStillRefused() {
    assertThatThrownBy(
            () ->
                WorkloadCsv.read(
                    new StringReader(HEADER + ",gpu_type\nj1,a,0,10,1,1000,1024,1,0,0,T4\n"), "w"))
        .isInstanceOf(CsvFormatException.class)
        .hasMessageContaining("unknown column(s) 'gpu_type'");
  }
}
