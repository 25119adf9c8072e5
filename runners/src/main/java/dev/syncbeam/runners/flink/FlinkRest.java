package dev.syncbeam.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls SyncBeam makes to a Flink cluster's REST API (the one Flink's web UI uses). */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String master;

  /** {@code master} is {@code host:port} of the REST endpoint, as {@code --flinkMaster} takes it. */
  public FlinkRest(String master) {
    this.master = master.replaceFirst("^https?://", "");
  }

  public String master() {
    return master;
  }

  /** GET of a REST path ({@code /overview}, {@code /jobs/overview}, ...); a non-200 answer is an IOException naming it. */
  public JsonNode get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + master + path)).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Flink at " + master + " for " + path, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("Flink at " + master + " answered " + path + " with HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** The cluster at a glance: registered TaskManagers, slots, jobs by state. */
  public record Overview(String version, int taskManagers, int slotsTotal, int slotsAvailable,
                         int jobsRunning, int jobsFinished, int jobsCancelled, int jobsFailed) {
    @Override
    public String toString() {
      return String.format("Flink %s: %d TaskManager(s), %d slot(s) (%d free); jobs running %d, finished %d, cancelled %d, failed %d",
          version, taskManagers, slotsTotal, slotsAvailable, jobsRunning, jobsFinished, jobsCancelled, jobsFailed);
    }
  }

  public Overview overview() throws IOException {
    JsonNode o = get("/overview");
    return new Overview(o.path("flink-version").asText("?"), o.path("taskmanagers").asInt(), o.path("slots-total").asInt(),
        o.path("slots-available").asInt(), o.path("jobs-running").asInt(), o.path("jobs-finished").asInt(),
        o.path("jobs-cancelled").asInt(), o.path("jobs-failed").asInt());
  }
}
