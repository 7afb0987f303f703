package dev.cotenant.jobapi;

import static dev.cotenant.jobapi.support.JobApiTestResource.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.rest.JobResource;
import dev.cotenant.jobapi.support.JobApiTestResource;
import dev.cotenant.jobapi.support.Jobs;
import dev.cotenant.jobapi.support.RawHttp;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.LogCapture;
import dev.cotenant.testsupport.TestStack;
import dev.cotenant.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The defects of issue 16, one test each (numbered as there): every one is a 4xx problem+json (item
 * 10: the connection closed after the body deadline), nothing is stored or published, and nothing
 * is logged with a stack trace.
 */
@QuarkusTest
@WithTestResource(JobApiTestResource.class)
class HostileInputTest {
  private static final String TENANT = "hostile";
  private static final String TOKEN = Tokens.user(TENANT);
  private LogCapture log;
  private long jobs;
  private long offsets;

  @BeforeEach
  void before() {
    jobs = DATABASE.count("select count(*) from job where tenant = ?", TENANT);
    offsets = offsets();
    log = LogCapture.start();
  }

  @AfterEach
  void after() {
    log.close();
    assertThat(log.problems()).as("ERRORs and stack traces logged").isEmpty();
  }

  private static long offsets() {
    return EventTopics.endOffsets(
        TestStack.get().kafka().bootstrapServers(), Topics.JOB_SUBMISSIONS, Topics.JOB_EVENTS);
  }

  private void nothingStored() {
    assertThat(DATABASE.count("select count(*) from job where tenant = ?", TENANT)).isEqualTo(jobs);
    assertThat(offsets()).isEqualTo(offsets);
  }

  /** A valid job's JSON with {@code marker} replaced by {@code bytes}. */
  private static byte[] jobWith(String field, String marker, byte[] bytes) {
    ObjectNode job = Jobs.valid("hostile");
    job.putObject("env").put("BATCH_SIZE", "64");
    if (field.equals("image")) {
      job.put("image", marker);
    } else {
      ((ObjectNode) job.get("env")).put("A", marker);
    }
    byte[] plain = job.toString().getBytes(StandardCharsets.UTF_8);
    String text = new String(plain, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(marker);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, at);
    out.writeBytes(bytes);
    out.write(plain, at + marker.length(), plain.length - at - marker.length());
    return out.toByteArray();
  }

  private static RawHttp.Reply post(byte[] body, String extraHeaders) {
    return RawHttp.exchange(RawHttp.post(JobResource.PATH, TOKEN, body.length, extraHeaders), body);
  }

