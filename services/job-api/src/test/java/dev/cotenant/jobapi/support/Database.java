package dev.cotenant.jobapi.support;

import dev.cotenant.testsupport.TestStack;
import java.sql.Connection;
import java.sql.SQLException;

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
}
