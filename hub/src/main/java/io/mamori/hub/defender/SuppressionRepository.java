package io.mamori.hub.defender;

import java.util.List;

/** Where suppressions are kept (they survive restarts). */
public interface SuppressionRepository {
  /** Adds or replaces the suppression of that check on that resource. */
  void put(Suppression suppression);

  /** False when there was none. */
  boolean delete(String check, String resourceId);

  List<Suppression> list();
}
