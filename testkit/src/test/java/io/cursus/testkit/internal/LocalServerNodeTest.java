package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cursus.testkit.EngineException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServerNodeTest {
  @TempDir Path dir;

  private final List<FakeServer> started = new ArrayList<>();

  /** A server node around {@link ListenForever}: ready when its port accepts connections. */
  private static final class FakeServer extends LocalServerNode {
    FakeServer(ChildJvm jvm, InetSocketAddress address) {
      super(jvm, address, Duration.ofSeconds(60));
    }

    @Override
    protected String protocol() {
      return "fake clients";
    }
  }

  private FakeServer server(String... extraArgs) throws URISyntaxException {
    int port = Ports.free(List.of(Ports.loopback(1)));
    List<String> args = new ArrayList<>(List.of(String.valueOf(port)));
    args.addAll(List.of(extraArgs));
    String testClasses =
        Path.of(ListenForever.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ChildJvm jvm =
        new ChildJvm(
            "Fake server",
            List.of(testClasses),
            LocalServerNode.baseJvmOptions(dir, "16m", "64m"),
            ListenForever.class.getName(),
            args,
            dir.resolve("fake.log"));
    FakeServer server = new FakeServer(jvm, new InetSocketAddress(Ports.loopback(1), port));
    started.add(server);
    return server;
  }

  @AfterEach
  void killServers() {
    started.forEach(FakeServer::kill);
  }

  @Test
  void startReturnsOnceTheServerAcceptsConnections() throws Exception {
    FakeServer server = server();

    server.start();

    assertThat(server.isRunning()).isTrue();
    assertThat(ChildJvm.accepts(server.address())).isTrue();
    assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive)).contains(true);
    assertThat(server.logFile()).content().contains("fake server listening on");
  }

  @Test
  void killedServerStartsAgainOnTheSamePortAsANewProcess() throws Exception {
    FakeServer server = server();
    server.start();
    long first = server.pid();

    server.kill();

    assertThat(server.isRunning()).isFalse();
    assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ChildJvm.accepts(server.address())).isFalse();
    assertThatThrownBy(server::pid).isInstanceOf(IllegalStateException.class);

    server.start();

    assertThat(server.pid()).isNotEqualTo(first);
    assertThat(ChildJvm.accepts(server.address())).isTrue();
  }

  @Test
  void stoppedServerIsGoneAndStartingARunningOneIsRefused() throws Exception {
    FakeServer server = server();
    server.start();
    long pid = server.pid();

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running (pid " + pid + ")");

    server.stop();

    assertThat(server.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void serverThatExitsBeforeAnsweringFailsStartWithItsLastLogLines() throws Exception {
    FakeServer server = server("fail");

    assertThatThrownBy(server::start)
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(
            "Fake server exited with code 7 before answer fake clients on 127.0.0.1:")
        .hasMessageContaining("fake server: no such table, giving up");
    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void childClasspathGetsTheWatchdogAndTheServerItsOwnTemporaryFolder() throws Exception {
    FakeServer server = server();
    server.start();

    String commandLine =
        ProcessHandle.of(server.pid()).flatMap(h -> h.info().commandLine()).orElse("");

    assumeTrue(!commandLine.isEmpty(), "this operating system does not report command lines");
    assertThat(commandLine)
        .contains(Watchdog.class.getName() + " " + ListenForever.class.getName())
        .contains("-Djava.io.tmpdir=" + dir.resolve("tmp"));
  }
}
