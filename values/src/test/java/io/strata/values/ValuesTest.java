package io.strata.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void an_overlay_merges_into_mappings_replaces_the_rest_and_null_removes() {
    var base = Values.parse("replicas: 2\nimage: {repo: nginx, tag: '1.25'}\nports: [80]\nx: 1\n");
    var over = Values.parse("replicas: 5\nimage: {tag: '1.27'}\nports: [8080]\nx: null\n");

    var merged = Values.merge(base, over);

    assertThat(Values.toYaml(merged))
        .isEqualTo("replicas: 5\nimage:\n  repo: nginx\n  tag: '1.27'\nports:\n- 8080\n");
    assertThat(base).containsEntry("x", 1); // inputs are not changed
  }

  @Test
  void leaves_are_scalars_lists_and_empty_mappings_with_readable_paths() {
    var v =
        Values.parse(
            "a: {b: 1, c: [1, 2], d: {}}\nmetadata: {annotations: {sim.strata.io/healthy: 'false'}}");

    assertThat(Values.leaves(v).keySet().stream().map(ValuePath::toString))
        .containsExactly("a.b", "a.c", "a.d", "metadata.annotations[\"sim.strata.io/healthy\"]");
    assertThat(Values.at(v, ValuePath.of("a", "c"))).contains(List.of(1, 2));
    assertThat(Values.at(v, ValuePath.of("a", "zz"))).isEmpty();
    assertThat(Values.show(Optional.empty())).isEqualTo("(absent)");
  }

  @Test
  void text_that_is_not_a_mapping_is_refused_without_quoting_it() {
    assertThatThrownBy(() -> Values.parse("- a\n- b"))
        .isInstanceOf(Values.NotAMapping.class)
        .hasMessage("must be a YAML mapping");
    assertThatThrownBy(() -> Values.parse("token: [secret-value"))
        .isInstanceOf(Values.NotAMapping.class)
        .hasMessageStartingWith("is not valid YAML")
        .hasMessageNotContaining("secret-value");
    assertThat(Values.parse("  \n")).isEmpty();
    assertThatThrownBy(() -> Values.parse("a: &x {b: *x}"))
        .isInstanceOf(Values.NotAMapping.class)
        .hasMessageContaining("contains it");
    assertThat(Values.parse("base: &b {x: 1}\nother: *b")).containsKey("other");
  }

  @Test
  void merge_patch_follows_rfc_7386() {
    Object target = Map.of("a", "b", "c", Map.of("d", "e", "f", "g"), "l", List.of(1));
    Object patch = Values.parse("a: z\nc: {f: null}\nl: [2, 3]\nn: {x: 1}");

    assertThat(MergePatch.apply(target, patch))
        .isEqualTo(
            Map.of("a", "z", "c", Map.of("d", "e"), "l", List.of(2, 3), "n", Map.of("x", 1)));
    assertThat(MergePatch.apply(target, "scalar")).isEqualTo("scalar");
  }
}
