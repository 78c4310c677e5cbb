package io.strata.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KubernetesApiServerTest {

  @Test
  @DisplayName("server-side apply creates an absent object, then merges a second apply into it")
  void serverSideApplyCreatesThenMerges() {
    try (KubernetesApiServer api = new KubernetesApiServer();
        KubernetesClient client = api.client()) {
      ConfigMap first =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("settings")
              .withNamespace("apps")
              .addToLabels("strata.io/cluster", "c-1")
              .endMetadata()
              .addToData("a", "1")
              .build();
      client.resource(first).fieldManager("strata").serverSideApply();
      assertThat(client.configMaps().inNamespace("apps").withName("settings").get().getData())
          .containsEntry("a", "1");

      ConfigMap second =
          new ConfigMapBuilder(first).withData(java.util.Map.of("a", "2", "b", "3")).build();
      client.resource(second).fieldManager("strata").serverSideApply();
      ConfigMap live = client.configMaps().inNamespace("apps").withName("settings").get();
      assertThat(live.getData()).containsEntry("a", "2").containsEntry("b", "3");
      assertThat(live.getMetadata().getLabels()).containsEntry("strata.io/cluster", "c-1");
    }
  }

  @Test
  @DisplayName("ordinary CRUD still works next to apply: create, list, delete")
  void crudStillWorks() {
    try (KubernetesApiServer api = new KubernetesApiServer();
        KubernetesClient client = api.client()) {
      client
          .configMaps()
          .inNamespace("apps")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build())
          .create();
      assertThat(client.configMaps().inNamespace("apps").list().getItems()).hasSize(1);
      client.configMaps().inNamespace("apps").withName("x").delete();
      assertThat(client.configMaps().inNamespace("apps").list().getItems()).isEmpty();
    }
  }
}
