package dev.syncbeam.transforms.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One unit of API reading for one sync, as its provider's reader planned it: a typed record of
 * that provider's (a Salesforce query, a HubSpot search, a Pipedrive recents listing, ...), so a
 * cluster can spread one sync's tasks over workers. Each provider seals its own task types.
 */
public interface ApiReadTask extends Serializable {
  String syncLabel();

  /** What the task reads, for progress and error messages ("search contacts changed since ..."). */
  String describe();

  /** Java serialization of whichever task type a provider planned. */
  Coder<ApiReadTask> CODER = new TaskCoder();

  /**
   * {@link SerializableCoder#of} warns that it cannot check {@code equals} for an interface; every
   * task type is a record, so it holds, and this coder skips the check rather than print the warning.
   */
  final class TaskCoder extends SerializableCoder<ApiReadTask> {
    private TaskCoder() {
      super(ApiReadTask.class, TypeDescriptor.of(ApiReadTask.class));
    }
  }
}
