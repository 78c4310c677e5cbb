package io.strata.cluster.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.kit.http.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorAndKubeconfigTest {
  @Test
  void selectors_parse_to_parameterised_sql() {
    Selector s = Selector.parse("env=prod, tier!=db,region in (eu, us),!legacy,team");

    assertThat(s.requirements()).hasSize(5);
    assertThat(s.sql())
        .isEqualTo(
            "labels ->> ? = ? AND (labels ->> ?) IS DISTINCT FROM ? AND labels ->> ? = ANY (?) AND"
                + " NOT jsonb_exists(labels, ?) AND jsonb_exists(labels, ?)");
    assertThat(s.parameters()).hasSize(8);
    assertThat(Selector.parse("").isEmpty()).isTrue();
  }

  @Test
  void selectors_that_do_not_parse_say_where() {
    assertThatThrownBy(() -> Selector.parse("env=prod,,x"))
        .isInstanceOf(Selector.Unparseable.class);
    assertThatThrownBy(() -> Selector.parse("env=='; drop table clusters"))
        .isInstanceOf(Selector.Unparseable.class)
        .hasMessageContaining("is not a label requirement");
    assertThatThrownBy(() -> Selector.parse("env in (a b)"))
        .isInstanceOf(Selector.Unparseable.class);
  }

  static final String GOOD =
      """
      apiVersion: v1
      kind: Config
      clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: AAAA}}]
      users: [{name: u, user: {token: super-secret-token}}]
      contexts: [{name: x, context: {cluster: c, user: u}}]
      current-context: x
      """;

  static List<String> problems(String kubeconfig) {
    List<FieldError> errors = new ArrayList<>();
    Kubeconfigs.check("target.kubeconfig", kubeconfig, false, errors);
    return errors.stream().map(FieldError::message).toList();
  }

  @Test
  void a_kubeconfig_is_checked_and_never_quoted() {
    assertThat(problems(GOOD)).isEmpty();
    assertThat(problems(GOOD.replace("https://10.0.0.1:6443", "unix:///var/run/docker.sock")))
        .containsExactly("cluster server must be an https:// or http:// URL with a host");
    assertThat(problems(GOOD.replace("https://10.0.0.1:6443", "file:///etc/passwd"))).hasSize(1);
    assertThat(problems(GOOD.replace("token: super-secret-token", "exec: {command: sh}")))
        .containsExactly("users may not use exec or auth-provider plugins: they run commands");
    assertThat(problems(GOOD.replace("certificate-authority-data", "certificate-authority")))
        .hasSize(1);
    assertThat(problems(GOOD.replace("https://10.0.0.1:6443", "https://127.0.0.1:6443")))
        .singleElement()
        .asString()
        .contains("this machine");
    assertThat(problems(GOOD.replace("https://10.0.0.1:6443", "http://169.254.169.254")))
        .hasSize(1);
    assertThat(problems(GOOD.replace("https://10.0.0.1:6443", "https://localhost:6443")))
        .hasSize(1);
    assertThat(
            problems(GOOD.replace("certificate-authority-data: AAAA", "proxy-url: http://p:3128")))
        .hasSize(1);
    List<FieldError> local = new ArrayList<>();
    Kubeconfigs.check("k", GOOD.replace("10.0.0.1", "127.0.0.1"), true, local);
    assertThat(local).isEmpty();
    List<String> broken = problems("token: [super-secret-token");
    assertThat(broken).containsExactly("is not valid YAML");
    assertThat(String.join(" ", problems("clusters: []\ntoken: super-secret-token")))
        .doesNotContain("super-secret-token");
  }
}
