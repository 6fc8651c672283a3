package io.cursus.testkit;

/** Main class for {@link NoOrphanIT}: starts a broker, prints its pid, and waits to be killed. */
public final class StartKafkaAndWait {
  private StartKafkaAndWait() {}

  public static void main(String[] args) throws InterruptedException {
    KafkaBroker kafka = KafkaBroker.builder().start();
    System.out.println("KAFKA_PID=" + kafka.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
