package dev.syncbeam.pipelines;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** A pipeline option that does not parse or is out of range: one line naming it. The command line exits with status 2. */
public final class InvalidOptionsException extends RuntimeException {
  private static final Pattern MISSING_PROPERTY = Pattern.compile("missing a property named '([^']+)'");
  private static final Pattern NOT_A = Pattern.compile("Cannot deserialize value of type `([^`]+)`");

  public InvalidOptionsException(String message) {
    super(message);
  }

  /**
   * Beam's parse errors name interfaces and classes, and for a bad value not even the option; this
   * names the option as the user wrote it, finding it by parsing each argument alone if need be.
   */
  static InvalidOptionsException fromBeam(IllegalArgumentException e, String[] args) {
    String message = firstLine(e);
    Matcher unknown = MISSING_PROPERTY.matcher(message);
    if (unknown.find()) {
      return new InvalidOptionsException("unknown option --" + unknown.group(1)
          + " (syncbeam sync --help=SyncOptions lists SyncBeam's; runner options need that runner on the classpath)");
    }
    for (String arg : args) {
      try {
        PipelineOptionsFactory.fromArgs(arg).as(SyncOptions.class);
      } catch (IllegalArgumentException alone) {
        Matcher type = NOT_A.matcher(firstLine(alone));
        return new InvalidOptionsException(arg + ": " + (type.find() ? "not a valid " + type.group(1) : firstLine(alone)));
      }
    }
    return new InvalidOptionsException("bad option: " + message);
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  static void requirePositive(String option, long value) {
    if (value < 1) throw new InvalidOptionsException("--" + option + "=" + value + ": must be a positive number");
  }

  static void requireBetween(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidOptionsException("--" + option + "=" + value + ": must be between " + min + " and " + max);
    }
  }
}
