package dev.syncbeam.pipelines.cli;

import dev.syncbeam.pipelines.InvalidOptionsException;
import dev.syncbeam.pipelines.config.ConfigException;
import dev.syncbeam.pipelines.serve.ServeCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code syncbeam}: the command line. Every command answers {@code --help} and {@code --version}
 * without reading a config or touching a database. Exit 2 for bad configuration and for bad
 * options or arguments, 1 for a failed run, 0 otherwise.
 */
@Command(name = "syncbeam", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = BuildVersion.class,
    description = "Lands Salesforce, HubSpot and Pipedrive data in PostgreSQL in Supaglue's table layout, on Apache Beam.",
    subcommands = {DemoCommand.class, SyncCommand.class, StreamCommand.class, StatusCommand.class, WebhooksCommand.class, CheckCommand.class, SqlCommand.class,
        BenchCommand.class, SandboxCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class SyncbeamCli implements Callable<Integer> {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_CONFIG = 2;

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; errors are one line on {@code err}, never a stack trace for expected failures. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new SyncbeamCli());
    for (ExtraSubcommand extra : ServiceLoader.load(ExtraSubcommand.class)) cli.addSubcommand(extra);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof InvalidOptionsException) {
        err.println("syncbeam: " + e.getMessage());
        return EXIT_BAD_CONFIG;
      }
      if (e instanceof SQLException) {
        err.println("syncbeam: database error: " + firstLine(e.getMessage()));
        return EXIT_FAILED;
      }
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
        err.println("syncbeam: " + e.getMessage());
        return EXIT_FAILED;
      }
      throw e;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("syncbeam: " + firstLine(e.getMessage()) + " (" + e.getCommandLine().getCommandSpec().qualifiedName()
          + " --help lists what it takes)");
      return EXIT_BAD_CONFIG;
    });
    return cli.execute(args);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
