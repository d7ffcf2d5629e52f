package dev.oneclick.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DynaliteTest}: starts dynalite, writes its port and node's pid to a file, then ends
 * the JVM either normally ({@code exit}: shutdown hooks run) or abruptly ({@code halt}: no hook runs, like kill -9).
 */
public final class OrphanProbe {

    private OrphanProbe() {
    }

    public static void main(String[] args) throws Exception {
        Dynalite dynalite = Dynalite.start();
        Path out = Path.of(args[1]);
        Path temp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(temp, dynalite.endpoint().getPort() + " " + dynalite.process().pid());
        Files.move(temp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(300);
        if (args[0].equals("halt")) {
            Runtime.getRuntime().halt(0);
        }
        System.exit(0);
    }
}
