package io.cursus.testkit.internal;

import io.cursus.testkit.EngineException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Free TCP ports on loopback addresses. */
public final class Ports {
  private Ports() {}

  /**
   * A port that is free on every given address at the time of the call. Another process may still
   * take it before the engine binds it; engines are started right after.
   */
  public static int free(List<InetAddress> addresses) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = bindAndRelease(addresses.get(0), 0);
      boolean freeEverywhere = true;
      for (InetAddress other : addresses.subList(1, addresses.size())) {
        if (bindAndRelease(other, port) != port) {
          freeEverywhere = false;
          break;
        }
      }
      if (freeEverywhere) {
        return port;
      }
    }
    throw new EngineException("Found no TCP port free on all of " + addresses + " in 50 tries");
  }

  private static int bindAndRelease(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(address, port));
      return socket.getLocalPort();
    } catch (IOException e) {
      if (port != 0) {
        return -1;
      }
      throw new EngineException("Could not bind a free port on " + address, e);
    }
  }

  /** The loopback address 127.0.0.{@code n}. */
  public static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an address: 127.0.0." + n, e);
    }
  }
}
