package io.cursus.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactResolverTest {
  private static final MavenArtifact SERVER =
      new MavenArtifact("org.example.db", "db-server", "", "1.2.3");
  private static final MavenArtifact NATIVE =
      new MavenArtifact("org.example.db", "db-native", "linux", "1.2.3");
  private static final String HINT = " (hint)";

  @TempDir Path localRepository;

  /** Files the fake remote repository serves, by path below {@code /maven2/}. */
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();

  private final List<String> requested = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private URI remote;

  @BeforeEach
  void startRemoteRepository() throws IOException {
    server = HttpServer.create(new InetSocketAddress(Ports.loopback(1), 0), 0);
    server.createContext(
        "/maven2/",
        exchange -> {
          String path = exchange.getRequestURI().getPath().substring("/maven2/".length());
          requested.add(path);
          byte[] body = served.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    remote = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/");
  }

  @AfterEach
  void stopRemoteRepository() {
    server.stop(0);
  }

  private void serve(MavenArtifact artifact, byte[] jar, String sha1File) {
    served.put(artifact.repositoryPath(), jar);
    served.put(artifact.repositoryPath() + ".sha1", sha1File.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha1(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
  }

  private static byte[] jar(String text) {
    return ("PK fake jar " + text).getBytes(StandardCharsets.UTF_8);
  }

  private ArtifactResolver resolver() {
    return new ArtifactResolver(localRepository, remote);
  }

  @Test
  void jarInTheLocalRepositoryIsUsedWithoutAskingTheRemote() throws Exception {
    Path local = localRepository.resolve(SERVER.repositoryPath());
    Files.createDirectories(local.getParent());
    Files.write(local, jar("local"));

    List<Path> files = resolver().resolve("test server jar", List.of(SERVER), HINT);

    assertThat(files).containsExactly(local);
    assertThat(requested).isEmpty();
  }

  @Test
  void missingJarsAreDownloadedIntoTheRepositoryLayoutAndChecked() throws Exception {
    byte[] serverJar = jar("server");
    byte[] nativeJar = jar("native");
    serve(SERVER, serverJar, sha1(serverJar));
    // Some repositories write the file name after the hash.
    serve(
        NATIVE,
        nativeJar,
        sha1(nativeJar).toUpperCase(Locale.ROOT) + "  " + NATIVE.fileName() + "\n");

    List<Path> files = resolver().resolve("test server jar", List.of(SERVER, NATIVE), HINT);

    Path serverFile = localRepository.resolve("org/example/db/db-server/1.2.3/db-server-1.2.3.jar");
    Path nativeFile =
        localRepository.resolve("org/example/db/db-native/1.2.3/db-native-1.2.3-linux.jar");
    assertThat(files).containsExactly(serverFile, nativeFile);
    assertThat(serverFile).hasBinaryContent(serverJar);
    assertThat(nativeFile).hasBinaryContent(nativeJar);
    assertThat(Path.of(serverFile + ".sha1")).hasContent(sha1(serverJar));
    assertThat(leftovers()).isEmpty();

    // A second resolution finds them locally.
    requested.clear();
    assertThat(resolver().resolve("test server jar", List.of(SERVER, NATIVE), HINT))
        .isEqualTo(files);
    assertThat(requested).isEmpty();
  }

  @Test
  void jarWhoseChecksumDiffersIsRefusedAndNotKept() throws Exception {
    byte[] serverJar = jar("server");
    serve(SERVER, serverJar, sha1(jar("something else")));

    assertThatThrownBy(() -> resolver().resolve("test server jar", List.of(SERVER), HINT))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("test server jar org.example.db:db-server:1.2.3")
        .hasMessageContaining(remote + SERVER.repositoryPath())
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining(sha1(serverJar))
        .hasMessageEndingWith(HINT);
    assertThat(localRepository.resolve(SERVER.repositoryPath())).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void jarWithoutChecksumIsRefused() {
    served.put(SERVER.repositoryPath(), jar("server"));

    assertThatThrownBy(() -> resolver().resolve("test server jar", List.of(SERVER), HINT))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(remote + SERVER.repositoryPath() + ".sha1 answered HTTP 404");
    assertThat(localRepository.resolve(SERVER.repositoryPath())).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void missingArtifactIsNamedWithItsLocalPathAndUrl() {
    assertThatThrownBy(() -> resolver().resolve("test server jar", List.of(SERVER), HINT))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(
            "test server jar org.example.db:db-server:1.2.3 is not in the local Maven repository ("
                + localRepository.resolve(SERVER.repositoryPath())
                + ") and could not be downloaded from "
                + remote
                + SERVER.repositoryPath()
                + ": HTTP 404.")
        .hasMessageEndingWith(HINT);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void unreachableRepositoryIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, Ports.loopback(1))) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/maven2/");

    assertThatThrownBy(
            () ->
                new ArtifactResolver(localRepository, nowhere)
                    .resolve("test server jar", List.of(SERVER), HINT))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("could not be downloaded from " + nowhere + SERVER.repositoryPath())
        .hasMessageEndingWith(HINT);
  }

  @Test
  void remoteMustBeAnHttpUrl() {
    assertThatThrownBy(() -> new ArtifactResolver(localRepository, URI.create("file:///repo/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file:///repo/");
  }

  /** Files of the local repository other than finished jars and checksums. */
  private List<Path> leftovers() {
    try (Stream<Path> files = Files.walk(localRepository)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.toString().endsWith(".jar") && !p.toString().endsWith(".jar.sha1"))
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
