package io.strata.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlsTest {
  /** The thread's loader is used again after every kind of failure a load can end in. */
  @Test
  void a_failed_load_leaves_the_threads_loader_fit_for_the_next() {
    String bomb =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    List<String> failing = List.of("key: [unclosed", bomb, "a: &x {b: *x}", "---\nok: 1\n--- [bad");

    for (String text : failing) {
      assertThatThrownBy(() -> Yamls.loadAll(text)).isInstanceOf(RuntimeException.class);
      assertThat(Yamls.load("kind: ConfigMap\nmetadata: {name: cm}"))
          .isEqualTo(Map.of("kind", "ConfigMap", "metadata", Map.of("name", "cm")));
      assertThat(Yamls.loadAll("a: 1\n---\n---\nb: &x 2\nc: *x\n"))
          .containsExactly(Map.of("a", 1), Map.of("b", 2, "c", 2));
    }
  }

  @Test
  void each_thread_parses_on_its_own() throws InterruptedException {
    List<Object> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int k = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 200; i++) {
                      seen.add(Yamls.load("thread: " + k + "\ni: " + i));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(seen).hasSize(800).contains(Map.of("thread", 3, "i", 199));
    assertThat(seen).doesNotHaveDuplicates();
  }

  @Test
  void scalar_aliases_do_not_expand_a_small_text_into_a_large_one() {
    String big = "x".repeat(10_000);
    String bomb = "a: &s \"" + big + "\"\nlist: [" + "*s, ".repeat(999) + "*s]\n";
    assertThat(bomb.length()).isLessThan(20_000);
    assertThatThrownBy(() -> Yamls.load(bomb)).isInstanceOf(Yamls.AliasExpansion.class);
    String binary =
        "a: &s !!binary "
            + java.util.Base64.getEncoder().encodeToString(new byte[10_000])
            + "\nlist: ["
            + "*s, ".repeat(999)
            + "*s]\n";
    assertThatThrownBy(() -> Yamls.load(binary)).isInstanceOf(Yamls.AliasExpansion.class);
    // a few aliases of a scalar are what anchors are for
    assertThat(Yamls.load("a: &s \"" + big + "\"\nb: *s\nc: *s\n")).isInstanceOf(Map.class);
  }

  @Test
  void duplicate_keys_and_overlong_tokens_are_refused() {
    assertThatThrownBy(() -> Yamls.load("a: 1\na: 2\n")).hasMessageContaining("duplicate key");
    String longLine = "data:\n  big: " + "x".repeat(Yamls.MAX_LINE_CHARS + 1) + "\n";
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Yamls.load(longLine)).hasMessageContaining("line runs over");
    assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    // a block scalar's line is one token to the scanner, blanks or not
    String words = "data:\n  text: |\n    " + "word ".repeat(Yamls.MAX_LINE_CHARS / 5 + 1) + "\n";
    assertThatThrownBy(() -> Yamls.load(words)).hasMessageContaining("line runs over");
    // the same text in lines is ordinary
    String lines = "data:\n  text: |\n" + "    word word word word word\n".repeat(50_000);
    assertThat(Yamls.load(lines)).isInstanceOf(Map.class);
  }
}
