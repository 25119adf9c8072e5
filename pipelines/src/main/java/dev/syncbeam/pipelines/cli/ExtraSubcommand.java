package dev.syncbeam.pipelines.cli;

/**
 * A subcommand another module adds to {@code syncbeam} (the runners module's {@code flink-cluster}):
 * a picocli {@code @Command} class listed in {@code META-INF/services} under this interface. The
 * command line cannot name such classes itself, since those modules depend on this one.
 */
public interface ExtraSubcommand {}
