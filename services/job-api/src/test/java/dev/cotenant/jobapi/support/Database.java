package dev.cotenant.jobapi.support;

import dev.cotenant.testsupport.TestStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct reads of the service's database, to check what was (not) stored. */
public final class Database {
  private Database() {}

  public static long count(String sql, Object... params) {
    try (Connection connection = TestStack.get().postgres().connect("job_api");
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (var result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Every row of a query, each as column name → value, for comparing whole rows. */
  public static List<Map<String, Object>> rows(String sql, Object... params) {
    try (Connection connection = TestStack.get().postgres().connect("job_api");
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (var result = statement.executeQuery()) {
        var meta = result.getMetaData();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            row.put(meta.getColumnName(c), result.getObject(c));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Waits until {@code sql} counts at least {@code expected}. */
  public static void awaitCount(long expected, Duration timeout, String sql, Object... params) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen;
    while ((seen = count(sql, params)) < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited " + timeout + " for " + expected + " from " + sql + "; have " + seen);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
