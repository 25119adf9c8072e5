package dev.syncbeam.sandbox.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Fault injection for one scope (the whole sandbox, one provider, or one customer's provider),
 * switchable while the server runs. Queued faults hit the next requests in order; a probabilistic
 * fault uses its own seeded Random, so a single-threaded test sees the same faults every run.
 * The oauth/token endpoint is never hit by request faults: it is how clients recover.
 */
public final class Faults {
  private final List<Tenant> scope;
  private final Deque<Fault> queued = new ArrayDeque<>();
  private Fault randomFault;
  private double probability;
  private Random random;
  private Duration slowDelay = Duration.ofSeconds(2);
  private int retryAfterSeconds = 1;

  Faults(List<Tenant> scope) {
    this.scope = scope;
  }

  /** The next {@code n} requests in this scope fail with {@code fault} (a 429 burst: {@code next(3, HTTP_429)}). */
  public synchronized Faults next(int n, Fault fault) {
    for (int i = 0; i < n; i++) queued.add(fault);
    return this;
  }

  /** Each request in this scope fails with {@code fault} with probability {@code p}, drawn from {@code new Random(seed)}. */
  public synchronized Faults withProbability(double p, long seed, Fault fault) {
    this.probability = p;
    this.random = new Random(seed);
    this.randomFault = fault;
    return this;
  }

  public synchronized Faults slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  public synchronized Faults retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** Removes queued and probabilistic faults (token states are left alone; see {@link #restoreCredentials()}). */
  public synchronized Faults clear() {
    queued.clear();
    randomFault = null;
    return this;
  }

  /** The current access tokens start returning 401 until the client refreshes via {@code <base>/oauth/token}. */
  public Faults expireAccessTokens() {
    scope.forEach(Tenant::expireAccessToken);
    return this;
  }

  /** Every request returns 401 and refreshing fails with 400, until {@link #restoreCredentials()}. */
  public Faults revokeCredentials() {
    scope.forEach(t -> t.setRevoked(true));
    return this;
  }

  public Faults restoreCredentials() {
    scope.forEach(t -> t.setRevoked(false));
    return this;
  }

  synchronized boolean armed() {
    return !queued.isEmpty() || randomFault != null;
  }

  synchronized Optional<Fault> draw() {
    if (!queued.isEmpty()) return Optional.of(queued.poll());
    if (randomFault != null && random.nextDouble() < probability) return Optional.of(randomFault);
    return Optional.empty();
  }

  synchronized Duration slowDelay() {
    return slowDelay;
  }

  synchronized int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
