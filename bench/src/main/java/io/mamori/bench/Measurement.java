package io.mamori.bench;

/**
 * CPU and wall time of one scenario: the broker's and the load generator's own CPU time over the
 * same wall time. With both near the machine's cores the numbers describe a shared machine, not the
 * broker alone; with the generator well below one core per generator thread it was not the limit.
 */
final class Measurement {
  private final ProcessStats broker;
  private final ProcessStats generator = ProcessStats.self();
  private final long wallStart = System.nanoTime();
  private final long brokerStart;
  private final long generatorStart;

  Measurement(ProcessStats broker) {
    this.broker = broker;
    this.brokerStart = broker.cpuNanos();
    this.generatorStart = generator.cpuNanos();
  }

  /** Wall seconds, broker CPU %, generator CPU % (100 = one core busy all the time). */
  Conditions stop(String scenario, String brokerName) {
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double brokerCpu = (broker.cpuNanos() - brokerStart) / 1e9;
    double generatorCpu = (generator.cpuNanos() - generatorStart) / 1e9;
    return new Conditions(
        scenario, brokerName, wall, 100 * brokerCpu / wall, 100 * generatorCpu / wall);
  }

  record Conditions(
      String scenario,
      String broker,
      double wallSeconds,
      double brokerCpuPercent,
      double generatorCpuPercent) {}
}
