package io.cursus.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Finds the local Maven repository as Maven does: the {@code maven.repo.local} system property,
 * else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
 */
public final class LocalRepository {
  /** Maven's own property naming the local repository. */
  public static final String PROPERTY = "maven.repo.local";

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]+)}");

  private LocalRepository() {}

  /** The local repository for this JVM's system properties and environment. */
  public static Path locate() {
    return locate(System.getProperties(), System.getenv());
  }

  /**
   * The local repository for the given system properties (for {@code maven.repo.local} and {@code
   * user.home}) and environment (for {@code ${env.NAME}} in settings.xml).
   *
   * @throws IllegalArgumentException if settings.xml cannot be read as XML, naming the file
   */
  public static Path locate(Properties properties, Map<String, String> env) {
    String property = properties.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return Paths.get(property.strip()).toAbsolutePath();
    }
    Path m2 = Paths.get(properties.getProperty("user.home", "."), ".m2");
    return fromSettings(m2.resolve("settings.xml"), properties, env)
        .orElse(m2.resolve("repository"))
        .toAbsolutePath();
  }

  private static Optional<Path> fromSettings(
      Path settings, Properties properties, Map<String, String> env) {
    if (!Files.isRegularFile(settings)) {
      return Optional.empty();
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      Element root = factory.newDocumentBuilder().parse(settings.toFile()).getDocumentElement();
      for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
        String name = child.getLocalName() != null ? child.getLocalName() : child.getNodeName();
        if (child.getNodeType() == Node.ELEMENT_NODE && name.equals("localRepository")) {
          String value = interpolate(child.getTextContent().strip(), properties, env);
          return value.isEmpty() ? Optional.empty() : Optional.of(Paths.get(value));
        }
      }
      return Optional.empty();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("Could not read the Maven settings " + settings, e);
    }
  }

  /** Replaces {@code ${name}} by a system property and {@code ${env.NAME}} by a variable. */
  static String interpolate(String value, Properties properties, Map<String, String> env) {
    Matcher expression = EXPRESSION.matcher(value);
    StringBuilder result = new StringBuilder();
    while (expression.find()) {
      String name = expression.group(1);
      String replacement =
          name.startsWith("env.")
              ? env.get(name.substring("env.".length()))
              : properties.getProperty(name);
      expression.appendReplacement(
          result, Matcher.quoteReplacement(replacement == null ? expression.group() : replacement));
    }
    expression.appendTail(result);
    return result.toString();
  }
}
