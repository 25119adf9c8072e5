package dev.syncbeam.pipelines.serve;

import dev.syncbeam.transforms.providers.WriteRefusedException;
import dev.syncbeam.transforms.providers.http.ApiException;
import dev.syncbeam.transforms.providers.http.AuthenticationFailedException;
import java.io.IOException;

/** What a provider call that failed answers: the provider's refusal passed on, or 502 when it gave no usable answer. */
final class ProviderFailures {
  private ProviderFailures() {}

  /** A provider call, run with its failures turned into {@link ServeError}s. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException;
  }

  static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (WriteRefusedException e) {
      throw ServeError.badRequest(e.getMessage());
    } catch (IllegalArgumentException e) {
      // the provider packages refuse names and ids that cannot go into a URL or query this way
      throw ServeError.badRequest(e.getMessage());
    } catch (AuthenticationFailedException e) {
      throw ServeError.remote(401, e.getMessage());
    } catch (ApiException e) {
      // status 0: no answer in time, or it kept failing; that is a bad gateway, not the caller's fault
      throw ServeError.remote(e.status(), e.getMessage());
    } catch (IOException e) {
      throw ServeError.remote(0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
