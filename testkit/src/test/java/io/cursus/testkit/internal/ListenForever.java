package io.cursus.testkit.internal;

import java.net.ServerSocket;

/**
 * A main class standing in for a server, to test {@link LocalServerNode}: listens on 127.0.0.1 at
 * the port given as first argument and accepts connections until killed; with {@code fail} as
 * second argument it prints a line and exits with code 7 instead.
 */
public final class ListenForever {
  private ListenForever() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[1].equals("fail")) {
      System.out.println("fake server: no such table, giving up");
      System.exit(7);
    }
    int port = Integer.parseInt(args[0]);
    // Logged before listening, so a client that connects finds the line in the log.
    System.out.println("fake server listening on " + port);
    try (ServerSocket socket = new ServerSocket(port, 50, Ports.loopback(1))) {
      while (true) {
        socket.accept().close();
      }
    }
  }
}
