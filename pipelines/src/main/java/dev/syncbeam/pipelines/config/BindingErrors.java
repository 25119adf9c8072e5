package dev.syncbeam.pipelines.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Jackson's binding errors, told in the file's own terms: {@code FILE: syncs[0].source.api.tokn: unknown key (...)}. */
final class BindingErrors {
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
  private static final Map<Class<?>, String> MAPPING_HINT = Map.of(
      ConfigFile.Source.class, ": { extract: DIR } or { api: {...} }",
      ConfigFile.Api.class, ": { base_url, token | api_token | refresh_token + client_id + client_secret }",
      ConfigFile.Webhook.class, ": url and secret, one per line");

  private BindingErrors() {}

  static ConfigException describe(Path file, JacksonException e, ObjectMapper mapper) {
    MarkedYAMLException syntax = cause(e, MarkedYAMLException.class);
    if (syntax != null) return notYaml(file, syntax);
    String path = e instanceof JsonMappingException m ? path(m) : "";
    StreamReadException read = cause(e, StreamReadException.class);
    Matcher duplicate = DUPLICATE.matcher(read == null ? "" : read.getOriginalMessage());
    if (duplicate.find()) {
      return at(file, join(path, duplicate.group(1)), "duplicate key" + onLine(read.getLocation()) + "; give each key once");
    }
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      return at(file, path, "unknown key (expected one of " + String.join(", ", known) + ")");
    }
    if (e instanceof ConfigLoader.ConfigValueException v) return at(file, path, v.getOriginalMessage());
    if (cause(e, InputCoercionException.class) != null) return at(file, path, "is out of range");
    if (e instanceof MismatchedInputException m) {
      if (m.getOriginalMessage().startsWith("Trailing token")) {
        return new ConfigException(file + ": a second YAML document" + onLine(m.getLocation()) + "; the config is one mapping");
      }
      if (path.isEmpty()) return new ConfigException(file + ": expected a mapping at the top level");
      return at(file, path, expected(m, mapper));
    }
    return at(file, path, firstLine(e.getOriginalMessage()));
  }

  static boolean isSyntaxError(JacksonException e) {
    return cause(e, MarkedYAMLException.class) != null;
  }

  /** What the key needed, from the type it binds to. */
  private static String expected(MismatchedInputException m, ObjectMapper mapper) {
    Class<?> type = m.getTargetType();
    if (type == null) return firstLine(m.getOriginalMessage());
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object constant : type.getEnumConstants()) names.add(mapper.convertValue(constant, String.class));
      String not = m instanceof InvalidFormatException f ? ", not '" + f.getValue() + "'" : "";
      return "must be " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1) + not;
    }
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) return "must be a whole number";
    if (Collection.class.isAssignableFrom(type)) return "must be a list";
    if (type.isRecord()) return "must be a mapping" + MAPPING_HINT.getOrDefault(type, "");
    return firstLine(m.getOriginalMessage());
  }

  /**
   * Not YAML at all. The common case: {@code { password: ${PG_PW} }} — inside braces YAML reads the
   * '{' of ${ as a nested mapping, so the variable needs quotes there.
   */
  private static ConfigException notYaml(Path file, MarkedYAMLException e) {
    int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine();
    String where = e.getProblemMark() == null ? "" : ":" + (line + 1) + ":" + (e.getProblemMark().getColumn() + 1);
    String variable = unquotedVariable(lineOf(file, line));
    if (variable != null) {
      return new ConfigException(file + ":" + (line + 1) + ": " + variable + " inside { } or [ ] must be quoted (\"" + variable
          + "\"), or write that mapping in block style (one key per line)");
    }
    return new ConfigException(file + where + ": not valid YAML: " + firstLine(e.getProblem()));
  }

  /** The first {@code ${VAR}} on the line outside quotes, or null. */
  static String unquotedVariable(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') i++;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return null;
      } else if (line.startsWith("${", i)) {
        int end = line.indexOf('}', i);
        if (end > i) return line.substring(i, end + 1);
      }
    }
    return null;
  }

  private static String lineOf(Path file, int line) {
    try {
      List<String> lines = Files.readAllLines(file);
      return line < lines.size() ? lines.get(line) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code syncs[0].source.api}, from the references Jackson collected on its way out. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
    }
    return sb.toString();
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static ConfigException at(Path file, String path, String message) {
    return new ConfigException(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  private static String onLine(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? "" : " on line " + location.getLineNr();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }
}
