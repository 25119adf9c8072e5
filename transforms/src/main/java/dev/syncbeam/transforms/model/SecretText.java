package dev.syncbeam.transforms.model;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret as the config wrote it. {@code ${VAR}} stays a reference until the secret is used, and is
 * then read from the environment of the process using it (a Flink TaskManager, a Dataflow worker),
 * so the job graph and the staged pipeline hold the variable's name, never its value.
 */
public final class SecretText {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private SecretText() {}

  /** A {@code ${VAR}} whose variable {@code env} does not have. */
  public static final class UnsetVariable extends IllegalStateException {
    private final String variable;

    UnsetVariable(String variable) {
      super("environment variable " + variable + " is not set");
      this.variable = variable;
    }

    public String variable() {
      return variable;
    }
  }

  /** {@code written} with every {@code ${VAR}} replaced from {@code env}; the config reads every value this way. */
  public static String expand(String written, Function<String, String> env) {
    Matcher m = VAR.matcher(written);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null) throw new UnsetVariable(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The secret's value here: every {@code ${VAR}} replaced from this process's environment. */
  public static String resolve(String written) {
    if (written == null || written.indexOf("${") < 0) return written;
    try {
      return expand(written, System::getenv);
    } catch (UnsetVariable e) {
      throw new IllegalStateException("environment variable " + e.variable() + " is not set in this process; the config"
          + " refers to it for a secret, which is read where it is used: set it on every worker too");
    }
  }
}
