package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds jars in the local Maven repository, downloading the missing ones from a remote repository
 * (Maven Central unless {@value #REMOTE_PROPERTY} names another) into it, as Maven would: same
 * layout, SHA-1 checked against the {@code .sha1} file next to the jar, never an unchecked file
 * left behind.
 *
 * <p>Thread safe; several JVMs may resolve into the same local repository at once (a download goes
 * to a file of its own and is moved into place whole).
 */
public final class ArtifactResolver {
  /** System property naming the remote repository to download from. */
  public static final String REMOTE_PROPERTY = "cursus.testkit.repository";

  /** Maven Central. */
  public static final URI CENTRAL = URI.create("https://repo.maven.apache.org/maven2/");

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactResolver.class);
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
  private static final int PARALLEL_DOWNLOADS = 4;

  private final Path localRepository;
  private final URI remote;
  private HttpClient http;

  /**
   * @param localRepository the local repository's root folder (need not exist yet)
   * @param remote the remote repository's root URL, {@code http} or {@code https}
   */
  public ArtifactResolver(Path localRepository, URI remote) {
    String scheme = remote.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException(
          "the remote repository must be an http(s) URL, was " + remote);
    }
    this.localRepository = localRepository.toAbsolutePath();
    this.remote = remote.toString().endsWith("/") ? remote : URI.create(remote.toString() + "/");
  }

  /** The HTTP client, made on the first download (most resolutions need none). */
  private synchronized HttpClient http() {
    if (http == null) {
      // The default proxy selector honours https.proxyHost and the other proxy properties.
      http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(30))
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
    }
    return http;
  }

  /**
   * The resolver for this JVM: {@link LocalRepository#locate()} and {@value #REMOTE_PROPERTY}
   * (Maven Central by default).
   */
  public static ArtifactResolver fromEnvironment() {
    String remote = System.getProperty(REMOTE_PROPERTY);
    return new ArtifactResolver(
        LocalRepository.locate(),
        remote == null || remote.isBlank() ? CENTRAL : URI.create(remote.strip()));
  }

  public Path localRepository() {
    return localRepository;
  }

  public URI remote() {
    return remote;
  }

  /** Where {@code artifact} is (or will be) in the local repository. */
  public Path localPath(MavenArtifact artifact) {
    return localRepository.resolve(artifact.repositoryPath());
  }

  /** Where {@code artifact} is downloaded from. */
  public URI remoteUrl(MavenArtifact artifact) {
    return remote.resolve(artifact.repositoryPath());
  }

  /**
   * The local files of the artifacts, in their order, downloading those not in the local repository
   * (a few at a time).
   *
   * @param what what the jars are, for messages ("Cassandra server jar")
   * @param hint appended to the message of a failure, saying what the user can do instead
   * @throws EngineException naming the artifact, its local path and URL, if one is neither in the
   *     local repository nor downloadable with a matching checksum
   */
  public List<Path> resolve(String what, List<MavenArtifact> artifacts, String hint) {
    List<MavenArtifact> missing = new ArrayList<>();
    for (MavenArtifact artifact : artifacts) {
      if (!Files.isRegularFile(localPath(artifact))) {
        missing.add(artifact);
      }
    }
    if (!missing.isEmpty()) {
      LOG.info(
          "Downloading {} of the {} {}s from {} into {}",
          missing.size(),
          artifacts.size(),
          what,
          remote,
          localRepository);
      downloadAll(what, missing, hint);
    }
    List<Path> files = new ArrayList<>();
    for (MavenArtifact artifact : artifacts) {
      files.add(localPath(artifact));
    }
    return List.copyOf(files);
  }

  private void downloadAll(String what, List<MavenArtifact> missing, String hint) {
    if (missing.size() == 1) {
      download(what, missing.get(0), hint);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(PARALLEL_DOWNLOADS, missing.size()));
    try {
      List<Future<?>> downloads = new ArrayList<>();
      for (MavenArtifact artifact : missing) {
        downloads.add(pool.submit(() -> download(what, artifact, hint)));
      }
      EngineException failure = null;
      for (Future<?> download : downloads) {
        try {
          download.get();
        } catch (ExecutionException e) {
          EngineException cause =
              e.getCause() instanceof EngineException engine
                  ? engine
                  : new EngineException("Could not download a " + what, e.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while downloading " + what + "s", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void download(String what, MavenArtifact artifact, String hint) {
    Path target = localPath(artifact);
    URI url = remoteUrl(artifact);
    URI checksumUrl = URI.create(url + ".sha1");
    String context =
        what
            + " "
            + artifact
            + " is not in the local Maven repository ("
            + target
            + ") and could not be downloaded from "
            + url;
    Path part = null;
    Path checksumPart = null;
    try {
      Files.createDirectories(target.getParent());
      part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
      HttpResponse<Path> jar = http().send(get(url), HttpResponse.BodyHandlers.ofFile(part));
      if (jar.statusCode() != 200) {
        throw new EngineException(context + ": HTTP " + jar.statusCode() + "." + hint);
      }
      HttpResponse<String> sha1 =
          http().send(get(checksumUrl), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (sha1.statusCode() != 200) {
        throw new EngineException(
            context
                + ": its checksum "
                + checksumUrl
                + " answered HTTP "
                + sha1.statusCode()
                + ", and the testkit keeps no unchecked jar."
                + hint);
      }
      String expected = parseSha1(sha1.body());
      String actual = sha1(part);
      if (!actual.equals(expected)) {
        throw new EngineException(
            context
                + ": checksum mismatch, the file has SHA-1 "
                + actual
                + " but "
                + checksumUrl
                + " says "
                + (expected.isEmpty() ? "'" + sha1.body().strip() + "'" : expected)
                + "; the file was not kept."
                + hint);
      }
      Path checksum = target.resolveSibling(target.getFileName() + ".sha1");
      checksumPart =
          Files.createTempFile(target.getParent(), checksum.getFileName() + ".", ".part");
      moveIntoPlace(Files.writeString(checksumPart, expected), checksum);
      moveIntoPlace(part, target);
      LOG.debug("Downloaded {} from {}", artifact, url);
    } catch (IOException e) {
      throw new EngineException(context + ": " + e + "." + hint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Interrupted while downloading " + url, e);
    } finally {
      deleteQuietly(part);
      deleteQuietly(checksumPart);
    }
  }

  private static HttpRequest get(URI url) {
    return HttpRequest.newBuilder(url)
        .timeout(Duration.ofMinutes(2))
        .header("User-Agent", "cursus-testkit")
        .GET()
        .build();
  }

  /** The hash of a {@code .sha1} file ({@code hash} or {@code hash file name}), or empty. */
  static String parseSha1(String body) {
    String[] words = body.strip().split("\\s+", 2);
    String hash = words[0].toLowerCase(Locale.ROOT);
    return SHA1.matcher(hash).matches() ? hash : "";
  }

  static String sha1(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void moveIntoPlace(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("Could not delete {}", file, e);
    }
  }
}
