package io.mamori.hub.groups;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A parsed fleet query node; {@link #matches} decides one thing. */
sealed interface Query {
  boolean matches(IndexedThing thing);

  record And(List<Query> parts) implements Query {
    @Override
    public boolean matches(IndexedThing thing) {
      return parts.stream().allMatch(p -> p.matches(thing));
    }
  }

  record Or(List<Query> parts) implements Query {
    @Override
    public boolean matches(IndexedThing thing) {
      return parts.stream().anyMatch(p -> p.matches(thing));
    }
  }

  record Not(Query inner) implements Query {
    @Override
    public boolean matches(IndexedThing thing) {
      return !inner.matches(thing);
    }
  }

  /**
   * {@code field:value}: case-insensitive, {@code *} and {@code ?} wildcards; a numeric value also
   * equals a number written differently ({@code 5} matches {@code 5.0}); {@code field:*} means the
   * field has a value.
   */
  record Term(QueryField field, String value, Pattern pattern) implements Query {
    @Override
    public boolean matches(IndexedThing thing) {
      BigDecimal number = Values.number(value);
      for (Object candidate : thing.values(field)) {
        BigDecimal candidateNumber = number == null ? null : Values.number(candidate);
        if (candidateNumber != null && candidateNumber.compareTo(number) == 0) {
          return true;
        }
        if (pattern.matcher(Values.text(candidate)).matches()) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * {@code field:[a TO b]}, {@code {a TO b}}, {@code field<n}: numbers compare as numbers (a string
   * that is a number counts as one), other values as case-insensitive text; {@code *} is an open
   * bound.
   */
  record Range(
      QueryField field, String low, boolean lowInclusive, String high, boolean highInclusive)
      implements Query {
    @Override
    public boolean matches(IndexedThing thing) {
      return thing.values(field).stream().anyMatch(this::inRange);
    }

    private boolean inRange(Object candidate) {
      return (low.equals("*") || above(candidate, low, lowInclusive))
          && (high.equals("*") || above(high, candidate, highInclusive));
    }

    /** Whether {@code a > b} (or {@code >=} when inclusive); false when they don't compare. */
    private static boolean above(Object a, Object b, boolean inclusive) {
      BigDecimal x = Values.number(a);
      BigDecimal y = Values.number(b);
      int order;
      if (x != null && y != null) {
        order = x.compareTo(y);
      } else if (x == null && y == null && !(a instanceof Boolean) && !(b instanceof Boolean)) {
        order = Values.text(a).compareTo(Values.text(b));
      } else {
        return false;
      }
      return inclusive ? order >= 0 : order > 0;
    }
  }

  /** How field values read for comparison. */
  final class Values {
    private Values() {}

    static String text(Object value) {
      if (value instanceof BigDecimal number) {
        return number.stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
      }
      return String.valueOf(value).toLowerCase(Locale.ROOT);
    }

    /** The value as a number, or null when it is not one. */
    static BigDecimal number(Object value) {
      if (value instanceof BigDecimal number) {
        return number;
      }
      if (!(value instanceof String text) || text.isEmpty() || text.length() > 64) {
        return null;
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
