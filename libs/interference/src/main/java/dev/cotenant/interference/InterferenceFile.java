package dev.cotenant.interference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads and writes {@code cotenant.interference/v1} files (ARCHITECTURE.md, "Data formats").
 * Unknown fields are ignored so newer writers stay readable; everything else that is wrong is an
 * {@link InterferenceFormatException} pointing at the line and column of the offending value.
 */
public final class InterferenceFile {

  public static final String FORMAT = "cotenant.interference/v1";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private InterferenceFile() {}

  public static InterferenceMatrix read(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code reader}; {@code name} is what errors call the file. */
  public static InterferenceMatrix read(Reader reader, String name) {
    try (JsonParser parser = MAPPER.createParser(reader)) {
      return new Reading(parser, name).file();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InterferenceFormatException(
          name,
          at == null ? 1 : at.getLineNr(),
          at == null ? 1 : at.getColumnNr(),
          e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  public static void write(InterferenceMatrix matrix, Writer writer) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("device", matrix.device());
    List<AppJson> apps = new ArrayList<>();
    for (AppInfo a : matrix.apps()) {
      apps.add(
          new AppJson(
              a.name(),
              boxed(a.soloRate()),
              boxed(a.gpuMemoryMiB()),
              boxed(a.gpuUtilPercent()),
              boxed(a.cpuMilli()),
              boxed(a.smActivity()),
              boxed(a.dramActivity())));
    }
    root.put("apps", apps);
    List<PairJson> pairs = new ArrayList<>();
    for (PairEntry p : matrix.pairs()) {
      pairs.add(
          new PairJson(
              p.app(),
              p.with(),
              boxed(p.normalizedThroughput()),
              p.incompatible() ? true : null,
              p.evidence().predicted() ? true : null,
              p.evidence().count() > 0 ? p.evidence().count() : null,
              boxed(p.evidence().uncertainty())));
    }
    root.put("pairs", pairs);
    MAPPER.writeValue(writer, root);
  }

  public static void write(InterferenceMatrix matrix, Path file) {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(matrix, writer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Double boxed(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  private static OptionalDouble unboxed(Double v) {
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  record AppJson(
      String name,
      Double soloRate,
      Double gpuMemoryMiB,
      Double gpuUtilPercent,
      Double cpuMilli,
      Double smActivity,
      Double dramActivity) {}

  /** {@code predicted}, {@code count} and {@code uncertainty} are written by learned models. */
  record PairJson(
      String app,
      String with,
      Double normalizedThroughput,
      Boolean incompatible,
      Boolean predicted,
      Long count,
      Double uncertainty) {}

  /** One pass over the top-level object, remembering where each element began. */
  private static final class Reading {
    private final JsonParser parser;
    private final String name;
    private final List<AppInfo> apps = new ArrayList<>();
    private final List<PairEntry> pairs = new ArrayList<>();
    private final List<JsonLocation> pairLocations = new ArrayList<>();
    private Optional<String> format = Optional.empty();
    private Optional<String> device = Optional.empty();

    Reading(JsonParser parser, String name) {
      this.parser = parser;
      this.name = name;
    }

    InterferenceMatrix file() throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw error(parser.currentTokenLocation(), "expected a JSON object");
      }
      JsonLocation start = parser.currentTokenLocation();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "format" -> format = Optional.of(text(field, value));
          case "device" -> device = Optional.of(text(field, value));
          case "apps" -> readArray(field, value, this::readApp);
          case "pairs" -> readArray(field, value, this::readPair);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw error(parser.currentTokenLocation(), "unexpected content after the JSON object");
      }
      if (format.isEmpty()) {
        throw error(start, "missing field 'format' (expected \"" + FORMAT + "\")");
      }
      if (!FORMAT.equals(format.get())) {
        throw error(start, "format must be \"" + FORMAT + "\", got \"" + format.get() + "\"");
      }
      if (device.isEmpty() || device.get().isBlank()) {
        throw error(start, "missing field 'device'");
      }
      Set<String> names = new HashSet<>();
      for (AppInfo app : apps) {
        names.add(app.name());
      }
      Set<InterferenceMatrix.PairKey> seen = new HashSet<>();
      for (int i = 0; i < pairs.size(); i++) {
        PairEntry pair = pairs.get(i);
        for (String app : List.of(pair.app(), pair.with())) {
          if (!names.contains(app)) {
            throw error(pairLocations.get(i), "pair names app '" + app + "' not listed in apps");
          }
        }
        if (!seen.add(new InterferenceMatrix.PairKey(pair.app(), pair.with()))) {
          throw error(
              pairLocations.get(i),
              "pair " + pair.app() + " with " + pair.with() + " listed twice");
        }
      }
      return new InterferenceMatrix(device.get(), apps, pairs);
    }

    private String text(String field, JsonToken value) throws IOException {
      if (value != JsonToken.VALUE_STRING) {
        throw error(parser.currentTokenLocation(), "'" + field + "' must be a string");
      }
      return parser.getText();
    }

    private interface ElementReader {
      void read(JsonLocation at) throws IOException;
    }

    private void readArray(String field, JsonToken value, ElementReader element)
        throws IOException {
      if (value != JsonToken.START_ARRAY) {
        throw error(parser.currentTokenLocation(), "'" + field + "' must be an array");
      }
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        JsonLocation at = parser.currentTokenLocation();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
          throw error(at, "each element of '" + field + "' must be an object");
        }
        element.read(at);
      }
    }

    private void readApp(JsonLocation at) throws IOException {
      AppJson json = parser.readValueAs(AppJson.class);
      if (json.name() == null) {
        throw error(at, "app is missing 'name'");
      }
      if (apps.stream().anyMatch(a -> a.name().equals(json.name()))) {
        throw error(at, "app '" + json.name() + "' is listed twice");
      }
      try {
        apps.add(
            new AppInfo(
                json.name(),
                unboxed(json.soloRate()),
                unboxed(json.gpuMemoryMiB()),
                unboxed(json.gpuUtilPercent()),
                unboxed(json.cpuMilli()),
                unboxed(json.smActivity()),
                unboxed(json.dramActivity())));
      } catch (IllegalArgumentException e) {
        throw error(at, "app '" + json.name() + "': " + e.getMessage());
      }
    }

    private void readPair(JsonLocation at) throws IOException {
      PairJson json = parser.readValueAs(PairJson.class);
      if (json.app() == null || json.with() == null) {
        throw error(at, "pair needs 'app' and 'with'");
      }
      try {
        pairs.add(
            new PairEntry(
                json.app(),
                json.with(),
                unboxed(json.normalizedThroughput()),
                Boolean.TRUE.equals(json.incompatible()),
                new PairEntry.Evidence(
                    Boolean.TRUE.equals(json.predicted()),
                    json.count() == null ? 0 : json.count(),
                    unboxed(json.uncertainty()))));
        pairLocations.add(at);
      } catch (IllegalArgumentException e) {
        throw error(at, e.getMessage());
      }
    }

    private InterferenceFormatException error(JsonLocation at, String message) {
      return new InterferenceFormatException(name, at.getLineNr(), at.getColumnNr(), message);
    }
  }
}
