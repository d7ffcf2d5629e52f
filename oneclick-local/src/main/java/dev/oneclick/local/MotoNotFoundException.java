package dev.oneclick.local;

import java.util.List;

/**
 * No Python interpreter with moto's server was found, so {@link Moto} cannot start. The message lists every
 * interpreter that was tried and why it did not do, and says what to install: moto {@value Moto#VERSION} with its
 * server extras ({@code pip install 'moto[server]==5.2.1'}), or where to point {@value Moto#PYTHON_PROPERTY}.
 */
public class MotoNotFoundException extends LocalAwsException {

    private static final long serialVersionUID = 1L;

    /**
     * @param tried one line per interpreter tried: its path and why it cannot run moto's server
     * @param path the {@code PATH} that was searched
     */
    public MotoNotFoundException(List<String> tried, String path) {
        super("moto's server (moto_server) was not found: "
                + (tried.isEmpty() ? "no moto_server, python3 or python on the PATH (" + path + ")"
                        : "no Python interpreter found on the PATH (" + path + ") can run it:\n  "
                                + String.join("\n  ", tried))
                + "\nInstall moto " + Moto.VERSION + " with its server extras for Python 3.9+ and put moto_server on"
                + " the PATH (pip install 'moto[server]==" + Moto.VERSION + "', or pipx install 'moto[server]=="
                + Moto.VERSION + "'), or name the interpreter that has it with -D" + Moto.PYTHON_PROPERTY
                + "=/path/to/python3 or " + Moto.PYTHON_ENV + "=/path/to/python3.");
    }
}
