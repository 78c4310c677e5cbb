package io.strata.profile.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicChartUrlsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://charts.bitnami.com/bitnami/nginx-15.0.0.tgz",
        "oci://registry-1.docker.io/bitnamicharts/nginx",
        "https://8.8.8.8/charts/x.tgz",
        "https://[2606:4700:4700::1111]/x.tgz",
        "https://example.com./x.tgz"
      })
  void public_references_pass(String url) {
    assertThat(PublicChartUrls.problem(url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "http://charts.example.com/x.tgz",
        "https://localhost/c",
        "https://localhost./c",
        "https://LOCALHOST/c",
        "https://127.0.0.1/c",
        "https://10.0.0.1/c",
        "https://172.16.0.1/c",
        "https://192.168.1.1/c",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/c",
        "https://0.1.2.3/c",
        "https://198.18.0.1/c",
        "https://255.255.255.255/c",
        "https://0x7f000001/c",
        "https://0xa9fea9fe/latest/meta-data/",
        "https://0177.0.0.1/c",
        "https://2130706433/c",
        "https://127.1/c",
        "https://[::1]/c",
        "https://[::ffff:127.0.0.1]/c",
        "https://[fd00::1]/c",
        "https://[fe80::1]/c",
        "https://[64:ff9b::a9fe:a9fe]/c",
        "https://[2002:7f00:1::]/c",
        "https://[::ffff:0:7f00:1]/c",
        "https://metadata/computeMetadata/v1/",
        "https://kubernetes.default.svc/c",
        "https://postgres:5432/c",
        "https://printer.local/c",
        "https://db.internal/c"
      })
  void private_or_ambiguous_references_are_refused(String url) {
    assertThat(PublicChartUrls.problem(url)).isPresent();
  }
}
