package io.cursus.examples.parcel;

import io.cursus.api.ProcessingIds;
import io.cursus.api.bus.EventBus;
import io.cursus.api.evolution.Upcasters;
import io.cursus.api.mapping.EventTypeRegistry;
import io.cursus.api.projection.Projections;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The parcel-tracking demo: depots and trucks report journeys messily, Cursus keeps one correct
 * history per parcel, and the demo asks it the questions users ask.
 *
 * <pre>
 * --stack embedded|spring|real   where events go (default embedded: in-memory, in-process;
 *                         spring: the same, wired by @EnableCursus)
 * --parcels N             how many parcels to simulate (default 200)
 * --seed S                the simulation's seed (default 42)
 * --cassandra host:port   with --stack real: use this Cassandra instead of starting one
 * --kafka host:port       with --stack real: use this Kafka instead of starting one
 * </pre>
 */
public final class ParcelTrackingDemo {

  /**
   * The declarations the demo's stores read events with: the Java interface and the Kotlin class,
   * and the upcaster that reads a version-1 {@code delivered} (no signature) as version 2.
   */
  static final EventTypeRegistry REGISTRY =
      EventTypeRegistry.of(ParcelEvents.class, ParcelEvent.class)
          .withUpcasters(
              Upcasters.builder()
                  .addParameter("parcel", "delivered", 1, "signedBy", "(not recorded)"));

  private ParcelTrackingDemo() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    boolean ok;
    try (Stack stack = options.openStack()) {
      ok = run(stack, Simulation.of(options.seed(), options.parcels()), System.out);
    }
    if (!ok) {
      throw new IllegalStateException("the store does not hold exactly the simulated events");
    }
  }

  /**
   * Runs the simulation through {@code stack}, prints the report, and says whether all was kept.
   */
  static boolean run(Stack stack, Simulation simulation, PrintStream out)
      throws InterruptedException {
    out.println("Cursus parcel tracking on the " + stack.describe());
    out.println(
        "Simulating "
            + simulation.expected().size()
            + " parcels: "
            + Simulation.DEPOTS.size()
            + " depots and "
            + Simulation.TRUCKS.size()
            + " trucks report from their own streams, clocks skewed by up to 1.2 s;");
    out.println(
        "reports arrive shuffled in "
            + (simulation.firstWave().size() + simulation.lateWave().size())
            + " batches, some repeated, some held back and delivered late.");
    Instant started = Instant.now();
    EventBus bus = EventBus.to(stack.channel());
    DepotBoard board = new DepotBoard();
    if (stack.projections().isPresent()) {
      Projections projections = stack.projections().get();
      projections.start(board.projection());
      projections.awaitCaughtUp(DepotBoard.NAME, Duration.ofMinutes(1)); // live before reports come
    }
    long firstWaveEvents = simulation.firstWave().stream().flatMap(List::stream).distinct().count();
    simulation.firstWave().forEach(bus::dispatch);
    stack.awaitQuiet(firstWaveEvents);
    Instant checkpoint = Instant.now();
    while (!ProcessingIds.instantOf(ProcessingIds.next()).isAfter(checkpoint)) {
      Thread.onSpinWait(); // late reports must be captured after the checkpoint
    }
    simulation.lateWave().forEach(bus::dispatch);
    stack.awaitQuiet(simulation.unique());
    boolean ok = new ParcelReport(stack, simulation, started, checkpoint, out).print();
    if (stack.projections().isPresent()) {
      ok &= new DepotBoardReport(stack, stack.projections().get(), board, out).print();
    }
    ok &= EvolutionReport.print(out);
    Redirects.demonstrate(stack, simulation.expected(), simulation.unique(), out);
    return ok;
  }

  /** The command line. */
  record Options(String stack, int parcels, long seed, String cassandra, String kafka) {

    static Options parse(String[] args) {
      String stack = "embedded";
      int parcels = 200;
      long seed = 42;
      String cassandra = null;
      String kafka = null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--stack" -> stack = value;
          case "--parcels" -> parcels = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--cassandra" -> cassandra = value;
          case "--kafka" -> kafka = value;
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + flag
                      + "; options: --stack embedded|spring|real, --parcels N,"
                      + " --seed S, --cassandra host:port, --kafka host:port");
        }
      }
      if (!stack.equals("embedded") && !stack.equals("spring") && !stack.equals("real")) {
        throw new IllegalArgumentException(
            "--stack must be embedded, spring or real, was " + stack);
      }
      return new Options(stack, parcels, seed, cassandra, kafka);
    }

    Stack openStack() {
      return switch (stack) {
        case "embedded" -> new EmbeddedStack(REGISTRY);
        case "spring" -> new SpringStack();
        default -> RealStack.open(REGISTRY, cassandra, kafka);
      };
    }
  }
}
