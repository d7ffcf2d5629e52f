package dev.oneclick.examples.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a local server, so a test can take the server away from a client that points at
 * a fixed URI and bring it back. While cut, it accepts each connection and closes it at once (the client sees the
 * endpoint fail) and counts it; existing connections are closed when it is cut. It can also refuse only DynamoDB
 * writes ({@link #refuseWrites()}): reads pass, and a connection that starts an {@code UpdateItem} or
 * {@code PutItem} request is reset before a byte of that request reaches the server.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean refuseWrites;
    private final AtomicInteger refusedWrites = new AtomicInteger();
    private final Thread acceptor;

    TcpProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Takes the server away: open connections are closed, new ones are closed on accept. */
    void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    void restore() {
        cut = false;
        refuseWrites = false;
    }

    /** Lets reads through and resets every connection that sends a DynamoDB write, until {@link #restore()}. */
    void refuseWrites() {
        refuseWrites = true;
    }

    /** How many write requests were refused. */
    int refusedWrites() {
        return refusedWrites.get();
    }

    /** How many connections were refused while cut. */
    int refusedConnections() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                refused.incrementAndGet();
                try {
                    client.setSoLinger(true, 0); // reset, not a clean close
                } catch (IOException ignored) {
                    // closing anyway
                }
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (request && refuseWrites && isWrite(buf, n)) {
                        refusedWrites.incrementAndGet();
                        from.setSoLinger(true, 0); // reset, not a clean close
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection ended
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Whether this chunk carries the headers of a DynamoDB write (the target header comes with the request line). */
    private static boolean isWrite(byte[] buf, int n) {
        String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        return text.contains("DynamoDB_20120810.UpdateItem") || text.contains("DynamoDB_20120810.PutItem");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        cut();
    }
}
