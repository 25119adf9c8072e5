package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.ConnectedDestination;
import dev.syncbeam.pipelines.config.SyncbeamConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import dev.syncbeam.schemas.SqlIdentifiers;

@Command(name = "sql", description = "Runs a query against the destination (handy with the embedded one).")
final class SqlCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "QUERY") String query;

  @Override
  public Integer call() throws Exception {
    SyncbeamConfig cfg = config.orDefault();
    try (ConnectedDestination dest = ConnectedDestination.open(cfg.destination()); Connection c = dest.destination().open();
         Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + SqlIdentifiers.quote(cfg.destination().schema()) + ", public");
      if (st.execute(query)) {
        try (ResultSet rs = st.getResultSet()) {
          TextTable.of(rs).print(System.out, 200);
        }
      } else {
        System.out.println(st.getUpdateCount() + " row(s) affected");
      }
      c.commit();
    }
    return 0;
  }
}
