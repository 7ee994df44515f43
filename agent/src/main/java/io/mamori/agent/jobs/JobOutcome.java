package io.mamori.agent.jobs;

import java.util.Map;

/** What running a job came to, and so what the runner reports and does next. */
public sealed interface JobOutcome {
  /** Report SUCCEEDED with {@code details}; then stop the agent when {@code exit}. */
  record Succeeded(Map<String, String> details, boolean exit) implements JobOutcome {
    public Succeeded(Map<String, String> details) {
      this(details, false);
    }
  }

  /** Report FAILED with {@code reason} (statusDetails {@code reason}) and {@code details}. */
  record Failed(String reason, Map<String, String> details) implements JobOutcome {
    public Failed(String reason) {
      this(reason, Map.of());
    }
  }

  /** Report nothing yet: restart the device (reconnect); the job is finished after the restart. */
  record Restart() implements JobOutcome {}
}
