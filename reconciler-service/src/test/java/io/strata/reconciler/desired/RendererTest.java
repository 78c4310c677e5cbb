package io.strata.reconciler.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.strata.events.ClusterId;
import io.strata.events.EventJson;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.events.profile.ZarfRef;
import io.strata.kit.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class RendererTest {
  static final ProfileId WEB = ProfileId.of("p-00000000-0000-4000-8000-000000000001");
  static final ClusterId CLUSTER = ClusterId.of("c-00000000-0000-4000-8000-00000000000c");
  static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
          + "spec: {replicas: {{ .strata.var.replicas }}, template: {metadata: {annotations: {a: b}}}}\n"
          + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n";

  /** One profile, one revision, with the layers given; packs as given. */
  static Catalog catalog(List<Layer> layers, Map<String, Catalog.KnownPack> packs) {
    return new Catalog() {
      @Override
      public Optional<KnownProfile> profile(String idOrName) {
        return Optional.empty();
      }

      @Override
      public Optional<KnownVersion> version(ProfileId profile, Semver version) {
        return Optional.empty();
      }

      @Override
      public List<KnownVersion> versions(ProfileId profile) {
        return List.of();
      }

      @Override
      public Optional<Content> content(ProfileId profile, Semver version, int revision) {
        return Optional.of(
            new Content(
                List.of(new Variable("replicas", VariableType.NUMBER, "2", false, "", false)),
                layers));
      }

      @Override
      public Optional<KnownPack> pack(String name, String version) {
        return Optional.ofNullable(packs.get(name + "@" + version));
      }

      @Override
      public boolean projectShared(String project) {
        return true;
      }
    };
  }

  static ClusterSpec spec(Map<String, String> variables, List<LayerOverride> overrides) {
    return new ClusterSpec(
        7,
        List.of(new AttachedProfile(WEB, "web-stack", Semver.parse("1.0.0"), 1)),
        variables,
        overrides);
  }

  /** Charts from local archives by pack name, through the real Helm engine. */
  static Charts archives(Map<String, Path> byPack) {
    return new Charts() {
      @Override
      public List<Map<String, Object>> render(
          String pack, String version, String digest, String release, Map<String, Object> values)
          throws RenderFailure {
        return RegistryCharts.HelmTemplate.render(byPack.get(pack), release, values, pack);
      }

      @Override
      public String bundle(String pack, String version, String digest) {
        throw new AssertionError("no bundle expected");
      }
    };
  }

  static final Charts NO_CHARTS =
      new Charts() {
        @Override
        public List<Map<String, Object>> render(
            String pack,
            String version,
            String digest,
            String release,
            Map<String, Object> values) {
          throw new AssertionError("no chart expected");
        }

        @Override
        public String bundle(String pack, String version, String digest) {
          throw new AssertionError("no bundle expected");
        }
      };

  @Test
  void manifests_get_variables_patches_and_our_labels_and_the_digest_is_stable() throws Exception {
    Catalog catalog =
        catalog(
            List.of(new Layer.ManifestLayer("app", List.of(new Manifest("m", DEPLOYMENT)))),
            Map.of());
    LayerOverride patch =
        new LayerOverride(
            WEB,
            "app",
            "",
            List.of(
                EventJson.write(
                    Map.of(
                        "target", Map.of("kind", "Deployment", "name", "web"),
                        "patch", Map.of("spec", Map.of("replicas", 5))))),
            Semver.parse("1.0.0"),
            1);

    Renderer.Rendered plain =
        Renderer.render(
            CLUSTER,
            spec(Map.of("replicas", "3"), List.of()),
            catalog,
            NO_CHARTS,
            Renderer.Secrets.NONE);
    Renderer.Rendered patched =
        Renderer.render(
            CLUSTER, spec(Map.of(), List.of(patch)), catalog, NO_CHARTS, Renderer.Secrets.NONE);

    assertThat(plain.objects())
        .extracting(DesiredObject::key)
        .containsExactly("apps/v1/Deployment/shop/web", "v1/Service/shop/web");
    assertThat(((Map<?, ?>) plain.objects().get(0).body().get("spec")).get("replicas"))
        .isEqualTo(3);
    assertThat(((Map<?, ?>) patched.objects().get(0).body().get("spec")).get("replicas"))
        .isEqualTo(5);
    assertThat(
            (Map<String, Object>)
                ((Map<?, ?>) plain.objects().get(1).body().get("metadata")).get("labels"))
        .containsEntry(Renderer.LABEL_CLUSTER, CLUSTER.value())
        .containsEntry(Renderer.LABEL_PROFILE, "web-stack")
        .containsEntry(Renderer.LABEL_LAYER, "app")
        .containsEntry(Renderer.LABEL_GENERATION, "7");
    assertThat(
            Renderer.render(
                    CLUSTER,
                    spec(Map.of("replicas", "3"), List.of()),
                    catalog,
                    NO_CHARTS,
                    Renderer.Secrets.NONE)
                .digest())
        .isEqualTo(plain.digest())
        .isNotEqualTo(patched.digest())
        .startsWith("sha256:");
  }

  @Test
  void a_zarf_layer_or_a_sealed_value_fails_with_a_message_instead_of_a_silent_skip() {
    Catalog zarf =
        catalog(List.of(new Layer.ZarfLayer("z", new ZarfRef("oci://x/pkg", "1.0.0"))), Map.of());
    assertThatThrownBy(
            () ->
                Renderer.render(
                    CLUSTER, spec(Map.of(), List.of()), zarf, NO_CHARTS, Renderer.Secrets.NONE))
        .isInstanceOf(RenderFailure.class)
        .hasMessageContaining("zarf package");
    Catalog manifests =
        catalog(
            List.of(new Layer.ManifestLayer("app", List.of(new Manifest("m", DEPLOYMENT)))),
            Map.of());
    assertThatThrownBy(
            () ->
                Renderer.render(
                    CLUSTER,
                    spec(
                        Map.of(
                            "replicas",
                            "sealed:" + CLUSTER.value() + ":00000000-0000-4000-8000-000000000001"),
                        List.of()),
                    manifests,
                    NO_CHARTS,
                    Renderer.Secrets.NONE))
        .isInstanceOf(RenderFailure.class)
        .hasMessageContaining("sensitive");
  }

  @Test
  void a_helm_layer_is_exactly_what_helm_template_gives_with_defaults_values_and_overrides()
      throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "charts-" + System.nanoTime()));
    Helm.create().withName("demo").withDir(dir).call();
    new Helm(dir.resolve("demo")).packageIt().withDestination(dir).call();
    Path archive = dir.resolve("demo-0.1.0.tgz");
    Catalog catalog =
        catalog(
            List.of(
                new Layer.HelmLayer(
                    "ingress", new ChartRef("demo", "0.1.0", "", "sha256:d"), "replicaCount: 2\n")),
            Map.of(
                "demo@0.1.0",
                new Catalog.KnownPack(
                    "demo", "0.1.0", "HELM", "sha256:d", "service:\n  port: 8080\n")));
    Charts charts = archives(Map.of("demo", archive));
    LayerOverride three =
        new LayerOverride(WEB, "ingress", "replicaCount: 3\n", List.of(), Semver.parse("1.0.0"), 1);

    Renderer.Rendered r =
        Renderer.render(
            CLUSTER, spec(Map.of(), List.of(three)), catalog, charts, Renderer.Secrets.NONE);

    String expected =
        Helm.template(archive.toString())
            .withName("ingress")
            .set("replicaCount", 3)
            .set("service.port", 8080)
            .call();
    List<Map<String, Object>> direct = Renderer.documents("direct", expected);
    assertThat(r.objects()).hasSameSizeAs(direct);
    for (int i = 0; i < direct.size(); i++) {
      Map<String, Object> ours = new java.util.LinkedHashMap<>(r.objects().get(i).body());
      Map<String, Object> metadata =
          new java.util.LinkedHashMap<>((Map<String, Object>) ours.get("metadata"));
      Map<String, Object> labels =
          new java.util.LinkedHashMap<>((Map<String, Object>) metadata.get("labels"));
      labels.keySet().removeIf(k -> k.startsWith("strata.io/"));
      metadata.put("labels", labels);
      ours.put("metadata", metadata);
      assertThat(ours).isEqualTo(direct.get(i));
    }
    assertThat(r.objects()).anySatisfy(o -> assertThat(o.kind()).isEqualTo("Deployment"));
    DesiredObject deployment =
        r.objects().stream().filter(o -> o.kind().equals("Deployment")).findFirst().orElseThrow();
    assertThat(((Map<?, ?>) deployment.body().get("spec")).get("replicas")).isEqualTo(3);
  }

  @Test
  void an_object_rendered_twice_has_no_owner_and_is_refused() {
    Catalog twice =
        catalog(
            List.of(
                new Layer.ManifestLayer("a", List.of(new Manifest("m", DEPLOYMENT))),
                new Layer.ManifestLayer("b", List.of(new Manifest("m", DEPLOYMENT)))),
            Map.of());
    assertThatThrownBy(
            () ->
                Renderer.render(
                    CLUSTER, spec(Map.of(), List.of()), twice, NO_CHARTS, Renderer.Secrets.NONE))
        .isInstanceOf(RenderFailure.class)
        .hasMessageContaining("one owner");
  }

  @Test
  void keys_of_any_yaml_type_become_strings_so_the_digest_is_defined() throws Exception {
    Catalog numeric =
        catalog(
            List.of(
                new Layer.ManifestLayer(
                    "app",
                    List.of(
                        new Manifest(
                            "cm",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {8080: a, name: b}\n")))),
            Map.of());
    Renderer.Rendered r =
        Renderer.render(
            CLUSTER, spec(Map.of(), List.of()), numeric, NO_CHARTS, Renderer.Secrets.NONE);
    assertThat((Map<String, Object>) r.objects().get(0).body().get("data"))
        .containsKeys("8080", "name");
  }
}
