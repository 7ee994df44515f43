package io.mamori.hub.firmware;

import java.util.List;
import java.util.Optional;

/** Where firmware records (not their bytes) are kept. */
public interface FirmwareRepository {
  void insert(Firmware firmware);

  Optional<Firmware> find(String firmwareId);

  Optional<Firmware> findByVersion(String version);

  /** Newest first. */
  List<Firmware> list();
}