  private static void problem(RawHttp.Reply reply, int status, String field) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type"))
        .as(reply.toString())
        .startsWith("application/problem+json");
    JsonNode json = reply.json();
    assertThat(json.path("status").asInt()).isEqualTo(status);
    assertThat(json.path("title").asText()).isNotBlank();
    if (field != null) {
      List<String> fields = new ArrayList<>();
      json.path("violations").forEach(v -> fields.add(v.path("field").asText()));
      assertThat(fields).as(reply.body()).contains(field);
    }
  }

  @Test
  void item1InvalidUtf8IsRefusedWhereverItIs() {
    HexFormat hex = HexFormat.of();
    // overlong '/' in the image, overlong NUL and DEL, beyond U+10FFFF, and the old ones
    byte[][] cases = {
      jobWith("image", "MARK", RawHttp.concat("ghcr.io".getBytes(), hex.parseHex("e080af"))),
      jobWith("env", "MARK", hex.parseHex("c080")),
      jobWith("env", "MARK", hex.parseHex("c1bf")),
      jobWith("env", "MARK", hex.parseHex("f4908080")),
      jobWith("env", "MARK", hex.parseHex("eda080")),
      jobWith("env", "MARK", hex.parseHex("ff")),
      jobWith("env", "MARK", hex.parseHex("c3")),
    };
    for (byte[] body : cases) {
      problem(post(body, ""), 400, "");
    }
    nothingStored();
  }

  @Test
  void item2ALoneSurrogateEscapeIsRefusedNamingTheField() {
    byte[] body = jobWith("env", "MARK", "x\\ud800y".getBytes(StandardCharsets.US_ASCII));
    problem(post(body, ""), 400, "env[\"A\"]");
    byte[] key = Jobs.valid("hostile").toString().replace("\"team\"", "\"t\\udc00\"").getBytes();
    problem(post(key, ""), 400, null);
    nothingStored();
  }

  @Test
  void item3ControlCharactersAreRefusedInCommandArgsAndEnv() {
    ObjectNode job = Jobs.valid("hostile");
    job.putArray("command").add("python\u0000");
    job.putArray("args").add("--x").add("a\u0001b");
    job.putObject("env").put("A", "x\u001by");
    RawHttp.Reply reply = post(job.toString().getBytes(StandardCharsets.UTF_8), "");
    problem(reply, 400, "command[0]");
    problem(reply, 400, "args[1]");
    problem(reply, 400, "env[\"A\"]");
    nothingStored();
  }

  @Test
  void item4OversizedBodiesAreProblemsSentWholeOrChunked() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'x');
    // announced: refused from the headers, before the body is read
    RawHttp.Reply announced =
        RawHttp.exchange(RawHttp.post(JobResource.PATH, TOKEN, big.length, "").getBytes());
    problem(announced, 413, "");
    assertThat(announced.closed()).isTrue();
    // chunked: refused once the limit is passed
    try (RawHttp http = RawHttp.open(15_000)) {
      http.send(
          RawHttp.post(JobResource.PATH, TOKEN, -1, "Transfer-Encoding: chunked\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[8 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'x');
      // 8 KiB chunks until the server answers (at 256 KiB), then no more: it closes after that
      for (int i = 0; i < 64 && !http.answered(); i++) {
        http.send(("2000\r\n").getBytes());
        http.send(chunk);
        http.send("\r\n".getBytes());
        Thread.sleep(2);
      }
      problem(http.read(), 413, null);
    }
    nothingStored();
  }

  @Test
  void item5TheContentTypeMustBeDeclaredJsonInUtf8() {
    byte[] body = Jobs.valid("hostile").toString().getBytes(StandardCharsets.UTF_8);
    for (String type :
        List.of(
            "",
            "Content-Type: \r\n",
            "Content-Type: */*\r\n",
            "Content-Type: application/*\r\n",
            "Content-Type: application/json; charset=ISO-8859-1\r\n",
            "Content-Type: text/plain\r\n")) {
      String head =
          "POST "
              + JobResource.PATH
              + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Length: "
              + body.length
              + "\r\n"
              + type
              + "\r\n";
      RawHttp.Reply reply = RawHttp.exchange(head, body);
      problem(reply, 415, "Content-Type");
    }
    nothingStored();
    String declared =
        "POST "
            + JobResource.PATH
            + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    assertThat(RawHttp.exchange(declared, body).status()).isEqualTo(202);
  }

  @Test
  void item6AnEmptyIdempotencyKeyIsAMistakeNotNoKey() {
    byte[] body = Jobs.valid("hostile").toString().getBytes(StandardCharsets.UTF_8);
    problem(post(body, "Idempotency-Key: \r\n"), 400, JobResource.IDEMPOTENCY_KEY);
    problem(post(body, "Idempotency-Key: a b\r\n"), 400, JobResource.IDEMPOTENCY_KEY);
    problem(
        post(body, "Idempotency-Key: one\r\nIdempotency-Key: two\r\n"),
        400,
        JobResource.IDEMPOTENCY_KEY);
    nothingStored();
  }

  @Test
  void item7ErrorsOfTheHttpLayerAreProblems() {
    for (String path : List.of(JobResource.PATH, "/q/health/ready")) {
      RawHttp.Reply noHost = RawHttp.exchange(("GET " + path + " HTTP/1.1\r\n\r\n").getBytes());
      problem(noHost, 400, "Host");
    }
    RawHttp.Reply twoHosts =
        RawHttp.exchange(("GET /q/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").getBytes());
    problem(twoHosts, 400, "Host");
    RawHttp.Reply unknown =
        RawHttp.exchange("GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
    problem(unknown, 404, null);
    for (String target :
        List.of("/%zz", JobResource.PATH + "%2", JobResource.PATH + "?x=%zz", "/q/health/%zz")) {
      RawHttp.Reply bad =
          RawHttp.exchange(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
      problem(bad, 400, "request-target");
    }
    nothingStored();
  }

  @Test
  void item8OnlyALoneChunkedTransferEncodingIsUnderstood() {
    byte[] body = Jobs.valid("hostile").toString().getBytes(StandardCharsets.UTF_8);
    String chunked = Integer.toHexString(body.length) + "\r\n";
    byte[] framed =
        RawHttp.concat(RawHttp.concat(chunked.getBytes(), body), "\r\n0\r\n\r\n".getBytes());
    for (String te : List.of("chunked, identity", "identity", "gzip, chunked")) {
      RawHttp.Reply reply =
          RawHttp.exchange(
              RawHttp.post(JobResource.PATH, TOKEN, -1, "Transfer-Encoding: " + te + "\r\n"),
              framed);
      problem(reply, 400, "Transfer-Encoding");
      assertThat(reply.closed()).isTrue();
    }
    RawHttp.Reply both =
        RawHttp.exchange(
            RawHttp.post(JobResource.PATH, TOKEN, body.length, "Transfer-Encoding: xchunked\r\n"),
            body);
    problem(both, 400, "Transfer-Encoding");
    nothingStored();
  }

  @Test
  void item9ARegistryPortIsAtMost65535() {
    for (String image : List.of("ghcr.io:99999/a", "ghcr.io:0/a", "ghcr.io:65536/acme/x:1")) {
      ObjectNode job = Jobs.valid("hostile").put("image", image);
      problem(post(job.toString().getBytes(StandardCharsets.UTF_8), ""), 400, "image");
    }
    nothingStored();
  }

  @Test
  void item10ABodyThatTricklesIsCutAtTheDeadline() throws Exception {
    byte[] body = Jobs.valid("hostile").toString().getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<RawHttp.Reply>> replies = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < 20; c++) {
        replies.add(
            pool.submit(
                () -> {
                  try (RawHttp http = RawHttp.open(20_000)) {
                    http.send(RawHttp.post(JobResource.PATH, TOKEN, body.length, "").getBytes());
                    // one byte every 200 ms: never idle, never done
                    for (int i = 0; i < 50 && !http.answered(); i++) {
                      http.send(new byte[] {body[i]});
                      Thread.sleep(200);
                    }
                    return http.read();
                  }
                }));
      }
      for (Future<RawHttp.Reply> reply : replies) {
        RawHttp.Reply r = reply.get(30, TimeUnit.SECONDS);
        problem(r, 408, "");
      }
      // the configured deadline is 2 s; trickling alone would have taken 10 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
    } finally {
      pool.shutdownNow();
    }
    nothingStored();
  }

  @Test
  void item11SubmissionsCancelledAtRandomPointsLeaveWholeJobsOrNothing() throws Exception {
    // A tenant of its own: these commit (or not) after their clients have gone.
    String tenant = "hostile-cut";
    String token = Tokens.user(tenant);
    Random random = new Random(11);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        byte[] body = Jobs.valid("cut-" + i).toString().getBytes(StandardCharsets.UTF_8);
        byte[] whole =
            RawHttp.concat(RawHttp.post(JobResource.PATH, TOKEN, body.length, "").getBytes(), body);
        int cut = random.nextInt(4) == 0 ? random.nextInt(whole.length) : whole.length;
        int waitMicros = random.nextInt(30_000);
        done.add(
            pool.submit(
                () -> {
                  try (RawHttp http = RawHttp.open(5_000)) {
                    http.send(java.util.Arrays.copyOf(whole, cut));
                    TimeUnit.MICROSECONDS.sleep(waitMicros);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // Whatever committed has its outbox row; let any in-flight transaction end first.
    Thread.sleep(1_500);
    assertThat(
            DATABASE.count(
                "select count(*) from job j where j.tenant = ? and not exists"
                    + " (select 1 from outbox o where o.message_key = j.id::text)",
                tenant))
        .isZero();
  }
}
