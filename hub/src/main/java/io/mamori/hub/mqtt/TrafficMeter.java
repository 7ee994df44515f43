package io.mamori.hub.mqtt;

/**
 * Told of every PUBLISH the broker receives or sends, on the connection's event loop: keep it to an
 * atomic increment.
 */
public interface TrafficMeter {
  /** Counts nothing (the broker without metrics). */
  TrafficMeter NONE =
      new TrafficMeter() {
        @Override
        public void received(int payloadBytes) {}

        @Override
        public void sent(int payloadBytes) {}
      };

  void received(int payloadBytes);

  void sent(int payloadBytes);

  /**
   * The meter for one authenticated client's traffic, asked once per connection (on its first
   * PUBLISH) so the hot path never looks a client up again. By default the same meter.
   */
  default TrafficMeter forClient(String clientId) {
    return this;
  }

  /** Both meters, each told of every message (the broker-wide totals and the per-device ones). */
  static TrafficMeter both(TrafficMeter first, TrafficMeter second) {
    return new TrafficMeter() {
      @Override
      public void received(int payloadBytes) {
        first.received(payloadBytes);
        second.received(payloadBytes);
      }

      @Override
      public void sent(int payloadBytes) {
        first.sent(payloadBytes);
        second.sent(payloadBytes);
      }

      @Override
      public TrafficMeter forClient(String clientId) {
        return both(first.forClient(clientId), second.forClient(clientId));
      }
    };
  }
}
