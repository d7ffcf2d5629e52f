import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The fixture's backend: listens on PORT; /api/env shows what oneclick handed over and whether the database answers. */
public class Server {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 16);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body;
            int status = 200;
            if (path.equals("/api/health")) {
                body = "ok";
            } else if (path.equals("/api/env")) {
                boolean db;
                try (Socket s = new Socket(System.getenv("DB_HOST"), Integer.parseInt(System.getenv("DB_PORT")))) {
                    db = true;
                } catch (Exception e) {
                    db = false;
                }
                body = "name=" + System.getenv("DB_NAME") + " engine=" + System.getenv("DB_ENGINE") + " user="
                        + System.getenv("DB_USERNAME") + " greeting=" + System.getenv("GREETING") + " db=" + db
                        + " method=" + exchange.getRequestMethod();
            } else {
                status = 404;
                body = "none";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }
}
