package dev.syncbeam.pipelines.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the build wrote into {@code version.properties}. */
final class BuildVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    return new String[] {"syncbeam " + version()};
  }

  static String version() throws IOException {
    Properties p = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) throw new IOException("version.properties is missing from the build");
      p.load(in);
    }
    return p.getProperty("version");
  }
}
