package io.mamori.hub.detect;

import java.util.Arrays;
import java.util.Optional;

/**
 * The numeric comparison operators of reference §8.3, by their AWS names. A behaviour states what
 * is normal: a datapoint violates it when the comparison is false.
 */
public enum ComparisonOperator {
  LESS_THAN("less-than"),
  LESS_THAN_EQUALS("less-than-equals"),
  GREATER_THAN("greater-than"),
  GREATER_THAN_EQUALS("greater-than-equals");

  private final String awsName;

  ComparisonOperator(String awsName) {
    this.awsName = awsName;
  }

  public String awsName() {
    return awsName;
  }

  public static Optional<ComparisonOperator> fromAwsName(String name) {
    return Arrays.stream(values()).filter(o -> o.awsName.equals(name)).findFirst();
  }

  /** Whether {@code value} is normal against {@code threshold}. */
  public boolean normal(double value, double threshold) {
    return switch (this) {
      case LESS_THAN -> value < threshold;
      case LESS_THAN_EQUALS -> value <= threshold;
      case GREATER_THAN -> value > threshold;
      case GREATER_THAN_EQUALS -> value >= threshold;
    };
  }
}
