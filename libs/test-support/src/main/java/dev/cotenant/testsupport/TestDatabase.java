package dev.cotenant.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct reads of one service's database on the {@link TestStack}'s PostgreSQL, to check what was
 * (not) stored.
 *
 * @param name the database, as the service's test resource creates it
 */
public record TestDatabase(String name) {

  /** The first column of the first row, e.g. of {@code select count(*) …}. */
  public long count(String sql, Object... params) {
    return query(
        sql,
        params,
        statement -> {
          try (var result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
          }
        });
  }

  /** Every row of a query, each as column name → value, for comparing whole rows. */
  public List<Map<String, Object>> rows(String sql, Object... params) {
    return query(
        sql,
        params,
        statement -> {
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
        });
  }

  /** Waits until {@code sql} counts at least {@code expected}. */
  public void awaitCount(long expected, Duration timeout, String sql, Object... params) {
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

  private interface Read<T> {
    T from(PreparedStatement statement) throws SQLException;
  }

  private <T> T query(String sql, Object[] params, Read<T> read) {
    try (Connection connection = TestStack.get().postgres().connect(name);
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      return read.from(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
