package dev.cotenant.placement.support;

import dev.cotenant.testsupport.HealthProbe;
import dev.cotenant.testsupport.Ports;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged placement service as a process of its own, against the shared test stack. */
public final class PlacementProcess implements AutoCloseable {
  private final String identity;
  private final int port;
  private final Process process;
  private final Path log;

  private PlacementProcess(String identity, int port, Process process, Path log) {
    this.identity = identity;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts a replica named {@code identity}; leader election on, with short lease times. */
  public static PlacementProcess start(String identity, Map<String, String> extra)
      throws IOException {
    TestStack stack = TestStack.get();
    int port = Ports.free();
    Path jar = Path.of(System.getProperty("placement.jar", "target/quarkus-app/quarkus-run.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers());
    cmd.add("-Dkubernetes.master=" + stack.kubernetes().url());
    cmd.add("-Dkubernetes.auth.tryKubeConfig=false");
    cmd.add("-Dkubernetes.auth.tryServiceAccount=false");
    cmd.add("-Dmp.jwt.verify.publickey.location=" + Tokens.publicKeyFile());
    cmd.add("-Dcotenant.placement.leader-election.identity=" + identity);
    cmd.add("-Dcotenant.placement.leader-election.lease-duration=PT4S");
    cmd.add("-Dcotenant.placement.leader-election.renew-deadline=PT3S");
    cmd.add("-Dcotenant.placement.leader-election.retry-period=PT0.5S");
    cmd.add("-Dcotenant.placement.retry-backoff=PT0.2S");
    extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    Path log = Files.createTempFile("placement-" + identity + "-", ".log");
    Process process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PlacementProcess(identity, port, process, log);
  }

  public String identity() {
    return identity;
  }

  public URI ready() {
    return URI.create("http://127.0.0.1:" + port + "/q/health/ready");
  }

  /** Waits until its readiness endpoint answers UP. */
  public PlacementProcess awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(identity + " exited: " + tail());
      }
      if (HealthProbe.read(ready()).isUp()) {
        return this;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(identity + " not ready within " + timeout + ": " + tail());
  }

  /** SIGKILL: no shutdown hook, no lease release, writes cut off wherever they are. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: a graceful stop, which gives up the lease. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
