package dev.cotenant.profiler.support;

import dev.cotenant.testsupport.TestStack;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct reads of the profiler's database, to check what was (not) stored. */
public final class Database {
  private Database() {}

  /** Every row of a query, each as column name → value. */
  public static List<Map<String, Object>> rows(String sql, Object... params) {
    try (Connection connection = TestStack.get().postgres().connect("profiler");
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
}
