package io.mamori.hub.jobs;

/**
 * Where a job's rollout stands, persisted so that a restarted hub continues at the same rate.
 *
 * @param ratePerMinute how many things may be notified in any 60 s window now
 * @param increasedAt when the rate last changed (epoch ms; the rollout's start at first)
 * @param notifiedAtIncrease things notified when the rate last changed
 * @param succeededAtIncrease executions SUCCEEDED when the rate last changed
 */
public record RolloutState(
    String jobId,
    RolloutConfig config,
    int ratePerMinute,
    long increasedAt,
    long notifiedAtIncrease,
    long succeededAtIncrease) {

  static RolloutState start(String jobId, RolloutConfig config, long nowMillis) {
    return new RolloutState(jobId, config, config.initialRate(), nowMillis, 0, 0);
  }

  /**
   * The state after applying the exponential criteria to the job's counts at {@code nowMillis}. The
   * rate steps up at most once per window: a threshold smaller than the rate must not let the
   * rollout climb several steps within one minute.
   */
  RolloutState advance(long notified, long succeeded, long nowMillis) {
    if (config.exponentialRate().isEmpty()
        || ratePerMinute >= config.maximumPerMinute()
        || nowMillis - increasedAt < RolloutConfig.WINDOW_MILLIS
        || !config
            .exponentialRate()
            .get()
            .reached(notified - notifiedAtIncrease, succeeded - succeededAtIncrease)) {
      return this;
    }
    return new RolloutState(
        jobId, config, config.increased(ratePerMinute), nowMillis, notified, succeeded);
  }
}
