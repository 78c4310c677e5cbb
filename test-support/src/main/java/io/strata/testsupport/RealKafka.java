package io.strata.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker (KRaft, combined controller+broker, in this JVM) shared by every test of
 * the JVM. It starts on first use and stops when the JVM exits.
 */
public final class RealKafka {
  private static KafkaClusterTestKit cluster;

  private RealKafka() {}

  public static synchronized String bootstrapServers() {
    if (cluster == null) {
      try {
        KafkaClusterTestKit kit =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "12")
                // as the platform's brokers: a whole profile version travels in one event
                .setConfigProp("message.max.bytes", String.valueOf(17 * 1024 * 1024))
                .setConfigProp("replica.fetch.max.bytes", String.valueOf(17 * 1024 * 1024))
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
        Runtime.getRuntime().addShutdownHook(new Thread(RealKafka::stop, "real-kafka-stop"));
      } catch (Exception e) {
        throw new IllegalStateException("the in-JVM Kafka broker did not start", e);
      }
    }
    return cluster.bootstrapServers();
  }

  private static synchronized void stop() {
    if (cluster != null) {
      // while the JVM shuts down, a broker that finds its log dir gone halts the process with a
      // non-zero status, which fails a test run that passed: nothing may halt us from here on
      org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> {});
      org.apache.kafka.common.utils.Exit.setExitProcedure((status, message) -> {});
      try {
        cluster.close();
      } catch (Exception e) {
        // the JVM is going away; nothing useful to do with a failed close
      }
      cluster = null;
    }
  }
}
