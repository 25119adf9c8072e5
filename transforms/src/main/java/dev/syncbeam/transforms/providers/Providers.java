package dev.syncbeam.transforms.providers;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The providers SyncBeam knows: every {@link ProviderDescriptor} on the classpath, by name. */
public final class Providers {
  private static final Map<String, ProviderDescriptor> BY_NAME = load();

  private Providers() {}

  private static Map<String, ProviderDescriptor> load() {
    Map<String, ProviderDescriptor> out = new TreeMap<>();
    for (ProviderDescriptor d : ServiceLoader.load(ProviderDescriptor.class, Providers.class.getClassLoader())) {
      ProviderDescriptor clash = out.put(d.name(), d);
      if (clash != null) {
        throw new IllegalStateException("two provider descriptors are named " + d.name() + ": " + clash.getClass().getName()
            + " and " + d.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Throws {@link IllegalArgumentException} naming the provider and the known ones. */
  public static ProviderDescriptor get(String name) {
    ProviderDescriptor d = name == null ? null : BY_NAME.get(name);
    if (d == null) {
      throw new IllegalArgumentException("unknown provider '" + name + "' (expected one of " + String.join(", ", BY_NAME.keySet()) + ")");
    }
    return d;
  }

  public static boolean isKnown(String name) {
    return BY_NAME.containsKey(name);
  }

  public static Set<String> names() {
    return BY_NAME.keySet();
  }
}
