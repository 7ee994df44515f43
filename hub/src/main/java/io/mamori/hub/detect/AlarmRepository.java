package io.mamori.hub.detect;

import java.util.List;
import java.util.Optional;

/** Where alarms and their history are kept. */
public interface AlarmRepository {
  /** Stores a new alarm or its new state, appending {@code change} to its history. */
  void save(Alarm alarm, AlarmChange change);

  Optional<Alarm> find(String id);

  /** Newest first; only active ones when {@code activeOnly}. */
  List<Alarm> list(boolean activeOnly, int limit);

  List<AlarmChange> history(String id);
}
