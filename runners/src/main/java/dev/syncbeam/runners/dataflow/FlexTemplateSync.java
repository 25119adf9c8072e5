package dev.syncbeam.runners.dataflow;

import dev.syncbeam.pipelines.cli.SyncbeamCli;
import dev.syncbeam.pipelines.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The entry point of SyncBeam's Dataflow Flex Template. Google's launcher calls it with the
 * template's parameters as {@code --name=value} ({@code config}, {@code fullRefresh}, {@code only})
 * followed by the Dataflow options it sets itself ({@code --runner}, {@code --project},
 * {@code --region}, {@code --tempLocation}, ...); they become one {@code syncbeam sync}. The config
 * may sit on Cloud Storage (any Beam file system): it is copied to a local file first, as the
 * config loader reads local files.
 */
public final class FlexTemplateSync {
  /** The template's own parameters, as runners/dataflow/metadata.json declares them. */
  public static final List<String> PARAMETERS = List.of("config", "fullRefresh", "only");

  private FlexTemplateSync() {}

  public static void main(String[] args) throws IOException {
    String[] sync;
    try {
      sync = syncArguments(args);
    } catch (ConfigException e) {
      System.err.println("syncbeam: " + e.getMessage());
      System.exit(SyncbeamCli.EXIT_BAD_CONFIG);
      return;
    }
    System.exit(SyncbeamCli.run(sync, System.out, System.err));
  }

  /** The {@code syncbeam sync} command line for the launcher's arguments. */
  static String[] syncArguments(String[] args) throws IOException {
    Map<String, String> template = new TreeMap<>();
    List<String> beam = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name != null && PARAMETERS.contains(name)) template.put(name, arg.substring(eq + 1));
      else beam.add(arg);
    }
    String config = template.get("config");
    if (config == null || config.isBlank()) {
      throw new ConfigException("the template parameter config (where the syncbeam.yaml is, e.g. gs://bucket/syncbeam.yaml) is required");
    }
    List<String> sync = new ArrayList<>(List.of("sync", "--config", localCopy(config, beam).toString()));
    if (Boolean.parseBoolean(template.getOrDefault("fullRefresh", "false"))) sync.add("--full-refresh");
    for (String only : template.getOrDefault("only", "").split(",")) {
      if (!only.isBlank()) sync.addAll(List.of("--only", only.trim()));
    }
    sync.addAll(beam);
    return sync.toArray(String[]::new);
  }

  /** A local path of the config: itself, or a copy read through Beam's file systems (gs://, s3://, file://). */
  static Path localCopy(String config, List<String> beamArgs) throws IOException {
    if (!config.contains("://")) return Path.of(config);
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).create());
    Path dir = Files.createTempDirectory("syncbeam-template");
    Path local = dir.resolve("syncbeam.yaml");
    // the copy lives as long as the command: files are deleted in the reverse order of registration
    dir.toFile().deleteOnExit();
    local.toFile().deleteOnExit();
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(config).resourceId()))) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConfigException("cannot read the template parameter config " + config + ": " + e.getMessage());
    }
    return local;
  }
}
