package io.strata.profile.write;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which chart URLs a profile may hold: {@code https://} or {@code oci://} on a host that is public
 * as written. A reference is saved now and fetched later, by the reconciler, on the platform's
 * network, so a URL that names loopback, a private range, cloud metadata or an in-cluster service
 * would turn a profile into a way in (SSRF). What a public name resolves to can change after the
 * save; whoever fetches must check the address it connects to as well.
 */
public final class PublicChartUrls {
  private PublicChartUrls() {}

  /** A host whose last label is a number is an IPv4 address to URL parsers (WHATWG, curl). */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");

  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  /** Names that only mean something inside a network: loopback, mDNS, cluster DNS, home nets. */
  private static final List<String> PRIVATE_SUFFIXES =
      List.of(".localhost", ".local", ".internal", ".svc", ".home.arpa", ".arpa", ".lan");

  /** Empty when the URL may be saved, else what is wrong with it. */
  public static Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"oci".equals(uri.getScheme())) {
      return Optional.of("must be an https:// or oci:// reference");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return Optional.of("has no host");
    }
    String h = host.toLowerCase(Locale.ROOT);
    // "localhost." is localhost: a trailing dot only makes a name absolute
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.startsWith("[")) {
      return ipv6Problem(h);
    }
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (NUMERIC_LABEL.matcher(last).matches()) {
      if (!DOTTED_QUAD.matcher(h).matches()) {
        // 0x7f000001, 0177.0.0.1, 2130706433, 127.1 all reach 127.0.0.1 in some client
        return Optional.of("writes an IPv4 address in a form other than a.b.c.d");
      }
      return privateIpv4(literal(h).getAddress())
          ? Optional.of("points at a private or reserved address")
          : Optional.empty();
    }
    if (!h.contains(".")) {
      return Optional.of("names a host without a domain ('" + h + "'), which is private");
    }
    if (h.equals("localhost") || PRIVATE_SUFFIXES.stream().anyMatch(h::endsWith)) {
      return Optional.of("points at a private host");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6Problem(String bracketed) {
    InetAddress a;
    try {
      a = InetAddress.getByName(bracketed.substring(1, bracketed.length() - 1));
    } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
      return Optional.of("has an invalid address");
    }
    if (a instanceof Inet4Address v4) { // ::ffff:a.b.c.d, which the JDK gives as IPv4
      return privateIpv4(v4.getAddress())
          ? Optional.of("points at a private or reserved address")
          : Optional.empty();
    }
    byte[] b = ((Inet6Address) a).getAddress();
    boolean privateV6 =
        a.isLoopbackAddress()
            || a.isAnyLocalAddress()
            || a.isLinkLocalAddress()
            || a.isSiteLocalAddress()
            || a.isMulticastAddress()
            || (b[0] & 0xfe) == 0xfc // fc00::/7, unique local
            || (b[0] == 0x20
                && b[1] == 0x01
                && b[2] == 0x0d
                && b[3] == (byte) 0xb8) // 2001:db8::/32
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0); // 2001::/32, Teredo
    boolean embedsPrivateV4 =
        (allZero(b, 0, 12) && privateIpv4(slice(b, 12))) // ::a.b.c.d
            || (allZero(b, 0, 8)
                && b[8] == (byte) 0xff
                && b[9] == (byte) 0xff
                && b[10] == 0
                && b[11] == 0
                && privateIpv4(slice(b, 12))) // ::ffff:0:a.b.c.d, IPv4-translated
            || (b[0] == 0
                && b[1] == 0x64
                && b[2] == (byte) 0xff
                && b[3] == (byte) 0x9b
                && privateIpv4(slice(b, 12))) // 64:ff9b::/96, NAT64
            || (b[0] == 0x20 && b[1] == 0x02 && privateIpv4(slice(b, 2))); // 2002::/16, 6to4
    return privateV6 || embedsPrivateV4
        ? Optional.of("points at a private or reserved address")
        : Optional.empty();
  }

  /** Loopback, private, shared, link-local, benchmarking, documentation, multicast, reserved. */
  static boolean privateIpv4(byte[] a) {
    int o1 = a[0] & 0xff;
    int o2 = a[1] & 0xff;
    int o3 = a[2] & 0xff;
    return o1 == 0
        || o1 == 10
        || o1 == 127
        || (o1 == 100 && o2 >= 64 && o2 <= 127)
        || (o1 == 169 && o2 == 254)
        || (o1 == 172 && o2 >= 16 && o2 <= 31)
        || (o1 == 192 && o2 == 0 && (o3 == 0 || o3 == 2))
        || (o1 == 192 && o2 == 168)
        || (o1 == 198 && (o2 == 18 || o2 == 19))
        || (o1 == 198 && o2 == 51 && o3 == 100)
        || (o1 == 203 && o2 == 0 && o3 == 113)
        || o1 >= 224;
  }

  private static InetAddress literal(String dottedQuad) {
    try {
      return InetAddress.getByName(dottedQuad); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a dotted quad is an address: " + dottedQuad, e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }
}
