package dev.syncbeam.sandbox;

import java.util.Locale;
/** The people and company names every generated sample (extract files and API emulators) draws from. */
public final class SampleNames {
  private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus"};
  private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Wirth"};
  private static final String[] COMPANY = {"Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent"};
  private static final String[] CITY = {"Springfield", "Austin", "Berlin", "Lyon", "Toronto", "Osaka", "Leeds", "Porto"};

  private SampleNames() {}

  public static String first(int i) {
    return FIRST[Math.floorMod(i, FIRST.length)];
  }

  /** Varies with i / 10 too, so first+last pairs repeat only every hundred people. */
  public static String last(int i) {
    return LAST[Math.floorMod(i / FIRST.length + i, LAST.length)];
  }

  /** Unique per i: "Hooli", then "Hooli 2"... */
  public static String company(int i) {
    return COMPANY[Math.floorMod(i, COMPANY.length)] + (i >= COMPANY.length ? " " + (i / COMPANY.length + 1) : "");
  }

  public static String city(int i) {
    return CITY[Math.floorMod(i, CITY.length)];
  }

  public static String email(int i) {
    return (first(i) + "." + last(i) + i + "@example.com").toLowerCase(Locale.ROOT);
  }
}
