package dev.cotenant.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.placement.model.Decision;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjDoubleConsumer;

/**
 * Every decision of one policy's run as JSON lines ({@code decisions-POLICY.jsonl}): the chosen
 * node and cards per pod, the top candidates with each plugin's score, and for a job that could not
 * be placed one reason per failing filter. Without an output directory it writes nothing.
 */
final class DecisionLog implements ObjDoubleConsumer<Decision>, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter writer;

  private DecisionLog(BufferedWriter writer) {
    this.writer = writer;
  }

  static DecisionLog open(Path dir, String policy) throws IOException {
    return new DecisionLog(
        dir == null
            ? null
            : Files.newBufferedWriter(
                dir.resolve("decisions-" + policy + ".jsonl"), StandardCharsets.UTF_8));
  }

  @Override
  public void accept(Decision decision, double timeSeconds) {
    if (writer == null) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timeSeconds", timeSeconds);
    line.put("decision", decision);
    try {
      writer.write(JSON.writeValueAsString(line));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the decision log", e);
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
