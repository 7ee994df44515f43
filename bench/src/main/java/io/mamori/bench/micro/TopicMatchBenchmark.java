package io.mamori.bench.micro;

import io.mamori.hub.mqtt.routing.SubscriptionTrie;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing a PUBLISH through the broker's subscription tree holding 100k subscriptions, shaped like
 * a fleet: every device listens on its own command topics ({@code devices/<id>/cmd/#}) and its
 * shadow delta, a few backends listen with wildcards ({@code devices/+/telemetry}, {@code
 * devices/#}), and all devices share a broadcast topic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopicMatchBenchmark {
  @Param("100000")
  public int subscriptions;

  SubscriptionTrie<Integer> trie;
  String deviceTopic;
  String telemetryTopic;
  String missTopic;

  @Setup
  public void setUp() {
    trie = new SubscriptionTrie<>();
    int backends = 10;
    int devices = (subscriptions - backends) / 2;
    for (int i = 0; i < devices; i++) {
      trie.add("devices/" + name(i) + "/cmd/#", i, 1);
      trie.add("$aws/things/" + name(i) + "/shadow/update/delta", i, 1);
    }
    for (int b = 0; b < backends; b++) {
      trie.add(b % 2 == 0 ? "devices/+/telemetry" : "devices/#", devices + b, 1);
    }
    deviceTopic = "devices/" + name(devices / 2) + "/cmd/reboot";
    telemetryTopic = "devices/" + name(devices / 3) + "/telemetry";
    missTopic = "factory/line-7/status";
  }

  static String name(int i) {
    return String.format("sensor-%06d", i);
  }

  /** A command to one device: its own filter plus the five {@code devices/#} backends. */
  @Benchmark
  public Map<Integer, Integer> commandToOneDevice() {
    return trie.match(deviceTopic);
  }

  /** Telemetry from one device: only the ten backends' wildcard filters match. */
  @Benchmark
  public Map<Integer, Integer> telemetryToBackends() {
    return trie.match(telemetryTopic);
  }

  /** A topic nobody subscribed to. */
  @Benchmark
  public Map<Integer, Integer> noSubscriber() {
    return trie.match(missTopic);
  }
}
