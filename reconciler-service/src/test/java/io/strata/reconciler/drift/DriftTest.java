package io.strata.reconciler.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.reconcile.DriftedObject;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.values.Values;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class DriftTest {

  static final String DESIRED =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {"strata.io/cluster": c-1}
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: web
                image: nginx:1.27
      """;

  @Test
  void fields_the_server_adds_are_not_drift() {
    Map<String, Object> live = Values.parse(DESIRED);
    live.put("status", Map.of("readyReplicas", 3));
    ((Map<String, Object>) live.get("spec")).put("strategy", Map.of("type", "RollingUpdate"));
    Map<String, Object> withDefaults = Values.parse(DESIRED);
    podSpec(withDefaults)
        .put(
            "containers",
            List.of(
                Map.of("name", "web", "image", "nginx:1.27", "imagePullPolicy", "IfNotPresent")));

    assertThat(Drift.differences(Values.parse(DESIRED), live)).isEmpty();
    assertThat(Drift.differences(Values.parse(DESIRED), withDefaults))
        .as("a default inside a list item")
        .isEmpty();
  }

  @Test
  void changed_removed_and_retyped_managed_fields_are_named_by_path() {
    Map<String, Object> live =
        Values.parse(
            DESIRED
                .replace("replicas: 3", "replicas: 1")
                .replace("image: nginx:1.27", "image: nginx:latest")
                .replace("labels: {\"strata.io/cluster\": c-1}", "labels: {}"));

    assertThat(Drift.differences(Values.parse(DESIRED), live))
        .extracting(Drift.Difference::path)
        .containsExactly(
            "metadata.labels[\"strata.io/cluster\"]",
            "spec.replicas",
            "spec.template.spec.containers.0.image");
    assertThat(Drift.differences(Values.parse(DESIRED), Map.of("spec", "oops")))
        .extracting(Drift.Difference::path)
        .contains("apiVersion", "spec");
  }

  @Test
  void numbers_compare_by_value() {
    assertThat(Drift.differences(Map.of("replicas", 3), Map.of("replicas", 3.0))).isEmpty();
    assertThat(Drift.differences(Map.of("replicas", 3), Map.of("replicas", "3"))).hasSize(1);
  }

  @Test
  void a_missing_object_is_drift_and_an_extra_list_item_too() {
    DesiredObject web =
        new DesiredObject(
            "apps/v1", "Deployment", "shop", "web", "p-1", "app", Values.parse(DESIRED));
    Map<String, Object> twoContainers = Values.parse(DESIRED);
    Map<String, Object> podSpec = podSpec(twoContainers);
    podSpec.put(
        "containers",
        List.of(
            Map.of("name", "web", "image", "nginx:1.27"),
            Map.of("name", "sidecar", "image", "envoy")));

    assertThat(Drift.drifted(List.of(web), Map.of()))
        .extracting(DriftedObject::missing)
        .containsExactly(true);
    assertThat(Drift.drifted(List.of(web), Map.of(web.key(), twoContainers)))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.missing()).isFalse();
              assertThat(d.layer()).isEqualTo("app");
              assertThat(d.paths()).containsExactly("spec.template.spec.containers");
            });
    assertThat(Drift.drifted(List.of(web), Map.of(web.key(), Values.parse(DESIRED)))).isEmpty();
  }

  static Map<String, Object> podSpec(Map<String, Object> deployment) {
    Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
    return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
  }
}
