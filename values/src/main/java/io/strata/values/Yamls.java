package io.strata.values;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The one way Strata reads and writes YAML: safe types only, few aliases (no billion laughs),
 * bounded size and depth; written in block style with keys in the order they came, so that the same
 * input always gives the same bytes.
 */
public final class Yamls {
  private Yamls() {}

  /**
   * A loader per thread: SnakeYAML's {@link Yaml} is not thread-safe, and building one (resolver
   * patterns, constructors, representer) cost more than parsing a small manifest (3 % of
   * profile-service's CPU at 200 updates/s). Only {@link #load} and {@link #loadAll} use it, and
   * each reads its whole input before it returns, so a thread never has two loads open on it.
   */
  private static final ThreadLocal<Yaml> LOADER = ThreadLocal.withInitial(Yamls::newLoader);

  private static Yaml newLoader() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(4 * 1024 * 1024);
    options.setNestingDepthLimit(64);
    // a mapping that says a key twice means one of the two; Helm's parser refuses it too
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /**
   * The most characters a line of YAML may hold. SnakeYAML copies its whole read window for every
   * 1,024 characters of a token, and a block scalar's line or a comment is one token: the cost
   * grows with the line's square (0.25-0.5 s at 1 MB, 3.8 s at 4 MB, 6 s for a 3.5 MB line of words
   * in a block scalar). 1 MiB is the most a Kubernetes ConfigMap or Secret holds, so a real object
   * (a long base64 line of {@code binaryData}) fits; a document of at most 4 Mi code points then
   * costs at most about four such lines.
   */
  public static final int MAX_LINE_CHARS = 1024 * 1024;

  /**
   * The most characters a document may come to once its aliases are expanded, as a tree walk, a
   * rendering or a diff sees it. SnakeYAML's alias limit counts aliases to collections only; a
   * scalar alias repeated a thousand times expands a 13 KB text into 10 MB.
   */
  public static final long MAX_EXPANDED_CHARS = 4L * 1024 * 1024;

  /** One document; a structure that contains itself (a recursive alias) is refused. */
  public static Object load(String text) {
    boundedLines(text);
    return acyclic(LOADER.get().load(text));
  }

  /** Every document of a stream, empty documents dropped; recursive aliases refused. */
  public static List<Object> loadAll(String text) {
    boundedLines(text);
    List<Object> out = new ArrayList<>();
    for (Object o : LOADER.get().loadAll(text)) {
      if (o != null) {
        out.add(acyclic(o));
      }
    }
    return out;
  }

  private static void boundedLines(String text) {
    if (text.length() <= MAX_LINE_CHARS) {
      return;
    }
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      run = c == '\n' || c == '\r' ? 0 : run + 1;
      if (run > MAX_LINE_CHARS) {
        throw new IllegalArgumentException(
            "a YAML line runs over "
                + MAX_LINE_CHARS
                + " characters (no Kubernetes object holds more; break it into lines)");
      }
    }
  }

  /** Thrown for a document that its aliases expand beyond {@link #MAX_EXPANDED_CHARS}. */
  public static final class AliasExpansion extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AliasExpansion() {
      super(
          "YAML aliases expand the document beyond "
              + MAX_EXPANDED_CHARS
              + " characters (a YAML bomb?)");
    }
  }

  /** Thrown for a document whose aliases make a structure contain itself. */
  public static final class RecursiveAlias extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RecursiveAlias() {
      super("a YAML alias refers to a structure that contains it");
    }
  }

  /** Refuses a structure that contains itself, or that its aliases expand beyond the limit. */
  private static Object acyclic(Object root) {
    walk(root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), new long[1]);
    return root;
  }

  /** Every node is counted each time it is reached, as an expansion of the aliases would. */
  private static void walk(Object node, java.util.Set<Object> path, long[] expanded) {
    expanded[0] +=
        switch (node) {
          case String s -> s.length();
          case byte[] b -> b.length;
          case null, default -> 1;
        };
    if (expanded[0] > MAX_EXPANDED_CHARS) {
      throw new AliasExpansion();
    }
    if (!(node instanceof java.util.Map<?, ?>) && !(node instanceof java.util.List<?>)) {
      return;
    }
    if (!path.add(node)) {
      throw new RecursiveAlias();
    }
    if (node instanceof java.util.Map<?, ?> m) {
      for (var e : m.entrySet()) {
        walk(e.getKey(), path, expanded);
        walk(e.getValue(), path, expanded);
      }
    } else {
      for (Object v : (java.util.List<?>) node) {
        walk(v, path, expanded);
      }
    }
    path.remove(node);
  }

  public static String dump(Object value) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(new Representer(options), options).dump(value);
  }

  /** The first line of a parser's message: the rest quotes the input, which may be secret. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
