package dev.oneclick.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a TCP port that is free on 127.0.0.1 at the time of the call. */
final class FreePort {

    private FreePort() {
    }

    static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalAwsException("cannot open a server socket on 127.0.0.1 to find a free port: " + e, e);
        }
    }
}
