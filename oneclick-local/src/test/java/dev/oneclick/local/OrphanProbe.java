package dev.oneclick.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DynaliteTest} and {@link MotoTest}: starts dynalite (or moto, when the third argument is
 * {@code moto}), writes its port and the server process's pid to a file, then ends the JVM either normally
 * ({@code exit}: shutdown hooks run) or abruptly ({@code halt}: no hook runs, like kill -9).
 */
public final class OrphanProbe {

    private OrphanProbe() {
    }

    public static void main(String[] args) throws Exception {
        String portAndPid;
        if (args.length > 2 && args[2].equals("moto")) {
            Moto moto = Moto.start();
            portAndPid = moto.endpoint().getPort() + " " + moto.process().pid();
        } else {
            Dynalite dynalite = Dynalite.start();
            portAndPid = dynalite.endpoint().getPort() + " " + dynalite.process().pid();
        }
        Path out = Path.of(args[1]);
        Path temp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(temp, portAndPid);
        Files.move(temp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(300);
        if (args[0].equals("halt")) {
            Runtime.getRuntime().halt(0);
        }
        System.exit(0);
    }
}
