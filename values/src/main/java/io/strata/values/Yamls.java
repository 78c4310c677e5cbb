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
    return new Yaml(new SafeConstructor(options));
  }

  /** One document; a structure that contains itself (a recursive alias) is refused. */
  public static Object load(String text) {
    return acyclic(LOADER.get().load(text));
  }

  /** Every document of a stream, empty documents dropped; recursive aliases refused. */
  public static List<Object> loadAll(String text) {
    List<Object> out = new ArrayList<>();
    for (Object o : LOADER.get().loadAll(text)) {
      if (o != null) {
        out.add(acyclic(o));
      }
    }
    return out;
  }

  /** Thrown for a document whose aliases make a structure contain itself. */
  public static final class RecursiveAlias extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RecursiveAlias() {
      super("a YAML alias refers to a structure that contains it");
    }
  }

  private static Object acyclic(Object root) {
    walk(root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    return root;
  }

  private static void walk(Object node, java.util.Set<Object> path) {
    if (!(node instanceof java.util.Map<?, ?>) && !(node instanceof java.util.List<?>)) {
      return;
    }
    if (!path.add(node)) {
      throw new RecursiveAlias();
    }
    if (node instanceof java.util.Map<?, ?> m) {
      for (Object v : m.values()) {
        walk(v, path);
      }
    } else {
      for (Object v : (java.util.List<?>) node) {
        walk(v, path);
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
