package io.mamori.hub.detect;

/**
 * A device's learned normal for one behaviour: the running mean and standard deviation of its own
 * datapoints (Welford's online algorithm, numerically stable and O(1) per datapoint). Only normal
 * datapoints are learned, so an attack in progress cannot teach the baseline that it is normal.
 */
final class Baseline {
  private long count;
  private double mean;
  private double squares;

  void learn(double value) {
    count++;
    double delta = value - mean;
    mean += delta / count;
    squares += delta * (value - mean);
  }

  long count() {
    return count;
  }

  /** mean + k·stddev; a flat history still allows a little headroom (one unit). */
  double upperBound(double deviations) {
    double stddev = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
    return mean + deviations * Math.max(stddev, 1.0);
  }
}
